"""The API reference is a page like the others: it needs no script, fits a phone, reads in both
languages and passes axe."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 640}


@pytest.mark.parametrize("javascript", [True, False])
def test_the_api_reference_lists_every_operation_on_a_phone(open_tab, javascript):
    tab = open_tab(viewport=PHONE, javascript=javascript)
    tab.page.goto(tab.url("/api/v1/docs"))
    assert tab.page.get_by_role("heading", level=1).inner_text() == "API reference"
    assert tab.page.locator("article.api-operation").count() > 50
    operation = tab.page.locator("#social_create_post")
    assert "POST" in operation.inner_text() and "/api/v1/posts" in operation.inner_text()
    assert "reply_policy" in operation.locator("dl").inner_text()
    tab.assert_fits_width()
    operation.screenshot(path="var/screenshots/api-reference-operation-phone.png")
    if javascript:
        tab.audit()


def test_the_api_reference_speaks_spanish_around_the_operations(open_tab, settings):
    tab = open_tab()
    tab.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": tab.origin}]
    )
    tab.page.goto(tab.url("/api/v1/docs"))
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Referencia de la API"
    assert tab.page.locator("#social_create_post").get_attribute("lang") == "en"
    tab.page.screenshot(path="var/screenshots/api-reference-es.png", full_page=False)
    tab.audit()
