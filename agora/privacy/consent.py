"""Consent records: the current versions of the house rules and the privacy notice, who
accepted which, and whether a person must accept again because a version changed
materially. Each process keeps the latest versions for a minute, so asking costs no query."""

import time

from django.db import transaction
from django.db.models import Max, Q
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


_MEMO: dict = {"at": 0.0, "current": {}, "material": {}}
MEMO_SECONDS = 60


def forget_versions(**kwargs) -> None:
    _MEMO["at"] = 0.0


def _versions() -> tuple[dict[str, int], dict[str, tuple[int, object]]]:
    """(the latest version of each document, the latest material version of each with when
    it was published)."""
    if time.monotonic() - _MEMO["at"] > MEMO_SECONDS:
        current, material = {}, {}
        for row in PolicyVersion.objects.order_by("version").values():
            current[row["document"]] = row["version"]
            if row["material"]:
                material[row["document"]] = (row["version"], row["published_at"])
        _MEMO.update(at=time.monotonic(), current=current, material=material)
    return _MEMO["current"], _MEMO["material"]


def current_key() -> str:
    """What a session remembers once its person has accepted the current material versions."""
    _current, material = _versions()
    return ",".join(
        f"{document}:{version}" for document, (version, _at) in sorted(material.items())
    )


@transaction.atomic
def accept_current(person) -> list[Consent]:
    """Record that the person accepts the current version of each document."""
    current, _material = _versions()
    return [
        Consent.objects.get_or_create(person=person, document=document, version=version)[0]
        for document, version in current.items()
    ]


def to_accept(person) -> list[PolicyVersion]:
    """The documents whose latest material version, published after the person joined, they
    have not accepted (nor a later one). Someone who joined after it accepted it by signing
    up, so for most people this asks the database nothing."""
    _current, material = _versions()
    newer = {
        document: version
        for document, (version, published_at) in material.items()
        if published_at > person.date_joined
    }
    if not newer:
        return []
    accepted = dict(
        Consent.objects.filter(person=person, document__in=newer)
        .values_list("document")
        .annotate(latest=Max("version"))
        .order_by()
    )
    pending = [
        document for document, version in newer.items() if accepted.get(document, 0) < version
    ]
    if not pending:
        return []
    wanted = Q()
    for document in pending:
        wanted |= Q(document=document, version=newer[document])
    return list(PolicyVersion.objects.filter(wanted).order_by("document"))
