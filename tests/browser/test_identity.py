"""The authority's identity and the footer's pages as a visitor sees them: the crest and the
name in the header, the colours from the site's own stylesheet (no inline style), the four
pages every public website carries, on 320 and 360 px phones and a desktop, in English and in
Spanish, axe clean and nothing wider than the screen. Screenshots land in var/screenshots/."""

from pathlib import Path

import pytest

from agora.site.demo import load_demo_identity

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
VIEWPORTS = {
    "320": {"width": 320, "height": 640},
    "360": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 900},
}
# path -> a heading each language must show in the page's main part.
PAGES = {
    "home": ("/", "Welcome to Agora", "Te damos la bienvenida"),
    "accessibility": ("/accessibility/", "How we check it", "Cómo lo comprobamos"),
    "privacy": ("/privacy/", "What we store, and why", "Qué guardamos y para qué"),
    "house-rules": ("/rules/", "When a rule is broken", "Cuando se incumple una norma"),
    "contact": ("/contact/", "Questions about a public service", "Preguntas sobre un servicio"),
}
NAMES = {"en": "Villaverde City Council", "es": "Ayuntamiento de Villaverde"}


@pytest.fixture
def villaverde(transactional_db, media_root):
    load_demo_identity()


def test_the_branded_pages_read_right_in_both_languages(open_tab, villaverde):
    """Each page is read on a 320 px phone, then looked at on the other screens too."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab = open_tab(viewport=VIEWPORTS["320"])
    tab.page.goto(tab.url("/"))
    tab.audit()
    for language in ("en", "es"):
        if language == "es":
            tab.page.get_by_role("button", name="Español").click()
            tab.page.wait_for_load_state("load")
            assert tab.page.locator("html").get_attribute("lang") == "es"
            tab.audit()
        for name, (path, english, spanish) in PAGES.items():
            tab.page.goto(tab.url(path))
            tab.audit()
            tab.assert_fits_width()
            assert (english if language == "en" else spanish) in tab.page.locator(
                "main"
            ).inner_text()
            brand = tab.page.locator("header a.brand")
            assert NAMES[language] in brand.inner_text() and "Agora" in brand.inner_text()
            crest = brand.locator("img.crest")
            assert crest.get_attribute("alt") == ""  # the name beside it says it (WCAG H2)
            assert crest.evaluate("image => image.naturalWidth") == 192
            box = crest.bounding_box()
            assert box["height"] <= 48 and box["x"] >= 0
            background = tab.page.locator("header.site-header").evaluate(
                "header => getComputedStyle(header).backgroundColor"
            )
            assert background == "rgb(29, 92, 63)"  # the demo city's green, from its stylesheet
            tab.at_each_width(VIEWPORTS, str(SCREENSHOTS / f"identity-{name}-{language}"))


def test_the_footer_links_and_the_language_switch_work_without_javascript(open_tab, villaverde):
    tab = open_tab(viewport=VIEWPORTS["320"], javascript=False)
    tab.page.goto(tab.url("/directory/"))
    footer = tab.page.locator("footer")
    for link, heading in (
        ("Accessibility statement", "Accessibility statement"),
        ("Privacy notice", "Privacy notice"),
        ("House rules", "House rules"),
        ("Contact", "Contact"),
    ):
        footer.get_by_role("link", name=link).click()
        assert tab.page.locator("h1").inner_text() == heading
    assert "hello@villaverde.example" in tab.page.locator("main").inner_text()
    footer.get_by_role("button", name="Español").click()
    assert tab.page.locator("h1").inner_text() == "Contacto"
    assert tab.page.url.endswith("/contact/")
    assert "Ayuntamiento de Villaverde" in tab.page.locator("header").inner_text()
