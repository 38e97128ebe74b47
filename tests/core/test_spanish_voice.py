"""Agora speaks Spanish in one voice, tú, also on the pages, messages and emails that come from
Django and django-allauth, whose own Spanish says usted; and the override catalogue that makes
it so (`agora/locale_overrides`) holds only strings that Django or allauth still have, in their
catalogues and in their code.

Every page and email of the account flows is read as a person reads it: the visible text, the
page title, and the labels a screen reader speaks (aria-label, title, placeholder, alt). Usted
is recognised by words that only a formal sentence uses here:

- the possessive "su"/"sus" (tú says "tu"/"tus"; Agora's Spanish and the overrides never use
  "su" for a third person on these pages, so any "su" is usted);
- "usted" itself;
- usted imperatives that Django and allauth use: "Introduzca", "Asegúrese", "Escoja",
  "Compruebe", "Utilice", "póngase", "contáctenos", "Inténtelo", "Verifique", "regístrese",
  "Siga", "Escriba" and more, each a whole word, so the tú forms ("Introduce", "Asegúrate",
  "Elige"...) never match;
- phrases for usted forms that could also be a third person elsewhere: "¿Ha olvidado", "Ha
  iniciado", "Ha cerrado", "ha indicado", "¿Está seguro", "Está a punto", "Está recibiendo",
  "Haga clic", "inicie sesión", "que desea", and the pronoun "le" of "Le hemos enviado",
  "le enviaremos", "le permitirá".

Every string of Django's and allauth's code behind those pages whose Spanish the detector
reads as usted has an override, so deleting one fails, and the detector is itself tested
against the usted of their catalogues.

Titles and headings are in sentence case, like Agora's own ("Restablecer contraseña", not
allauth's "Restablecer Contraseña"). Each page must also show a piece of tú text of its own,
so a page that silently fell back to English or to allauth's catalogue fails."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import django
import pytest
from allauth.core import context as allauth_context
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import password_validation
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

import agora
from agora.accounts.models import Role
from tests.core.test_translations import (
    PLACEHOLDER,
    TAG,
    describe,
    header,
    key,
    messages,
    read_catalogue,
)
from tests.factories import PASSWORD, UserFactory

SPANISH = Path("locale", "es", "LC_MESSAGES", "django.po")
OVERRIDES = Path(agora.__file__).parent / "locale_overrides" / SPANISH.relative_to("locale")
COMPILED_OVERRIDES = OVERRIDES.with_suffix(".mo")
AGORA_CATALOGUE = Path(agora.__file__).parent / SPANISH
UPSTREAM_CATALOGUES = [
    Path(django.__file__).parent / "conf" / SPANISH,
    Path(django.__file__).parent / "contrib" / "auth" / SPANISH,
    Path(django.__file__).parent / "contrib" / "admin" / SPANISH,
    Path(allauth.__file__).parent / SPANISH,
]
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NEW_PASSWORD = "lantern-orchard-velvet-93"

# Whole words, in any case, so the tú forms ("Introduce", "Asegúrate", "Elige", "tu") never
# match.
USTED_WORDS = (
    r"usted|sus?|introduzca|introdúzcalo|ingrese|asegúrese|escoja|elija|seleccione|compruebe|"
    r"corrija|utilice|póngase|contáctenos|contacte|inténtelo|verifique|regístrese|confirme|"
    r"siga|envíe|marque|escriba|pulse|escanee|guarde|guárdelos|revise|vuelva|espere|desea|"
    r"solicite|emita|cámbiela|indíquenos"
)
# Usted forms that are also a third person ("que se confirme", "la contraseña no puede") count
# only in the phrases where Django and allauth use them, as written, each ending a word.
USTED_PHRASES = [
    "¿Ha",
    "Ha iniciado",
    "ha iniciado sesión",
    "Ha cerrado",
    "Ha confirmado",
    "ha indicado",
    "Ha solicitado",
    "ha solicitado",
    "¿Está seguro",
    "Está a punto",
    "Está recibiendo",
    "Le hemos",
    "le enviaremos",
    "Le enviaremos",
    "le permitirá",
    "le pedimos",
    "aga clic",
    "nicie sesión",
    "que desea",
    "¿Quiere",
    "No puede añadir",
    "No puede eliminar",
    "Puede ignorar",
    "Debe escribir",
    "Tiene",
    "luego use",
    "Probablemente esté",
    "Puede agregar",
    "Puede editar",
    "Puede volver",
    "Ha seleccionado",
    "Ahora puede",
]
USTED = re.compile(
    rf"(?<!\w)(?i:{USTED_WORDS})(?!\w)"
    "|(?:" + "|".join(re.escape(phrase) for phrase in USTED_PHRASES) + r")(?!\w)"
)
# Words that keep their capital in the middle of a title.
PROPER_NOUNS = {"Agora", "TOTP", "QR"}

pytestmark = pytest.mark.django_db


class VisibleText(HTMLParser):
    """The text a person sees or hears: text outside scripts and styles, and the attributes
    that browsers and screen readers show."""

    SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.headings: list[str] = []
        self._hidden = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        if tag in ("h1", "h2", "title"):
            self._heading = []
        for name, value in attrs:
            if name in self.SPOKEN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1
        if tag in ("h1", "h2", "title") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)
            if self._heading is not None:
                self._heading.append(data)


def read_page(response) -> tuple[str, list[str]]:
    assert response.status_code == 200, f"{response.request['PATH_INFO']}: {response.status_code}"
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split()), parser.headings


def assert_speaks_tu(where: str, text: str, expected: list[str], headings: list[str] = ()):
    usted = sorted({match.group(0) for match in USTED.finditer(text)})
    assert not usted, f"{where} speaks usted ({usted}): {text}"
    for phrase in expected:
        assert phrase in text, f"{where} lacks {phrase!r}: {text}"
    for heading in headings:
        title = re.sub(r"^\[[^]]*\] ", "", heading.split(" · ")[0])  # no "[Agora] " prefix
        capitals = [w for w in title.split()[1:] if w[:1].isupper() and w not in PROPER_NOUNS]
        assert not capitals, f"{where}: the title {heading!r} is not in sentence case"


def assert_page_speaks_tu(response, expected: list[str]):
    where = response.request["PATH_INFO"]
    text, headings = read_page(response)
    assert_speaks_tu(where, text, expected, headings)


def assert_email_speaks_tu(message, expected: list[str]):
    bodies = [message.body, *(content for content, _type in message.alternatives)]
    text = " ".join(" ".join([message.subject, *bodies]).split())
    assert_speaks_tu(f"the email {message.subject!r}", text, expected, [message.subject])


@pytest.fixture
def client():
    """A browser that asks for Spanish, by header and by the language cookie."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="es")
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return browser


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def log_in(client, person):
    """A real login, so allauth counts it as recent and asks for no reauthentication."""
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    mail.outbox.clear()


def by_recipient(sent) -> dict:
    """The emails by their one recipient; each person gets one, so none goes unread."""
    recipients = [recipient for message in sent for recipient in message.to]
    assert len(recipients) == len(set(recipients)) == len(sent), recipients
    return {message.to[0]: message for message in sent}


def current_code(secret: str = SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def test_login_and_sign_up_and_their_errors_speak_tu(client):
    assert_page_speaks_tu(
        client.get("/accounts/login/"), ["Iniciar sesión", "¿Has olvidado tu contraseña?"]
    )
    assert_page_speaks_tu(
        client.post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong-1"}),
        ["La dirección de correo electrónico o la contraseña no son correctas."],
    )
    assert_page_speaks_tu(
        client.post("/accounts/login/", {"login": "not an address", "password": ""}),
        ["Introduce una dirección de correo electrónico válida.", "Este campo es obligatorio."],
    )
    assert_page_speaks_tu(client.get("/accounts/inactive/"), ["Esta cuenta está desactivada."])
    assert_page_speaks_tu(
        client.get("/accounts/signup/"),
        ["Crea tu cuenta", "Tu contraseña debe tener al menos 12 caracteres."],
    )
    for password, error in [
        ("short-pw1", "Esta contraseña es demasiado corta. Debe tener al menos 12 caracteres."),
        ("password1234", "Esta contraseña es demasiado común."),
        ("123456789012345", "Esta contraseña solo tiene números."),
        (
            "new.resident@example.org",
            "La contraseña se parece demasiado a tu dirección de correo electrónico.",
        ),
    ]:
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new.resident@example.org",
                "username": "new_resident",
                "password1": password,
                "password2": password,
            },
        )
        assert_page_speaks_tu(response, [error])
    assert_page_speaks_tu(
        client.post(
            "/accounts/signup/",
            {
                "email": "not an address",
                "username": "new_resident",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD + "-typo",
            },
        ),
        [
            "Introduce una dirección de correo electrónico válida.",
            "Tienes que escribir la misma contraseña las dos veces.",
        ],
    )


def test_signing_up_and_confirming_the_email_speak_tu(client, capture, run_worker):
    taken = UserFactory()
    with capture():
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new.resident@example.org",
                "username": "new_resident",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            follow=True,
        )
    assert_page_speaks_tu(
        response, ["Revisa tu correo", "Te hemos enviado un correo", "Te hemos enviado un enlace"]
    )
    with capture():
        Client(HTTP_ACCEPT_LANGUAGE="es").post(
            "/accounts/signup/",
            {
                "email": taken.email,
                "username": "someone_else",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
    sent = by_recipient(run_worker())
    confirmation = sent["new.resident@example.org"]
    assert_email_speaks_tu(confirmation, ["Confirma tu dirección de correo electrónico"])
    assert_email_speaks_tu(sent[taken.email], ["ya existe una cuenta con esa dirección"])

    link = re.search(r"/accounts/confirm-email/[^\s]+/", confirmation.body).group(0)
    assert_page_speaks_tu(
        client.get(link), ["Confirma que", "es tu dirección", "Confirmar mi dirección"]
    )
    assert_page_speaks_tu(client.post(link, follow=True), ["Has confirmado"])
    assert_page_speaks_tu(
        client.get("/accounts/confirm-email/not-a-key/"),
        ["Este enlace ha caducado o ya se usó.", "Inicia sesión"],
    )


def test_resetting_a_forgotten_password_speaks_tu(client, capture, run_worker):
    person = UserFactory()
    assert_page_speaks_tu(
        client.get("/accounts/password/reset/"),
        ["Restablecer contraseña", "¿Has olvidado tu contraseña?", "te enviaremos"],
    )
    with capture():
        done = client.post("/accounts/password/reset/", {"email": person.email}, follow=True)
    assert_page_speaks_tu(done, ["Te hemos enviado un correo"])
    with capture():
        Client(HTTP_ACCEPT_LANGUAGE="es").post(
            "/accounts/password/reset/", {"email": "nobody@example.org"}
        )
    sent = by_recipient(run_worker())
    reset = sent[person.email]
    assert_email_speaks_tu(reset, ["Restablece tu contraseña", "Para restablecer tu contraseña"])
    assert_email_speaks_tu(sent["nobody@example.org"], ["Cuenta desconocida"])

    assert_page_speaks_tu(
        client.get("/accounts/password/reset/key/1-not-a-key/"),
        ["El enlace para restablecer la contraseña no es válido"],
    )
    path = re.search(r"/accounts/password/reset/key/[^\s]+", reset.body).group(0)
    form = client.get(path, follow=True)
    assert_page_speaks_tu(form, ["Nueva contraseña"])
    mail.outbox.clear()
    with capture():
        changed = client.post(
            form.redirect_chain[-1][0],
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            follow=True,
        )
    assert_page_speaks_tu(changed, ["Tu contraseña se ha cambiado."])
    (notice,) = run_worker()
    assert_email_speaks_tu(notice, ["Se ha restablecido tu contraseña."])


def test_managing_the_password_and_email_and_logging_out_speak_tu(client, capture, run_worker):
    person = UserFactory()
    log_in(client, person)

    assert_page_speaks_tu(
        client.get("/accounts/password/change/"), ["Cambiar contraseña", "Contraseña actual"]
    )
    assert_page_speaks_tu(
        client.get("/accounts/password/reset/"), ["Ya has iniciado sesión como", "Nota"]
    )
    assert_page_speaks_tu(
        client.post(
            "/accounts/password/change/",
            {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ),
        ["Escribe tu contraseña actual."],
    )
    with capture():
        changed = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            follow=True,
        )
    assert_page_speaks_tu(changed, ["Contraseña cambiada."])

    assert_page_speaks_tu(client.get("/accounts/email/"), ["Correo electrónico actual"])
    with capture():
        added = client.post(
            "/accounts/email/", {"action_add": "", "email": "new.address@example.org"}, follow=True
        )
    assert_page_speaks_tu(
        added, ["Te hemos enviado un correo de confirmación", "pendiente de verificación"]
    )
    sent = by_recipient(run_worker())
    assert_email_speaks_tu(
        sent[person.email], ["Se ha cambiado tu contraseña.", "Navegador: no indicado"]
    )
    assert_email_speaks_tu(
        sent["new.address@example.org"], ["Confirma tu dirección de correo electrónico"]
    )

    assert_page_speaks_tu(
        client.get("/accounts/logout/"), ["¿Seguro que quieres cerrar la sesión?"]
    )
    client.post("/accounts/logout/")
    assert_page_speaks_tu(client.get("/accounts/login/"), ["Has cerrado la sesión."])


@pytest.fixture
def post_and_commit(client, django_capture_on_commit_callbacks):
    """A form post whose on-commit work runs inside the request, as in production. allauth's
    two-factor flows send their email on commit, which in a test comes after the request."""

    def post(path, data=None):
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(path, data or {})
        with (
            django_capture_on_commit_callbacks(execute=True),
            allauth_context.request_context(response.wsgi_request),
            translation.override("es"),
        ):
            for callback in callbacks:
                callback()
        return response

    return post


def test_turning_two_factor_login_on_and_off_speaks_tu(client, post_and_commit, run_worker):
    person = UserFactory()
    client.force_login(person)

    reauthenticate = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert_page_speaks_tu(reauthenticate, ["Confirmar acceso", "Escribe tu contraseña:"])
    assert_page_speaks_tu(
        client.post(reauthenticate.redirect_chain[-1][0], {"password": "not-it"}),
        ["Contraseña incorrecta."],
    )
    client.post(reauthenticate.redirect_chain[-1][0], {"password": PASSWORD})

    assert_page_speaks_tu(client.get("/accounts/2fa/"), ["No tienes activada ninguna"])
    activate = client.get("/accounts/2fa/totp/activate/")
    assert_page_speaks_tu(activate, ["Activar la aplicación de autenticación", "escanea"])
    assert_page_speaks_tu(
        client.post("/accounts/2fa/totp/activate/", {"code": "000000"}), ["Código incorrecto."]
    )
    activated = post_and_commit(
        "/accounts/2fa/totp/activate/", {"code": current_code(client.session["mfa.totp.secret"])}
    )
    assert_page_speaks_tu(client.get(activated["Location"]), ["Códigos sin usar"])

    assert_page_speaks_tu(client.get("/accounts/2fa/"), ["Te quedan 10 de 10 códigos"])
    assert_page_speaks_tu(
        client.get("/accounts/2fa/recovery-codes/generate/"),
        ["Vas a generar un nuevo juego de códigos de recuperación"],
    )
    post_and_commit("/accounts/2fa/recovery-codes/generate/")
    assert_page_speaks_tu(
        client.get("/accounts/2fa/totp/deactivate/"), ["Vas a desactivar la autenticación"]
    )
    deactivated = post_and_commit("/accounts/2fa/totp/deactivate/")
    assert_page_speaks_tu(client.get(deactivated["Location"]), ["Activar"])

    sent = run_worker()
    assert len(sent) == 3, [message.subject for message in sent]
    for message in sent:
        assert_email_speaks_tu(message, ["en tu cuenta"])


def test_a_moderator_logs_in_and_reauthenticates_with_an_authenticator_code(client):
    moderator = UserFactory(role=Role.MODERATOR)
    TOTP.activate(moderator, SECRET)

    step = client.post(
        "/accounts/login/", {"login": moderator.email, "password": PASSWORD}, follow=True
    )
    assert_page_speaks_tu(step, ["Tu cuenta está protegida", "código del autenticador"])
    assert_page_speaks_tu(
        client.post("/accounts/2fa/authenticate/", {"code": "000000"}), ["Código incorrecto."]
    )
    client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert_page_speaks_tu(client.get("/accounts/2fa/"), ["Has iniciado sesión como"])

    fresh = Client(HTTP_ACCEPT_LANGUAGE="es")
    fresh.force_login(moderator)
    reauthenticate = fresh.get("/accounts/2fa/totp/deactivate/", follow=True)
    assert_page_speaks_tu(reauthenticate, ["Confirmar acceso", "Otras opciones"])
    assert_page_speaks_tu(
        fresh.get("/accounts/2fa/reauthenticate/"), ["Escribe un código del autenticador:"]
    )


def test_the_password_rules_read_in_tu():
    with translation.override("es"):
        help_texts = password_validation.password_validators_help_texts()
    assert_speaks_tu(
        "the password rules",
        " ".join(help_texts),
        ["Tu contraseña no puede parecerse demasiado al resto de tu información personal."],
    )


# Message and email templates of features Agora leaves off: sign-in and reset by code, phone
# numbers, security keys (webauthn); and the base templates, which only others extend.
UNUSED_TEMPLATES = re.compile(r"phone|login_code|password_reset_code|webauthn|/base_")


def allauth_templates(*folders: str) -> list[str]:
    root = Path(allauth.__file__).parent / "templates"
    names = sorted(
        str(path.relative_to(root)) for folder in folders for path in (root / folder).glob("*.txt")
    )
    return [name for name in names if not UNUSED_TEMPLATES.search(name)]


@pytest.mark.parametrize(
    "template",
    allauth_templates("account/messages", "mfa/messages", "account/email", "mfa/email"),
)
def test_every_message_and_email_of_the_account_flows_reads_in_tu(template):
    """The flash messages and emails that the page tests above cannot all reach (a changed or
    removed address, a set password...), rendered on their own, in English and in Spanish."""
    context = {
        "user": UserFactory.build(handle="maria"),
        "email": "maria@example.org",
        "deleted_email": "old@example.org",
        "from_email": "old@example.org",
        "to_email": "maria@example.org",
        "name": "maria",
        "username": "maria",
        "user_display": "maria",
        "current_site": {"name": "Agora", "domain": "agora.example"},
        "activate_url": "https://agora.example/accounts/confirm-email/key/",
        "password_reset_url": "https://agora.example/accounts/password/reset/key/1-key/",
        "signup_url": "https://agora.example/accounts/signup/",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": "1 de enero de 2026",
        "MFA_RECOVERY_CODES_SHOW_ONCE": True,
    }
    with translation.override("en"):
        english = " ".join(render_to_string(template, context).split())
    with translation.override("es"):
        spanish = " ".join(render_to_string(template, context).split())
    assert spanish != english, f"{template} is not translated: {english}"
    subject = [spanish] if template.endswith("_subject.txt") else []
    assert_speaks_tu(template, spanish, [], subject)


@pytest.fixture(scope="module")
def overrides() -> list[dict]:
    assert OVERRIDES.exists(), f"{OVERRIDES} is missing"
    return messages(read_catalogue(OVERRIDES))


def test_the_overrides_hold_only_strings_that_django_or_allauth_still_have(
    overrides, upstream_source
):
    """After an upgrade of Django or allauth, a string they reworded or dropped shows up here:
    translate the new wording (see README.md, "Translations") and drop the old one. Their
    catalogues keep strings their code no longer uses, so the code is searched too."""
    upstream = upstream_entries()
    gone = [describe(entry) for entry in overrides if key(entry) not in upstream]
    assert not gone, f"no longer in Django's or allauth's Spanish catalogues: {gone}"
    unused = [
        describe(entry) for entry in overrides if source_form(entry["msgid"]) not in upstream_source
    ]
    assert not unused, f"no longer in Django's or allauth's code: {unused}"
    formats = [
        describe(entry)
        for entry in overrides
        if ("python-format" in entry["flags"]) != ("python-format" in upstream[key(entry)]["flags"])
    ]
    assert not formats, f"the python-format flag differs from the source: {formats}"


def test_every_usted_string_of_the_code_agora_uses_has_an_override(overrides, upstream_source):
    """Whatever of Django's and allauth's Spanish says usted, in the code behind the account,
    two-factor, form and admin pages, has an override: deleting one, or an upgrade that adds a
    string, fails here instead of bringing usted back."""
    covered = {key(entry) for entry in overrides}
    covered |= {key(entry) for entry in messages(read_catalogue(AGORA_CATALOGUE))}
    missing = [
        describe(entry)
        for entry in upstream_entries().values()
        if key(entry) not in covered
        and any(USTED.search(text) for text in entry["msgstr"] if text)
        and source_form(entry["msgid"]) in upstream_source
    ]
    assert not missing, f"translate these in tú in {OVERRIDES}: {missing}"


def test_the_usted_detector_knows_the_usted_of_the_upstream_catalogues():
    """The detector is what every check above stands on: it must recognise the usted that
    allauth and Django write for the strings Agora overrides, and none of the overrides."""
    upstream = upstream_entries()
    overridden = [upstream[key(entry)] for entry in messages(read_catalogue(OVERRIDES))]
    usted_upstream = [entry for entry in overridden if any(map(USTED.search, entry["msgstr"]))]
    assert len(usted_upstream) > 100
    for text in (
        "No puede añadir más de 2 direcciones de correo electrónico.",
        "Debe escribir la misma contraseña cada vez.",
        "Por favor envíe un fichero o marque la casilla de limpiar, no ambos.",
        "¿Desea continuar?",
        "Guárdelos ahora en un lugar seguro.",
        "Ya ha iniciado sesión como ana.",
        "Le enviaremos un correo electrónico.",
        "SU CONTRASEÑA",
        "Puede agregar otro usuario a continuación.",
        "Probablemente esté buscando el botón Ir.",
        "Eliminar %s seleccionándolos y luego use el botón.",
    ):
        assert USTED.search(text), text
    for text in ("No puedes añadir más", "Tu contraseña no puede ser tan corta.", "Tienes que"):
        assert not USTED.search(text), text


def upstream_entries() -> dict:
    entries = {}
    for path in UPSTREAM_CATALOGUES:
        for entry in messages(read_catalogue(path)):
            entries.setdefault(key(entry), entry)
    return entries


def source_form(text: str) -> str:
    """A msgid or a source file as the search compares them: a template's `{{ name }}` as the
    catalogue's `%(name)s`, no white space, Python's adjacent string literals joined."""
    text = re.sub(r"\{\{\s*[\w.]*?(\w+)\s*\}\}", r"%(\1)s", text)
    text = text.replace('\\"', '"').replace("\\'", "'")
    return re.sub(r"\s+", "", text).replace('""', "").replace("''", "")


@pytest.fixture(scope="module")
def upstream_source() -> str:
    """The code of the Django and allauth parts behind Agora's account, two-factor and form
    pages and the admin that officials and administrators use, as one text to search."""
    allauth_root, django_root = Path(allauth.__file__).parent, Path(django.__file__).parent
    roots = [
        *(allauth_root / part for part in ("account", "mfa", "core")),
        *(allauth_root / "templates" / part for part in ("account", "mfa", "allauth")),
        django_root / "contrib" / "auth",
        django_root / "contrib" / "admin",
        django_root / "forms",
        django_root / "core" / "validators.py",
    ]
    files = [
        path
        for root in roots
        for path in ([root] if root.is_file() else root.rglob("*"))
        if path.suffix in {".py", ".html", ".txt"} and "locale" not in path.parts
    ]
    assert len(files) > 300
    return "\n".join(source_form(path.read_text(errors="replace")) for path in files)


def test_the_overrides_do_not_change_agoras_own_translations(overrides):
    """The overrides come first in LOCALE_PATHS, so an override of a msgid that Agora's source
    also uses would replace Agora's translation of it."""
    ours = {key(entry): entry["msgstr"] for entry in messages(read_catalogue(AGORA_CATALOGUE))}
    clashes = [
        describe(entry)
        for entry in overrides
        if key(entry) in ours and ours[key(entry)] != entry["msgstr"]
    ]
    assert not clashes, f"translated otherwise in agora/locale, drop these overrides: {clashes}"


def test_every_override_is_translated_in_tu_with_the_placeholders_and_html_of_its_source(
    overrides,
):
    fields = header(read_catalogue(OVERRIDES))
    assert fields["Language"] == "es"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert len(overrides) > 150
    wrong = []
    for entry in overrides:
        forms = entry["msgstr"]
        if (
            "fuzzy" in entry["flags"]
            or len(forms) != (2 if entry["msgid_plural"] else 1)
            or not all(forms)
        ):
            wrong.append((describe(entry), "untranslated or fuzzy"))
            continue
        sources = [entry["msgid"], entry["msgid_plural"] or entry["msgid"]]
        for index, translation_text in enumerate(forms):
            source = sources[min(index, 1)]
            if "python-format" in entry["flags"] and sorted(
                PLACEHOLDER.findall(translation_text)
            ) != sorted(PLACEHOLDER.findall(source)):
                wrong.append((describe(entry), translation_text))
            if sorted(TAG.findall(translation_text)) != sorted(TAG.findall(source)):
                wrong.append((describe(entry), translation_text))
            if USTED.search(translation_text):
                wrong.append((describe(entry), f"usted: {translation_text}"))
    assert not wrong, f"fix these overrides: {wrong}"


def found(catalogue, entry: dict) -> list[str]:
    """What a gettext catalogue (or Django's translation functions) gives for an entry: its
    translation, or one per plural form, for 1 and for 2."""
    context, msgid, plural = entry["msgctxt"], entry["msgid"], entry["msgid_plural"]
    if plural:
        return [
            catalogue.npgettext(context, msgid, plural, count)
            if context
            else catalogue.ngettext(msgid, plural, count)
            for count in (1, 2)
        ]
    return [catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)]


def test_the_committed_mo_file_says_what_the_overrides_say(overrides):
    """`make install` compiles the catalogues only where GNU gettext is installed; elsewhere
    the committed .mo is what runs."""
    assert COMPILED_OVERRIDES.exists(), f"{COMPILED_OVERRIDES} is missing: run `make messages`"
    with COMPILED_OVERRIDES.open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    stale = [describe(entry) for entry in overrides if found(compiled, entry) != entry["msgstr"]]
    assert not stale, f"the overrides' django.mo is older than django.po: {stale}"
    in_po = {entry["msgid"] for entry in overrides}
    extra = {msgid if isinstance(msgid, str) else msgid[0] for msgid in compiled._catalog}
    extra = {msgid.split("\x04")[-1] for msgid in extra} - in_po - {""}
    assert not extra, f"the overrides' django.mo has entries django.po no longer has: {extra}"


def test_the_overrides_win_over_django_and_allauth_and_agoras_strings_stay_agoras(overrides):
    with translation.override("es"):
        lost = [
            describe(entry) for entry in overrides if found(translation, entry) != entry["msgstr"]
        ]
        assert not lost, f"Django or allauth still wins for: {lost}"
        # Agora's catalogue, second in LOCALE_PATHS, still wins over Django's and allauth's for
        # the strings all of them translate, each in its own way.
        upstream = upstream_entries()
        differing = [
            entry
            for entry in messages(read_catalogue(AGORA_CATALOGUE))
            if not entry["msgid_plural"]
            and key(entry) in upstream
            and upstream[key(entry)]["msgstr"][0] not in ("", entry["msgstr"][0])
        ]
        assert len(differing) >= 3
        lost = [
            describe(entry) for entry in differing if found(translation, entry) != entry["msgstr"]
        ]
        assert not lost, f"Django's or allauth's translation wins over Agora's for: {lost}"


def read_translation(path: Path, msgid: str) -> str:
    (entry,) = [e for e in messages(read_catalogue(path)) if key(e) == (None, msgid, None)]
    return entry["msgstr"][0]


def test_the_admins_javascript_speaks_tu():
    """The admin's scripts (the filters of a many-to-many field, the date and time pickers,
    the unsaved-changes warning) take their words from its JavaScript catalogue, built as
    the admin's `jsi18n` view builds it; `agora/locale_overrides/es/LC_MESSAGES/djangojs.po`
    corrects it like the rest."""
    from django.utils.translation.trans_real import DjangoTranslation
    from django.views.i18n import JavaScriptCatalog

    view = JavaScriptCatalog()
    paths = view.get_paths(["django.contrib.admin"])
    view.translation = DjangoTranslation("es", domain="djangojs", localedirs=paths)
    catalogue = view.get_catalog()
    texts = []
    for value in catalogue.values():  # a text, or a list of plural forms
        texts += [value] if isinstance(value, str) else value
    assert len(texts) > 50
    usted = sorted(text for text in texts if USTED.search(text))
    assert not usted, f"the admin's JavaScript speaks usted: {usted}"
    assert catalogue["Choose a time"] == "Elige una hora"
