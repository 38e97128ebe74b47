"""The verbs of people's data rights: ask for an export and build it, delete an account (at
once or after a grace period), and the retention rules the worker applies every day. Each
acts on the holdings the apps declare (`agora.accounts.holdings`), never on a list of its
own."""

import csv
import io
import json
import shutil
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from agora.accounts.holdings import Holding, Leave, declared
from agora.accounts.models import Verification
from agora.accounts.naming import shown
from agora.accounts.services import end_sessions
from agora.core import audit
from agora.privacy import figures
from agora.privacy.models import (
    DataRequest,
    DataRequestAccount,
    Export,
    ExportState,
    PendingDeletion,
    UnconfirmedWarning,
    delete_export_files,
)

CHUNK = 2000


# Download my data.


def request_export(*, by) -> tuple[Export, bool]:
    """The export being built for the person, or a new one queued for the worker; and whether
    it is new. A second request while one is built answers the first."""
    from agora.privacy import tasks

    building = Export.objects.filter(person=by, state=ExportState.BUILDING).first()
    if building is not None:
        return building, False
    try:
        with transaction.atomic():
            export = Export.objects.create(person=by)
            figures.add("export")
            transaction.on_commit(lambda: tasks.build_export.enqueue(export_id=export.pk))
    except IntegrityError:
        return Export.objects.get(person=by, state=ExportState.BUILDING), False
    return export, True


def exported_holdings() -> list[Holding]:
    return sorted((h for h in declared() if h.export), key=lambda holding: holding.kind)


def _people_columns(holding: Holding) -> set[str]:
    """The columns that are links to another account: exported as the name that account
    shows the person, never its handle or anything else."""
    user_model = get_user_model()
    found = set()
    for column in holding.columns:
        if "__" in column:
            continue
        column_field = holding.model_class._meta.get_field(column)
        if column_field.is_relation and column_field.related_model is user_model:
            found.add(column)
    return found


def export_rows(holding: Holding, person):
    """The exported columns of the holding's rows about the person, in chunks of dicts."""
    user_model = get_user_model()
    people = _people_columns(holding)
    rows = holding.rows_of(person).order_by("pk").values_list(*holding.columns)
    chunk = []
    for values in rows.iterator(chunk_size=CHUNK):
        chunk.append(dict(zip(holding.columns, values, strict=True)))
        if len(chunk) == CHUNK:
            yield _named(chunk, people, person, user_model)
            chunk = []
    if chunk:
        yield _named(chunk, people, person, user_model)


NAMING_FIELDS = ("handle", "display_name", "profile_visibility", "left_at", "is_active", "kind")


def _named(chunk: list[dict], people: set[str], person, user_model) -> list[dict]:
    if not people:
        return chunk
    ids = {row[column] for row in chunk for column in people if row[column]}
    # Every field `naming.shown` reads, so that no name costs a query of its own.
    others = user_model.objects.only(*NAMING_FIELDS).in_bulk(ids)
    for row in chunk:
        for column in people:
            other = others.get(row[column])
            row[column] = shown(other, person).name if other else ""
    return chunk


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_export(export: Export) -> int:
    """Write the ZIP: one JSON and one CSV file per kind of data, and a README explaining
    each, in the person's language. It is built in a temporary file and then stored whole in
    the exports storage (on disk or in object storage). Returns its size in bytes."""
    person = export.person
    holdings = exported_holdings()
    counts = {}
    with tempfile.TemporaryFile() as partial:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for holding in holdings:
                counts[holding.kind] = _write_kind(archive, holding, person)
            with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
                readme = render_to_string(
                    "privacy/export_readme.txt",
                    {
                        "person": person,
                        "export": export,
                        "kinds": [(holding, counts[holding.kind]) for holding in holdings],
                        "site_url": settings.SITE_URL,
                    },
                )
            archive.writestr("README.txt", readme)
        size = partial.tell()
        partial.seek(0)
        storages["exports"].save(export.file_name, File(partial, name=export.file_name))
    return size


def _write_kind(archive: zipfile.ZipFile, holding: Holding, person) -> int:
    """Write the kind's JSON into the archive while the CSV collects beside it (a ZIP takes
    one file at a time), then the CSV: one pass over the rows, in chunks."""
    count = 0
    with (
        tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spooled,
        archive.open(f"{holding.kind}.json", "w") as json_file,
    ):
        json_text = io.TextIOWrapper(json_file, encoding="utf-8")
        csv_text = io.TextIOWrapper(spooled, encoding="utf-8", newline="")
        writer = csv.writer(csv_text)
        writer.writerow(holding.columns)
        json_text.write("[")
        for chunk in export_rows(holding, person):
            for row in chunk:
                json_text.write(",\n" if count else "\n")
                json_text.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
                writer.writerow([_cell(row[column]) for column in holding.columns])
                count += 1
        json_text.write("\n]\n" if count else "]\n")
        json_text.flush()
        json_text.detach()
        csv_text.flush()
        csv_text.detach()
        json_file.close()
        spooled.seek(0)
        with archive.open(f"{holding.kind}.csv", "w") as csv_file:
            shutil.copyfileobj(spooled, csv_file)
    return count


def build_export(export: Export) -> Export:
    """Build the file and mark the export ready for `AGORA_EXPORT_KEEP_DAYS`."""
    try:
        size = write_export(export)
    except Exception:
        Export.objects.filter(pk=export.pk).update(state=ExportState.FAILED)
        raise
    now = timezone.now()
    export.state, export.size, export.finished_at = ExportState.READY, size, now
    export.expires_at = now + timedelta(days=settings.AGORA_EXPORT_KEEP_DAYS)
    export.save(update_fields=["state", "size", "finished_at", "expires_at"])
    return export


def downloadable(token: str, person) -> Export | None:
    """The export behind a link, when it is this person's, ready and not expired; None
    otherwise, whatever the reason, so a link says nothing to anyone else."""
    if not person.is_authenticated:
        return None
    return Export.objects.filter(
        token=token, person=person, state=ExportState.READY, expires_at__gt=timezone.now()
    ).first()


@transaction.atomic
def expire_exports(now=None) -> int:
    """Delete the exports past their date (and what failed or stalled a day ago): the rows
    now, the files after commit."""
    now = now or timezone.now()
    stale = Export.objects.filter(expires_at__lte=now) | Export.objects.filter(
        expires_at__isnull=True, requested_at__lte=now - timedelta(days=1)
    )
    names = [export.file_name for export in stale]
    stale.delete()
    delete_export_files(names)
    return len(names)


# Delete my account.


def _order(holding: Holding) -> int:
    """Erase first (public writing included), then anonymise, the account's own row last, so
    that no step loses the links a later one follows."""
    if holding.model == "accounts.User" and holding.person == "id":
        return 3
    return {Leave.PUBLIC: 0, Leave.ERASE: 0, Leave.ANONYMISE: 1, Leave.KEEP: 2}[holding.leave]


def _anonymise(holding: Holding, rows) -> int:
    changes = dict(holding.scrub)
    link = holding.field if "__" not in holding.person else None
    if holding.select is None and link is not None and link.is_relation and link.null:
        changes.setdefault(holding.person, None)
    return rows.update(**changes) if changes else 0


@transaction.atomic
def delete_account(person, *, keep_public_writing: bool) -> dict[str, int]:
    """Carry out what every holding declares for when a person leaves, in one transaction:
    erase, anonymise, keep; what they wrote in public erased or kept as "Former member", as
    they chose. The account's row stays, emptied, for what is kept to point at. The audit
    log records the deletion without personal data. Returns the rows touched by kind."""
    person = get_user_model().objects.select_for_update().get(pk=person.pk)
    if person.left_at is not None:
        return {}
    end_sessions(person, by=None, reason="account deleted")
    forget_tasks_about(person)
    avatar = person.avatar.name
    touched = {}
    for holding in sorted(declared(), key=_order):
        rows = holding.rows_of(person)
        if holding.leave == Leave.ERASE or (
            holding.leave == Leave.PUBLIC and not keep_public_writing
        ):
            if holding.erase is not None:
                count = rows.count()
                holding.erase(rows)
            else:
                count, _detail = rows.delete()
        elif holding.leave == Leave.ANONYMISE:
            count = _anonymise(holding, rows)
        else:
            continue
        touched[holding.kind] = count
    person.groups.clear()
    person.user_permissions.clear()
    get_user_model().objects.filter(pk=person.pk).update(left_at=timezone.now())
    if avatar:
        storage = person.avatar.storage
        transaction.on_commit(lambda: storage.delete(avatar))
    figures.add("deletion")
    audit.record(
        "privacy.account_deleted",
        person,
        kept_public_writing=keep_public_writing,
        rows={kind: count for kind, count in touched.items() if count},
    )
    return touched


def forget_tasks_about(person) -> int:
    """The background tasks' records that name the person: emails waiting for them, and
    what finished tasks kept of messages about them (the rendered emails others received)."""
    named = Q()
    for needle in (person.email, f"@{person.handle}", person.display_name):
        if needle:
            named |= Q(args_kwargs__icontains=needle) | Q(traceback__icontains=needle)
    finished = Q(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
    waiting_for_them = Q(status=TaskResultStatus.READY, args_kwargs__icontains=person.email)
    deleted, _detail = DBTaskResult.objects.filter((finished & named) | waiting_for_them).delete()
    return deleted


@transaction.atomic
def request_deletion(person, *, keep_public_writing: bool) -> PendingDeletion | None:
    """Delete the account now, or, with a grace period, sign the person out everywhere and
    delete it when the period ends unless they sign in again. The pending deletion, or None
    when the account is gone."""
    days = settings.AGORA_DELETION_GRACE_DAYS
    if not days:
        delete_account(person, keep_public_writing=keep_public_writing)
        return None
    pending, _created = PendingDeletion.objects.update_or_create(
        person=person,
        defaults={
            "keep_public_writing": keep_public_writing,
            "due_at": timezone.now() + timedelta(days=days),
        },
    )
    end_sessions(person, by=person, reason="deletion requested")
    return pending


def cancel_deletion(person) -> bool:
    """Signing in again within the grace period keeps the account."""
    deleted, _detail = PendingDeletion.objects.filter(person=person).delete()
    return bool(deleted)


def carry_out_due_deletions(now=None) -> int:
    now = now or timezone.now()
    done = 0
    for pending in PendingDeletion.objects.filter(due_at__lte=now).select_related("person"):
        delete_account(pending.person, keep_public_writing=pending.keep_public_writing)
        done += 1
    return done


# Retention.


def unconfirmed_accounts():
    return get_user_model().objects.filter(
        verification=Verification.UNVERIFIED,
        left_at__isnull=True,
        is_staff=False,
        is_superuser=False,
        role="resident",
    )


def warn_unconfirmed(now=None) -> int:
    """Email, once, each unconfirmed account that will be removed in
    `AGORA_UNCONFIRMED_WARNING_DAYS`."""
    from agora.privacy import tasks

    now = now or timezone.now()
    joined_before = now - timedelta(
        days=settings.AGORA_UNCONFIRMED_ACCOUNT_DAYS - settings.AGORA_UNCONFIRMED_WARNING_DAYS
    )
    people = list(
        unconfirmed_accounts()
        .filter(date_joined__lte=joined_before, unconfirmed_warning__isnull=True)
        .values_list("pk", flat=True)
    )
    UnconfirmedWarning.objects.bulk_create(
        [UnconfirmedWarning(person_id=pk) for pk in people], ignore_conflicts=True
    )
    for pk in people:
        transaction.on_commit(lambda pk=pk: tasks.email_unconfirmed_warning.enqueue(person_id=pk))
    return len(people)


def remove_unconfirmed(now=None) -> int:
    """Remove the accounts never confirmed within `AGORA_UNCONFIRMED_ACCOUNT_DAYS` that were
    warned: entirely when nothing must be kept of them, else as a deletion does."""
    now = now or timezone.now()
    due = unconfirmed_accounts().filter(
        date_joined__lte=now - timedelta(days=settings.AGORA_UNCONFIRMED_ACCOUNT_DAYS),
        unconfirmed_warning__sent_at__lte=now
        - timedelta(days=settings.AGORA_UNCONFIRMED_WARNING_DAYS),
    )
    removed = 0
    for person in due:
        try:
            with transaction.atomic():
                person.delete()
        except ProtectedError:
            delete_account(person, keep_public_writing=False)
        removed += 1
    return removed


def drop_old_networks(now=None) -> int:
    """Forget the network ranges kept beside signatures (and their invalidations) after
    `AGORA_IP_RETENTION_DAYS`."""
    from django.apps import apps

    now = now or timezone.now()
    before = now - timedelta(days=settings.AGORA_IP_RETENTION_DAYS)
    dropped = 0
    for label in ("petitions.Signature", "petitions.Invalidation"):
        model = apps.get_model(label)
        dropped += (
            model.objects.filter(created_at__lte=before).exclude(network="").update(network="")
        )
    return dropped


def prune_task_results(now=None) -> int:
    """Forget finished background tasks after `AGORA_TASK_RESULT_DAYS`: their records keep
    the emails they sent, addresses and all."""
    now = now or timezone.now()
    deleted, _detail = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lte=now - timedelta(days=settings.AGORA_TASK_RESULT_DAYS),
    ).delete()
    return deleted


def apply_retention(now=None) -> dict[str, int]:
    """Everything the retention rules remove today; what `agora retention` prints."""
    now = now or timezone.now()
    with transaction.atomic():
        done = {
            "exports expired": expire_exports(now),
            "deletions carried out": carry_out_due_deletions(now),
            "unconfirmed accounts warned": warn_unconfirmed(now),
            "unconfirmed accounts removed": remove_unconfirmed(now),
            "network ranges dropped": drop_old_networks(now),
            "finished tasks forgotten": prune_task_results(now),
            "people told of data requests": tell_lapsed_orders(now),
        }
    return done


# The transparency report of data requests from authorities.


@transaction.atomic
def record_data_request(
    *,
    by,
    received_on,
    requester: str,
    requesting_body: str,
    legal_basis: str,
    outcome: str,
    accounts,
    disclosed: str = "",
    gagged_until=None,
) -> DataRequest:
    """Record a request for people's data from an authority: counted at once in the public
    figures, and each person concerned is told by email after commit, unless a legal order
    forbids it (then when it lapses: `tell_lapsed_orders`). A request without a legal basis or
    a requesting body is refused (ValueError), nothing recorded."""
    if not legal_basis.strip() or not requesting_body.strip():
        raise ValueError("A data request needs its requesting body and its legal basis.")
    request = DataRequest(
        received_on=received_on,
        requester=requester,
        requesting_body=requesting_body.strip(),
        legal_basis=legal_basis.strip(),
        outcome=outcome,
        disclosed=disclosed,
        gagged_until=gagged_until,
    )
    request.full_clean()
    request.save()
    people = list(accounts)
    DataRequestAccount.objects.bulk_create(
        DataRequestAccount(request=request, person=person) for person in people
    )
    figures.add("request", requester, on=received_on)
    figures.add("outcome", outcome, on=received_on)
    figures.add("accounts", requester, on=received_on, count=len(people))
    if gagged_until is not None:
        figures.add("gagged", on=received_on)
    audit.record(
        "privacy.data_request_recorded",
        request,
        actor=by,
        requester=requester,
        outcome=outcome,
        accounts=len(people),
    )
    if gagged_until is None or gagged_until <= timezone.localdate():
        _tell_later(request.pk)
    return request


def _tell_later(request_id: int) -> None:
    from agora.privacy import tasks

    transaction.on_commit(lambda: tasks.tell_data_request.enqueue(request_id=request_id))


def tell_lapsed_orders(now=None) -> int:
    """Queue the emails of the requests whose order not to tell has lapsed (the daily
    retention run); how many requests."""
    today = timezone.localdate(now or timezone.now())
    lapsed = list(
        DataRequest.objects.filter(gagged_until__lte=today, accounts__told_at__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    for request_id in lapsed:
        _tell_later(request_id)
    return len(lapsed)
