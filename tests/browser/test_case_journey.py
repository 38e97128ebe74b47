"""The report journey's new pages as people see them, on a 360 px phone and a desktop, in
English and Spanish: the resident's confirmation with its reference and what happens next;
an official of the parent office (Roads and Mobility above Public Lighting) finds the new case
in the inbox and in the notifications, and answers it through the one "Update this case" form.
axe clean (at 320 px too), nothing wider than the screen; screenshots in var/screenshots/."""

import re
from pathlib import Path

import pytest

from agora.accounts.models import Role
from agora.cases.models import Case
from agora.directory import services as directory_services
from agora.directory.demo import DEMO_DIRECTORY
from agora.directory.models import Office
from tests.factories import PASSWORD, UserFactory
from tests.helpers import sent_messages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 900},
    "narrow": {"width": 320, "height": 640},
}
WORDS = {
    "en": {
        "continue": "Continue",
        "check": "Check your answers before sending",
        "send": "Send my report",
        "sent": "Your report is sent",
        "next": "What happens next",
        "inbox": "Inbox",
        "update": "Update this case",
        "answer": "Send the official answer",
        "answer_field": "Official answer",
        "submit": "Update the case",
        "done": "Done: the case is updated.",
        "told": "A new case for Public Lighting Unit",
        "menu": "Menu",
    },
    "es": {
        "continue": "Continuar",
        "check": "Revisa tus respuestas antes de enviar",
        "send": "Enviar mi aviso",
        "sent": "Tu aviso está enviado",
        "next": "Qué pasa ahora",
        "inbox": "Bandeja de entrada",
        "update": "Actualizar este caso",
        "answer": "Enviar la respuesta oficial",
        "answer_field": "Respuesta oficial",
        "submit": "Actualizar el caso",
        "done": "Hecho: se ha actualizado el caso.",
        "told": "Un caso nuevo para Unidad de Alumbrado Público",
        "menu": "Menú",
    },
}


@pytest.fixture
def city(transactional_db):
    directory_services.import_directory_file(DEMO_DIRECTORY)
    head = UserFactory(display_name="Roberto Vías", role=Role.OFFICIAL)
    directory_services.add_official(Office.objects.get(slug="roads-mobility"), head)
    return head


@pytest.mark.parametrize(("language", "viewport"), [("en", "desktop"), ("es", "narrow")])
def test_report_confirm_find_in_the_parent_inbox_and_answer_in_one_form(
    open_tab, city, language, viewport
):
    """The journey is walked once in each language, on a desktop in English and on a 320 px
    phone in Spanish (where the links fold behind "Menu"); each of its pages is also looked at
    on the other screens in that language."""
    words = WORDS[language]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    resident = UserFactory(display_name="Rosa Vecina", preferred_language=language)
    city.preferred_language = language
    city.save()

    def look(tab, name):
        tab.at_each_width(VIEWPORTS, str(SCREENSHOTS / f"{name}-{language}"))

    tab = open_tab(viewport=VIEWPORTS[viewport])
    tab.log_in_as(resident)
    page = tab.page
    page.goto(tab.url("/cases/new/?kind=report&topic=streetlights"))
    tab.audit()
    page.locator("#id_title").fill("Farola apagada en la plaza")
    page.locator("#id_description").fill("La farola junto a la fuente no enciende.")
    page.get_by_role("button", name=words["continue"], exact=True).click()
    page.wait_for_url("**/cases/new/check/")
    assert words["check"] in page.locator("main").inner_text()
    look(tab, "case-check")
    page.get_by_role("button", name=words["send"], exact=True).click()
    page.wait_for_url("**/cases/*/sent/")
    case = Case.objects.get()
    main = page.locator("main").inner_text()
    assert words["sent"] in main and words["next"] in main
    assert case.reference in main
    look(tab, "case-sent")

    office_tab = open_tab(viewport=VIEWPORTS[viewport])
    office_tab.log_in_as(city)
    office = office_tab.page
    office.goto(office_tab.url("/"))
    office_tab.audit()
    if viewport != "desktop":  # the links fold behind "Menu"
        office.locator("summary", has_text=words["menu"]).click()
    office.get_by_role("link", name=words["inbox"], exact=True).first.click()
    office.wait_for_url("**/cases/inbox/roads-mobility/")
    assert case.reference in office.locator("main").inner_text()
    look(office_tab, "inbox-parent-office")
    office.goto(office_tab.url("/notifications/"))
    office_tab.audit()
    assert words["told"] in office.locator("main").inner_text()
    office.goto(office_tab.url(case.get_absolute_url()))
    office_tab.audit()
    assert words["update"] in office.locator("main").inner_text()
    office.get_by_role("radio", name=words["answer"], exact=True).check()
    office.get_by_label(words["answer_field"], exact=True).fill("Cambiamos la lámpara el lunes.")
    look(office_tab, "case-update-form")
    office.get_by_role("button", name=words["submit"], exact=True).click()
    office.wait_for_load_state("load")
    office_tab.audit()
    assert words["done"] in office.locator("main").inner_text()
    case.refresh_from_db()
    assert case.state == "answered"


CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")
SIGN_UP = {
    "en": {
        "ask": "Find the office",
        "find": "Find the place I typed",
        "report": "Report this to Public Lighting Unit",
        "needed": "You need an account to send it",
        "kept": "Your words are kept.",
        "sign_up": "Sign up",
        "check_email": "Check your email",
        "confirm": "Confirm my address",
    },
    "es": {
        "ask": "Buscar la oficina",
        "find": "Buscar el lugar que escribí",
        "report": "Comunicarlo a Unidad de Alumbrado Público",
        "needed": "Necesitas una cuenta para enviarlo",
        "kept": "Lo que escribiste está guardado.",
        "sign_up": "Registrarse",
        "check_email": "Revisa tu correo",
        "confirm": "Confirmar mi dirección",
    },
}


@pytest.mark.parametrize(
    ("language", "viewport", "javascript"), [("en", "desktop", True), ("es", "phone", False)]
)
def test_a_visitor_asks_reports_signs_up_in_the_middle_and_ends_on_the_reference(
    open_tab, city, mail_dir, language, viewport, javascript
):
    """With JavaScript the place is picked on the map; without it, typed and looked up."""
    from django.core.management import call_command

    words = {**WORDS[language], **SIGN_UP[language]}
    tab = open_tab(viewport=VIEWPORTS[viewport], javascript=javascript)
    # axe runs in the page: the same pages are audited in the run with JavaScript.
    audit = tab.audit if javascript else lambda: None
    page = tab.page
    page.context.add_cookies([{"name": "django_language", "value": language, "url": tab.origin}])
    page.goto(tab.url("/directory/ask/"))
    audit()
    page.locator("#id_q").fill("la farola de la calle mayor está apagada")
    page.get_by_role("button", name=words["ask"]).click()
    page.wait_for_load_state("load")
    audit()
    page.get_by_role("link", name=words["report"]).click()
    page.wait_for_url("**/cases/new/?kind=report&*")
    audit()
    assert words["needed"] in page.locator("main").inner_text()
    if javascript:  # the place, picked on the map: a tap in the middle of the drawn city
        canvas = page.locator(".place-picker-canvas")
        canvas.locator("path.leaflet-interactive").first.wait_for()
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        page.locator(".leaflet-marker-icon").wait_for()
        picked = float(page.locator("input[name=latitude]").input_value())
    else:  # the place, typed and looked up among the city's streets
        assert not page.locator(".place-picker").is_visible()
        page.locator("input[name=address]").fill("Calle Mayor 7")
        page.get_by_role("button", name=words["find"]).click()
        page.wait_for_load_state("load")
        audit()
        assert page.locator("select[name=area]").input_value() == "calle-mayor"
        picked = None
    page.screenshot(
        path=str(SCREENSHOTS / f"report-from-answer-{viewport}-{language}.png"), full_page=True
    )
    page.get_by_role("button", name=words["continue"], exact=True).click()
    page.wait_for_url("**/accounts/signup/?next=/cases/new/check/")
    audit()
    assert words["kept"] in page.locator("main").inner_text()

    page.locator("#id_email").fill("vecina@example.org")
    page.locator("#id_username").fill("vecina_mayor")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name=words["sign_up"], exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    audit()
    assert words["check_email"] in page.locator("main").inner_text()

    call_command("worker", batch=True, verbosity=0)
    (message,) = sent_messages(mail_dir)
    link = CONFIRMATION_LINK.search(message.get_body(("plain",)).get_content()).group(0)
    page.goto(link)
    audit()
    page.get_by_role("button", name=words["confirm"]).click()
    page.wait_for_url(re.compile(r"/cases/new/check/$"))
    audit()
    assert words["check"] in page.locator("main").inner_text()
    assert "calle mayor" in page.locator(".check-answers").inner_text().lower()
    page.get_by_role("button", name=words["send"], exact=True).click()
    page.wait_for_url("**/cases/*/sent/")
    audit()
    tab.assert_fits_width()
    case = Case.objects.get()
    assert case.reference in page.locator(".reference-number").inner_text()
    assert case.submitted_by.handle == "vecina_mayor"
    assert case.office.slug == "public-lighting"
    if javascript:
        assert case.latitude == pytest.approx(picked) and case.area is not None
    else:
        typed = (case.latitude, case.area.slug, case.address)
        assert typed == (None, "calle-mayor", "Calle Mayor 7")
    page.screenshot(
        path=str(SCREENSHOTS / f"report-after-sign-up-{viewport}-{language}.png"), full_page=True
    )
