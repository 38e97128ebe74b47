"""Text people write, turned into safe HTML: a small Markdown subset (paragraphs, emphasis,
links, lists, code), mentions (@handle) linking to profiles and hashtags (#tag) linking to
tag pages. Raw HTML and images are never rendered; the output is sanitised once more by nh3,
so a mistake in the Markdown layer cannot become a script on the page."""

import re

import nh3
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.token import Token

# A handle as accounts defines it; not preceded by a word character, so e-mail addresses
# (name@example.org) are not mentions.
MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{3,30})(?![\w@])")
# A tag starts with a letter and runs over letters, digits and underscores.
HASHTAG = re.compile(r"(?<![\w#&/])#([^\W\d_]\w{0,49})(?!\w)")
MENTION_OR_HASHTAG = re.compile(f"{MENTION.pattern}|{HASHTAG.pattern}")
LINK_SCHEMES = {"http", "https", "mailto"}
ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "code", "pre", "blockquote"}
LINK_REL = "nofollow ugc noopener"


def find_mentions(text: str) -> list[str]:
    """The handles mentioned, lower-cased, in order, each once."""
    return list(dict.fromkeys(match.lower() for match in MENTION.findall(text)))


def find_hashtags(text: str) -> list[str]:
    """The tags used, lower-cased, in order, each once."""
    return list(dict.fromkeys(match.lower() for match in HASHTAG.findall(text)))


def _is_allowed_link(url: str) -> bool:
    scheme, colon, _rest = url.strip().partition(":")
    return bool(colon) and scheme.lower() in LINK_SCHEMES


def _link_tokens(href: str, label: str, css_class: str) -> list[Token]:
    opening = Token("link_open", "a", 1, attrs={"href": href, "class": css_class})
    text = Token("text", "", 0, content=label)
    return [opening, text, Token("link_close", "a", -1)]


def _split_text(content: str) -> list[Token]:
    """A text token cut into text and links where it has mentions and hashtags."""
    pieces: list[Token] = []
    position = 0
    for match in MENTION_OR_HASHTAG.finditer(content):
        if match.start() > position:
            pieces.append(Token("text", "", 0, content=content[position : match.start()]))
        handle, tag = match.group(1), match.group(2)
        if handle:
            href = reverse("accounts:profile", kwargs={"handle": handle})
            pieces.extend(_link_tokens(href, f"@{handle}", "mention"))
        else:
            href = reverse("social:tag", kwargs={"name": tag.lower()})
            pieces.extend(_link_tokens(href, f"#{tag}", "hashtag"))
        position = match.end()
    if position < len(content):
        pieces.append(Token("text", "", 0, content=content[position:]))
    return pieces


def _link_mentions_and_hashtags(state) -> None:
    """A core rule: in inline text outside links, mentions and hashtags become links."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        inside_link = 0
        for token in block.children:
            if token.type == "link_open":
                inside_link += 1
            elif token.type == "link_close":
                inside_link -= 1
            if (
                token.type == "text"
                and not inside_link
                and ("@" in token.content or "#" in token.content)
            ):
                children.extend(_split_text(token.content))
            else:
                children.append(token)
        block.children = children


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True})
    parser.enable(["emphasis", "link", "list", "backticks", "fence", "code", "newline", "escape"])
    parser.enable(["blockquote"])
    parser.validateLink = _is_allowed_link
    parser.core.ruler.push("agora_mentions_hashtags", _link_mentions_and_hashtags)
    return parser


_parser = _build_parser()


def render_markdown(text: str) -> str:
    """Safe HTML for a piece of user text. Store it next to the source when the source is
    saved, so pages do not render Markdown on every view."""
    html = _parser.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes=LINK_SCHEMES,
        link_rel=LINK_REL,
        allowed_classes={"a": {"mention", "hashtag"}},
    )
