"""Moderation as people meet it, in a real browser: a resident reports a comment; a moderator
hides it with a statement of reasons; its author reads the statement and appeals; a second
moderator restores it; the public log shows both decisions and nobody's name. Before that, a
newcomer signs up through the proof-of-work challenge: with a keyboard alone on a 320 px phone,
or, without JavaScript, after the wait. English on a 360 px phone, Spanish on a desktop (the
reporter there without JavaScript); axe on every page with JavaScript, nothing wider than
320 px; screenshots in var/screenshots/."""

import re
from pathlib import Path

import pytest

from agora.accounts.models import User
from agora.moderation.house_rules import publish
from agora.moderation.models import Decision, Report, Rule
from agora.social import services as social
from tests.moderation.conftest import a_moderator, settled, verified

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
WORDS = {
    "en": {
        "report": "Report this comment",
        "reason": "Harassment or bullying",
        "explain": "Explain",
        "send": "Send the report",
        "thanks": "Thank you: your report was received.",
        "hide": "Hide it",
        "rule": "House rule it breaks",
        "rule_option": "1. Be respectful",
        "facts": "Facts and reasons",
        "decide": "Decide",
        "decided": "Decided. The people concerned are told why.",
        "told": "Moderators restricted",
        "statement": "Statement of reasons",
        "grounds": "Why should it be decided again?",
        "appeal": "Send my appeal",
        "appealed": "Your appeal is received",
        "restore": "Restore it",
        "placeholder": "This comment is hidden by moderation.",
        "log_hide": "Hidden",
        "log_dismiss": "Reports dismissed",
        "reason_spam": "Spam or advertising",
        "your_name": "Your name",
        "your_email": "Your email",
        "visitor_note": "You are not signed in.",
    },
    "es": {
        "report": "Denunciar este comentario",
        "reason": "Acoso o intimidación",
        "explain": "Explica",
        "send": "Enviar la denuncia",
        "thanks": "Gracias: hemos recibido tu denuncia.",
        "hide": "Ocultarlo",
        "rule": "Norma de convivencia que incumple",
        "rule_option": "1. Respeta a los demás",
        "facts": "Hechos y motivos",
        "decide": "Decidir",
        "decided": "Decidido. Se explica el motivo a las personas afectadas.",
        "told": "Moderación restringió",
        "statement": "Exposición de motivos",
        "grounds": "¿Por qué debería decidirse de nuevo?",
        "appeal": "Enviar mi recurso",
        "appealed": "Hemos recibido tu recurso",
        "restore": "Restablecerlo",
        "placeholder": "Este comentario está oculto por moderación.",
        "log_hide": "Ocultado",
        "log_dismiss": "Denuncias desestimadas",
        "reason_spam": "Spam o publicidad",
        "your_name": "Tu nombre",
        "your_email": "Tu correo electrónico",
        "visitor_note": "No has iniciado sesión.",
    },
}


@pytest.fixture
def thread(transactional_db):
    publish(Rule)
    author = verified(display_name="Alma Author")
    post = social.create_post(by=author, body="The new bus lane opens on Monday.")
    commenter = settled(display_name="Carl Commenter")
    comment = social.comment_on_post(post, by=commenter, body="Whoever planned it is an idiot.")
    return post, comment


def in_language(tab, language):
    cookie = {"name": "django_language", "value": language, "url": tab.origin}
    tab.page.context.add_cookies([cookie])


def sign_up_through_the_challenge(tab, language, javascript, settings):
    """A newcomer signs up: with JavaScript by keyboard alone (Tab, typing, Space on the
    challenge's box, Enter), without it after the wait (set to nothing here; its message is
    tested in tests/core/test_challenge.py)."""
    settings.AGORA_CHALLENGE = True
    settings.AGORA_CHALLENGE_COST = 1000
    settings.AGORA_CHALLENGE_WAIT_SECONDS = 0
    page = tab.page
    page.goto(tab.url("/accounts/signup/"))
    handle = f"newcomer_{language}"
    if javascript:
        tab.audit()
        tab.assert_fits_width()
        for _press in range(40):
            if page.evaluate("document.activeElement.name") == "email":
                break
            page.keyboard.press("Tab")
        for text in (f"{handle}@example.org", handle, "a long pass phrase 4711"):
            page.keyboard.type(text)
            page.keyboard.press("Tab")
        page.keyboard.type("a long pass phrase 4711")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "checkbox"
        page.keyboard.press("Space")
        page.get_by_text("Done: you may send the form.").wait_for()
        tab.audit()
        shot(page, "signup-challenge-narrow-en")
        for _press in range(10):  # past the links of the consent note, to the button
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.type") == "submit":
                break
        page.keyboard.press("Enter")
    else:
        assert "JavaScript" in page.locator("form.stacked-form").inner_text()
        page.locator("input[name=email]").fill(f"{handle}@example.org")
        page.locator("input[name=username]").fill(handle)
        page.locator("input[name=password1]").fill("a long pass phrase 4711")
        page.locator("input[name=password2]").fill("a long pass phrase 4711")
        page.locator("form.stacked-form button.primary").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert User.objects.filter(handle=handle).exists()
    if javascript:
        tab.audit()


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("language", "viewport", "javascript"), [("en", "phone", True), ("es", "desktop", False)]
)
def test_report_hide_appeal_restore_and_the_log(
    open_tab, thread, settings, language, viewport, javascript
):
    words = WORDS[language]
    post, comment = thread
    suffix = f"{viewport}-{language}"

    # A newcomer signs up through the challenge.
    newcomer = open_tab(viewport={"width": 320, "height": 700}, javascript=javascript)
    in_language(newcomer, language)
    sign_up_through_the_challenge(newcomer, language, javascript, settings)

    # A resident reports the comment.
    tab = open_tab(viewport=VIEWPORTS[viewport], javascript=javascript)
    audit = tab.audit if javascript else lambda: None
    in_language(tab, language)
    tab.log_in_as(settled(display_name="Rita Reporter"))
    page = tab.page
    page.goto(tab.url(f"/posts/{post.pk}/"))
    audit()
    page.get_by_role("link", name=words["report"]).click()
    page.wait_for_url("**/moderation/report/comment/**")
    audit()
    tab.assert_fits_width()
    page.get_by_label(words["reason"]).check()
    page.get_by_label(words["explain"], exact=True).fill("A personal insult, not an argument.")
    page.locator("input[name=good_faith]").check()
    shot(page, f"moderation-report-{suffix}")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url(re.compile(rf"/posts/{post.pk}/(#comment-\d+)?$"))
    audit()
    assert words["thanks"] in page.locator("main").inner_text()

    # A visitor without an account sends a notice too, through the challenge, on a phone.
    visitor = open_tab(viewport={"width": 320, "height": 700}, javascript=javascript)
    in_language(visitor, language)
    seen = visitor.page
    visitor_audit = visitor.audit if javascript else lambda: None
    seen.goto(visitor.url(f"/posts/{post.pk}/"))
    visitor_audit()
    seen.get_by_role("link", name=words["report"]).click()
    seen.wait_for_url("**/moderation/report/comment/**")
    visitor_audit()
    visitor.assert_fits_width()
    assert words["visitor_note"] in seen.locator("main").inner_text()
    seen.get_by_label(words["reason_spam"]).check()
    seen.get_by_label(words["explain"], exact=True).fill("It links to a shop.")
    seen.get_by_label(words["your_name"]).fill("Vic Visitor")
    seen.get_by_label(words["your_email"]).fill("vic@example.org")
    seen.locator("input[name=good_faith]").check()
    if javascript:
        seen.locator("altcha-widget input[type=checkbox]").focus()
        seen.keyboard.press("Space")
        seen.get_by_text("Done: you may send the form.").wait_for()
    shot(seen, f"moderation-visitor-report-narrow-{language}")
    seen.get_by_role("button", name=words["send"]).click()
    seen.wait_for_url(re.compile(rf"/posts/{post.pk}/(#comment-\d+)?$"))
    visitor_audit()
    assert words["thanks"] in seen.locator("main").inner_text()
    assert Report.objects.filter(reporter=None, reporter_email="vic@example.org").exists()

    # A moderator hides it, with the statement of reasons.
    first = a_moderator("Mona Moderator")
    mod_tab = open_tab(viewport=VIEWPORTS[viewport])
    in_language(mod_tab, language)
    mod_tab.log_in_as(first)
    mod = mod_tab.page
    mod.goto(mod_tab.url("/moderation/queue/"))
    mod_tab.audit()
    mod.get_by_role("link", name="Whoever planned it is an idiot.").click()
    mod_tab.audit()
    mod_tab.assert_fits_width()
    mod.get_by_label(words["hide"], exact=True).check()
    mod.get_by_label(words["rule"]).select_option(label=words["rule_option"])
    mod.get_by_label(words["facts"]).fill("Calls the planners idiots: an insult, not an argument.")
    shot(mod, f"moderation-decide-{suffix}")
    mod.get_by_role("button", name=words["decide"], exact=True).click()
    mod.wait_for_url("**/moderation/queue/")
    mod_tab.audit()
    assert words["decided"] in mod.locator("main").inner_text()

    # Others see a placeholder; the author reads the statement and appeals.
    page.goto(tab.url(f"/posts/{post.pk}/"))
    audit()
    assert words["placeholder"] in page.locator("main").inner_text()
    assert "idiot" not in page.locator("main").inner_text()
    author_tab = open_tab(viewport=VIEWPORTS[viewport])
    in_language(author_tab, language)
    author_tab.log_in_as(comment.author)
    mine = author_tab.page
    mine.goto(author_tab.url("/notifications/"))
    author_tab.audit()
    assert words["told"] in mine.locator("main").inner_text()
    decision = Decision.objects.get(action="hide")
    mine.goto(author_tab.url(decision.get_absolute_url()))
    author_tab.audit()
    author_tab.assert_fits_width()
    assert words["statement"] in mine.locator("h1").inner_text()
    assert "Rita Reporter" not in mine.content()
    mine.get_by_label(words["grounds"]).fill("It was about the plan, and I said sorry below.")
    shot(mine, f"moderation-statement-{suffix}")
    mine.get_by_role("button", name=words["appeal"]).click()
    mine.wait_for_load_state("load")
    author_tab.audit()
    assert words["appealed"] in mine.locator("main").inner_text()

    # A second moderator restores it.
    second_tab = open_tab(viewport=VIEWPORTS[viewport])
    in_language(second_tab, language)
    second_tab.log_in_as(a_moderator("Max Moderator"))
    second = second_tab.page
    second.goto(second_tab.url(decision.item.get_absolute_url()))
    second_tab.audit()
    second.get_by_label(words["restore"], exact=True).check()
    second.get_by_label(words["facts"]).fill("Read in its thread, it criticises a plan.")
    second.get_by_role("button", name=words["decide"], exact=True).click()
    second.wait_for_url("**/moderation/queue/")
    second_tab.audit()
    page.goto(tab.url(f"/posts/{post.pk}/"))
    audit()
    assert "Whoever planned it is an idiot." in page.locator("main").inner_text()

    # The public log shows both decisions, and nobody's name.
    log_tab = open_tab(viewport={"width": 320, "height": 640})
    in_language(log_tab, language)
    log = log_tab.page
    log.goto(log_tab.url("/moderation/log/"))
    log_tab.audit()
    log_tab.assert_fits_width()
    text = log.locator("main").inner_text()
    assert words["log_hide"] in text and words["log_dismiss"] in text
    for name in ("Carl Commenter", "Rita Reporter", "Mona Moderator", "Max Moderator", "idiot"):
        assert name not in text
    shot(log, f"moderation-log-narrow-{language}")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_word_filter_and_the_standing_pages(open_tab, thread, language):
    post, _comment = thread
    person = settled(display_name="Fiona Filter")
    tab = open_tab(viewport={"width": 320, "height": 640})
    in_language(tab, language)
    tab.log_in_as(person)
    page = tab.page
    page.goto(tab.url("/settings/words/"))
    tab.audit()
    tab.assert_fits_width()
    label = {"en": "Word or phrase to hide", "es": "Palabra o frase que ocultar"}[language]
    page.get_by_label(label).fill("bus lane")
    page.locator("form.stacked-form button.primary").click()
    page.wait_for_load_state("load")
    tab.audit()
    page.goto(tab.url(f"/posts/{post.pk}/"))
    tab.audit()
    folded = page.locator("details.word-filtered")
    assert folded.count() == 1 and not folded.first.get_attribute("open")
    folded.first.locator("summary").click()
    assert "The new bus lane opens on Monday." in folded.first.inner_text()
    shot(page, f"word-filter-narrow-{language}")
    page.goto(tab.url("/settings/standing/"))
    tab.audit()
    tab.assert_fits_width()
    shot(page, f"standing-narrow-{language}")
