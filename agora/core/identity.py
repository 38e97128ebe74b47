"""The site's identity (who runs it: name, crest, colours, contact details), read by every
page without a query: each process holds a copy, read from the one `SiteIdentity` row (or
from settings until an administrator saves one), and checks on each request, in the cache,
that it is still the current version. A process pays one query when it starts and one after
each change, none per request.

The colours reach the page as a small stylesheet of CSS custom properties (`stylesheet()`),
served from Agora's own origin under a URL that names its content, so a browser keeps it for a
year and fetches a new one when the colours change; the crest likewise."""

import hashlib
from dataclasses import dataclass, fields
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.translation import get_language

from agora.core import audit
from agora.core.images import CleanImage
from agora.core.models import SiteIdentity

#: The crest's longest side, in pixels: it is shown at most 48 CSS pixels high.
CREST_MAX_SIDE = 192
CREST_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Identity:
    authority_name_en: str
    authority_name_es: str
    main_colour: str
    main_text_colour: str
    email: str
    phone: str
    postal_address: str
    opening_hours_en: str
    opening_hours_es: str
    crest_name: str = ""
    crest_width: int = 0
    crest_height: int = 0
    #: When the row was last saved; "settings" for the defaults.
    version: str = "settings"

    def _in_language(self, field: str) -> str:
        english, spanish = getattr(self, f"{field}_en"), getattr(self, f"{field}_es")
        if (get_language() or "en").startswith("es"):
            return spanish or english
        return english or spanish

    @property
    def authority_name(self) -> str:
        return self._in_language("authority_name")

    @property
    def opening_hours(self) -> str:
        return self._in_language("opening_hours")

    @property
    def has_contact(self) -> bool:
        return bool(self.email or self.phone or self.postal_address or self.opening_hours_en)

    @property
    def crest_url(self) -> str:
        if not self.crest_name:
            return ""
        return reverse("core:crest", args=[PurePosixPath(self.crest_name).name])

    def stylesheet(self) -> str:
        return (
            ":root {\n"
            f"  --accent: {self.main_colour};\n"
            f"  --accent-ink: {self.main_text_colour};\n"
            "}\n"
        )

    @property
    def stylesheet_version(self) -> str:
        return hashlib.blake2b(self.stylesheet().encode(), digest_size=6).hexdigest()

    @property
    def stylesheet_url(self) -> str:
        return reverse("core:identity_stylesheet", args=[self.stylesheet_version])


def defaults() -> Identity:
    """The identity of a site whose administrator has not set one, from settings."""
    return Identity(
        authority_name_en=settings.AGORA_AUTHORITY_NAME,
        authority_name_es=settings.AGORA_AUTHORITY_NAME_ES,
        main_colour=settings.AGORA_MAIN_COLOUR,
        main_text_colour=settings.AGORA_MAIN_TEXT_COLOUR,
        email=settings.AGORA_CONTACT_EMAIL,
        phone=settings.AGORA_CONTACT_PHONE,
        postal_address=settings.AGORA_CONTACT_ADDRESS,
        opening_hours_en=settings.AGORA_OPENING_HOURS,
        opening_hours_es=settings.AGORA_OPENING_HOURS_ES,
    )


def _from_row(row: SiteIdentity) -> Identity:
    names = {field.name for field in fields(Identity)} - {"crest_name", "version"}
    return Identity(
        crest_name=row.crest.name or "",
        version=_version_of(row),
        **{name: getattr(row, name) for name in names},
    )


def _version_of(row: SiteIdentity) -> str:
    return row.updated_at.isoformat()


#: This process's copy of the identity, and the cache entry naming the version every process
#: should hold: a request reads that short entry, and the row only when the versions differ.
_held: Identity | None = None
VERSION_KEY = "core:site-identity:version"


def current() -> Identity:
    """The site's identity, without a query unless it changed since this process last read it.

    When the cache has lost the version (a restart of Redis, an eviction), this process's copy
    stands and is published as the version; a process that knows a newer one reads the row
    on its next request and publishes that, and the others follow."""
    global _held
    held = _held
    known = cache.get(VERSION_KEY)
    if held is not None and known in (None, held.version):
        if known is None:
            cache.add(VERSION_KEY, held.version, timeout=None)
        return held
    row = SiteIdentity.objects.filter(pk=SiteIdentity.SINGLETON_ID).first()
    held = _from_row(row) if row is not None else defaults()
    _held = held
    cache.set(VERSION_KEY, held.version, timeout=None)
    return held


def sender_name() -> str:
    """Who an email says it comes from, in its subject: the authority's name in the current
    language (people know their council, not the software), else the site's name."""
    return current().authority_name or settings.AGORA_SITE_NAME


def forget_held() -> None:
    """Drop this process's copy, so the next `current()` reads the row (for tests, whose rows
    vanish when each test's transaction is rolled back)."""
    global _held
    _held = None


def _changed(instance: SiteIdentity | None = None, **_signal_arguments) -> None:
    """Tell every process the new version now, and again once the transaction commits, so
    that a copy read in between from what was not yet committed is replaced."""
    version = _version_of(instance) if instance is not None and instance.pk else "settings"
    forget_held()
    cache.set(VERSION_KEY, version, timeout=None)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.set(VERSION_KEY, version, timeout=None))


def _deleted(**_signal_arguments) -> None:
    _changed()


post_save.connect(_changed, sender=SiteIdentity, dispatch_uid="core:site-identity:saved")
post_delete.connect(_deleted, sender=SiteIdentity, dispatch_uid="core:site-identity:deleted")


def identity_row() -> SiteIdentity:
    """The row to edit: the stored one, or a new one holding the defaults from settings."""
    row = SiteIdentity.objects.filter(pk=SiteIdentity.SINGLETON_ID).first()
    if row is not None:
        return row
    start = defaults()
    derived = {"crest_name", "crest_width", "crest_height", "version"}
    names = {field.name for field in fields(Identity)} - derived
    return SiteIdentity(**{name: getattr(start, name) for name in names})


@transaction.atomic
def save_site_identity(row: SiteIdentity, *, by, crest: CleanImage | None = None) -> SiteIdentity:
    """Store the identity as edited on `row`, with a new (already re-encoded) crest when one
    was uploaded, and record who changed it. Pages show it from the next request on."""
    old_crest = ""
    if row.pk is not None:
        stored = SiteIdentity.objects.filter(pk=row.pk).values_list("crest", flat=True).first()
        old_crest = stored or ""
    if crest is not None:
        row.crest.save(crest.file.name, crest.file, save=False)
        row.crest_width, row.crest_height = crest.width, crest.height
    elif not row.crest:
        row.crest_width = row.crest_height = 0
    row.id = SiteIdentity.SINGLETON_ID
    row.save()
    if old_crest and old_crest != row.crest.name:
        storage = row.crest.storage
        transaction.on_commit(lambda: storage.delete(old_crest))
    audit.record(
        "site_identity_changed",
        row,
        actor=by,
        authority_name=row.authority_name_en,
        main_colour=row.main_colour,
        crest=bool(row.crest),
    )
    return row
