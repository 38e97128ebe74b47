"""Consent records: the current versions of the house rules and the privacy notice, who
accepted which, and whether a person must accept again because a version changed materially
since they joined or last accepted. Asked once, when the person signs in
(`signals.ask_on_sign_in`), so no other request pays for it."""

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from agora.privacy.models import Consent, Document, PolicyVersion

#: Where each document is read (URL names): moderation's house rules; the site layer adds
#: its privacy notice (`add_document_page`).
DOCUMENT_PAGES: dict[str, str] = {Document.RULES: "moderation:rules"}


def add_document_page(document: str, url_name: str) -> None:
    DOCUMENT_PAGES[document] = url_name


def document_urls() -> dict[str, str]:
    return {document: document_url(document) for document in Document.values}


def document_url(document: str) -> str:
    return reverse(DOCUMENT_PAGES[document]) if document in DOCUMENT_PAGES else ""


def _latest(**filters) -> dict[str, PolicyVersion]:
    latest = {}
    for version in PolicyVersion.objects.filter(**filters).order_by("version"):
        latest[version.document] = version
    return latest


@transaction.atomic
def accept_current(person) -> list[Consent]:
    """Record that the person accepts the current version of each document."""
    return [
        Consent.objects.get_or_create(person=person, document=document, version=version.version)[0]
        for document, version in _latest().items()
    ]


def to_accept(person) -> list[PolicyVersion]:
    """The latest material version of each document, published after the person joined,
    that they have not accepted (nor a later one). Someone who joined after it accepted it
    by signing up."""
    newer = {
        document: version
        for document, version in _latest(material=True).items()
        if version.published_at > person.date_joined
    }
    if not newer:
        return []
    accepted = dict(
        Consent.objects.filter(person=person, document__in=newer)
        .values_list("document")
        .annotate(latest=Max("version"))
        .order_by()
    )
    return [
        version
        for document, version in sorted(newer.items())
        if accepted.get(document, 0) < version.version
    ]
