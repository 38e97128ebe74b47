"""No email goes out twice when a worker dies in the middle of a task and the task runs again:
every task sends through `core.tasks.deliver_once` with a key naming what it tells of."""

import ast
from pathlib import Path

import pytest
from django.core import mail

from agora.core.tasks import deliver_once, send_rendered

AGORA = Path(__file__).resolve().parents[2] / "agora"
#: The one module that hands messages to the mail server.
SENDER = AGORA / "core" / "tasks.py"
MAIL_NAMES = {
    "EmailMessage",
    "EmailMultiAlternatives",
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "get_connection",
}


def _sending_code(path: Path) -> list[str]:
    """What in a module could send an email past `deliver_once`: Django's mail names imported,
    or a bare `.send()` (signals are sent with a `sender`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
            found += [f"imports {alias.name}" for alias in node.names if alias.name in MAIL_NAMES]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"send", "send_messages"}
            and not node.args
            and not node.keywords
        ):
            found.append(f"calls .{node.func.attr}() on line {node.lineno}")
    return found


def test_no_module_but_core_tasks_sends_email_itself():
    offenders = {
        str(path.relative_to(AGORA)): found
        for path in sorted(AGORA.rglob("*.py"))
        if path != SENDER and "migrations" not in path.parts and (found := _sending_code(path))
    }
    assert offenders == {}, "send through agora.core.tasks.send_rendered / deliver_once"


def test_the_check_sees_a_module_that_sends_itself(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "from django.core.mail import EmailMessage\n"
        "def go():\n    return EmailMessage('s', 'b', to=['a@example.org']).send()\n"
    )
    assert _sending_code(sneaky) == ["imports EmailMessage", "calls .send() on line 3"]


@pytest.mark.django_db
def test_a_message_sent_again_under_its_key_goes_once(settings):
    settings.LANGUAGE_CODE = "en"
    sent = [
        send_rendered(
            to="ana@example.org",
            language="es",
            subject="Confirm your signature",
            template="petitions/email/confirm.txt",
            context={"petition": {"title": "Más bancos"}, "link": "https://x.example/c/1"},
            key="signature-1-confirm",
        )
        for _ in range(2)
    ]
    assert sent == [1, 0]
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject.endswith("Confirma tu firma"), "in the recipient's language"
    assert message.extra_headers["Message-ID"].startswith("<signature-1-confirm@")


def test_a_message_without_a_key_is_refused():
    with pytest.raises(ValueError, match="needs a key"):
        deliver_once(mail.EmailMessage("s", "b", to=["a@example.org"]), "")
