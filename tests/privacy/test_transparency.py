"""The transparency report of data requests: administrators record each request from an
authority, the people concerned are told (or, under a legal order, when it lapses), and a
public page and `agora transparency report` show the figures by half-year from monthly counts,
with the downloads and deletions people made."""

import datetime as dt
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from agora.privacy import services
from agora.privacy.models import DataRequest, DataRequestAccount, MonthlyCount
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, main_part, signed_in

pytestmark = pytest.mark.django_db


def record(people, *, on=dt.date(2026, 3, 10), requester="police", **more):
    fields = {
        "received_on": on,
        "requester": requester,
        "requesting_body": "Municipal police",
        "legal_basis": "Criminal procedure act, art. 588",
        "outcome": "partly",
        "disclosed": "Sign-in times",
        **more,
    }
    return services.record_data_request(by=UserFactory(is_staff=True), accounts=people, **fields)


def test_the_people_concerned_are_told_by_the_worker(
    run_worker, django_capture_on_commit_callbacks
):
    vera, omar = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record([vera])
    sent = run_worker()
    assert [message.to for message in sent] == [[vera.email]]
    assert "Municipal police" in sent[0].body and "Criminal procedure act" in sent[0].body
    assert DataRequestAccount.objects.get(person=vera).told_at is not None
    assert len(run_worker()) == 1  # told once
    assert omar.email not in {address for message in sent for address in message.to}


def test_under_an_order_not_to_tell_they_are_told_when_it_lapses(
    run_worker, django_capture_on_commit_callbacks
):
    vera = UserFactory()
    lapses = timezone.localdate() + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        record([vera], gagged_until=lapses)
    assert run_worker() == []
    holding_rows = services.exported_holdings()
    told = next(holding for holding in holding_rows if holding.kind == "data_requests")
    assert not told.rows_of(vera).exists()  # not in their export either
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tell_lapsed_orders(timezone.now()) == 0
        later = timezone.now() + dt.timedelta(days=31)
        assert services.tell_lapsed_orders(later) == 1
    DataRequest.objects.update(gagged_until=timezone.localdate())
    sent = run_worker()
    assert [message.to for message in sent] == [[vera.email]]
    assert told.rows_of(vera).count() == 1


def test_a_request_without_a_legal_basis_is_refused_and_nothing_is_recorded():
    with pytest.raises(ValueError, match="legal basis"):
        record([UserFactory()], legal_basis="  ")
    assert not DataRequest.objects.exists() and not MonthlyCount.objects.exists()


def test_the_admin_form_refuses_a_missing_legal_basis_and_keeps_what_was_typed():
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    vera = UserFactory(handle="vera")
    response = signed_in(admin).post(
        "/admin/privacy/datarequest/add/",
        {
            "received_on": "2026-03-10",
            "requester": "court",
            "requesting_body": "Court of first instance no. 3",
            "legal_basis": "",
            "outcome": "refused",
            "handles": "@vera, nobody_here",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert "No account has these handles: nobody_here" in page
    assert "Court of first instance no. 3" in page
    assert not DataRequest.objects.exists()
    response = signed_in(admin).post(
        "/admin/privacy/datarequest/add/",
        {
            "received_on": "2026-03-10",
            "requester": "court",
            "requesting_body": "Court of first instance no. 3",
            "legal_basis": "Civil procedure act",
            "outcome": "refused",
            "handles": "@Vera",
        },
    )
    assert response.status_code == 302
    assert DataRequestAccount.objects.get().person == vera


def test_the_public_page_and_the_csv_show_the_figures_by_half_year(world_free_town):
    vera, omar = UserFactory(), UserFactory()
    record([vera, omar], on=dt.date(2026, 2, 1))
    record([vera], on=dt.date(2026, 9, 1), requester="tax", outcome="refused")
    services.request_export(by=vera)
    services.delete_account(omar, keep_public_writing=False)

    def grow():
        for day in range(1, 6):
            record([vera], on=dt.date(2025, 1, day), requester="court", outcome="disclosed")

    few, many = assert_constant_queries(
        lambda: Client().get("/transparency/data-requests/"), grow, expected=1
    )
    page = main_part(many)
    for text in ("2026-H2", "2026-H1", "2025-H1", "Tax authorities", "Accounts concerned"):
        assert text in page
    assert "<svg" in page and "<title>Courts and prosecutors: 5</title>" in page
    spanish = main_part(Client().get("/transparency/data-requests/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Peticiones de datos de las personas" in spanish
    out = io.StringIO()
    call_command("transparency", "report", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("half_year,requests,requests_police")
    # 2026-H2: one tax request, refused, one account, one download, one deletion (this month).
    half = f"{timezone.localdate().year}-H{1 if timezone.localdate().month <= 6 else 2}"
    assert any(line.startswith("2025-H1,5,0,5,0,0,5,0,0,5,0") for line in lines)
    assert any(line.startswith(half) and line.endswith(",1,1") for line in lines)


@pytest.fixture
def world_free_town():
    """Nothing to build: the figures start empty."""
    assert not MonthlyCount.objects.exists()
