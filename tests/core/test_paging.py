"""Keyset paging (`core.paging`): pages walk a list newest first without gaps or repeats, the
last page has no next cursor, and a cursor nobody made reads as the first page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.core import audit, paging
from agora.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    """Seven audit entries, two of them made at the very same moment (the id breaks the tie)."""
    person = UserFactory()
    made = [audit.record(f"a{n}", person) for n in range(7)]
    moment = timezone.now() - timedelta(days=1)
    for number, entry in enumerate(made):
        entry.created_at = moment + timedelta(minutes=number if number != 4 else 3)
        entry.save(update_fields=["created_at"])
    return made


def walk(pager, size):
    cursor, seen, pages = None, [], 0
    while True:
        page = pager(AuditEntry.objects.all(), cursor, size=size)
        seen += [entry.action for entry in page.items]
        pages += 1
        if page.next_cursor is None:
            return seen, pages
        cursor = page.next_cursor


def test_pages_by_time_walk_everything_newest_first_once_with_ties_broken_by_id(entries):
    seen, pages = walk(paging.page_by_time, size=3)
    expected = sorted(entries, key=lambda entry: (entry.created_at, entry.pk), reverse=True)
    assert seen == [entry.action for entry in expected]
    assert pages == 3


def test_pages_by_id_walk_everything_highest_id_first_once(entries):
    seen, pages = walk(paging.page_by_id, size=2)
    assert seen == [f"a{n}" for n in reversed(range(7))]
    assert pages == 4


def test_a_list_that_fits_on_one_page_has_no_next_cursor(entries):
    page = paging.page_by_time(AuditEntry.objects.all(), None, size=7)
    assert len(page.items) == 7 and page.next_cursor is None


@pytest.mark.parametrize(
    "cursor", ["", "nonsense", "%%%", "MjAyNnwx", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OXwx", "\x00"]
)
def test_a_cursor_nobody_made_reads_as_the_first_page(entries, cursor):
    first = paging.page_by_time(AuditEntry.objects.all(), None, size=3)
    assert paging.page_by_time(AuditEntry.objects.all(), cursor, size=3).items == first.items
    by_id = paging.page_by_id(AuditEntry.objects.all(), None, size=3)
    assert paging.page_by_id(AuditEntry.objects.all(), cursor, size=3).items == by_id.items


def test_an_id_cursor_past_64_bits_is_no_cursor():
    assert paging.id_cursor(str(2**63)) is None
    assert paging.id_cursor(str(2**63 - 1)) == 2**63 - 1
    assert paging.id_cursor("12") == 12
    assert paging.id_cursor(None) is None
