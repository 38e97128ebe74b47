"""User text: the Markdown subset, mentions and hashtags, and nothing that can run."""

from html.parser import HTMLParser

import pytest

from agora.core.text import ALLOWED_TAGS, find_hashtags, find_mentions, render_markdown


def parsed(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every element in the HTML with its attributes, as a browser's parser sees them."""
    elements = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append((tag, attrs))

    Collector().feed(html)
    return elements


def test_emphasis_lists_and_code_render():
    html = render_markdown("*soft* **strong**\n\n- one\n- two\n\n`code`")
    assert "<em>soft</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<code>code</code>" in html


def test_links_get_nofollow_ugc_noopener():
    html = render_markdown("[the council](https://example.org/council)")
    assert 'href="https://example.org/council"' in html
    assert 'rel="nofollow ugc noopener"' in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        '<a href="javascript:alert(1)">x</a>',
        "![x](https://example.org/tracker.png)",
        '[x](https://example.org/" onmouseover="alert(1))',
        "<svg onload=alert(1)>",
        "<iframe src=https://example.org></iframe>",
        "[x](/relative/path)",
    ],
)
def test_nothing_that_can_run_or_load_survives(text):
    elements = parsed(render_markdown(text))
    for tag, attributes in elements:
        assert tag in ALLOWED_TAGS
        for name, value in attributes:
            assert name in {"href", "class", "rel"}, (tag, name)
            if name == "href":
                assert value.split(":")[0] in {"http", "https", "mailto"}, value


def test_mentions_and_hashtags_link_to_profiles_and_tag_pages():
    html = render_markdown("Thanks @Ada_L for #SafeCrossings")
    assert '<a href="/@Ada_L/" class="mention"' in html
    assert '<a href="/tags/safecrossings/" class="hashtag"' in html


def test_email_addresses_code_and_link_text_are_not_mentions():
    html = render_markdown("write to ada@example.org `@notme` [@notme](https://example.org)")
    assert 'class="mention"' not in html
    assert find_mentions("ada@example.org") == []


def test_found_mentions_and_hashtags_are_lowercase_and_unique():
    assert find_mentions("@Ada @ada @bob_2 @x") == ["ada", "bob_2"]
    assert find_hashtags("#Parks #parks #2024 #bike_lanes") == ["parks", "bike_lanes"]
