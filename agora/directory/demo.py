"""The demo directory of Villaverde, loaded by `agora seed`."""

from pathlib import Path

from django.db import transaction

from agora.accounts import services as account_services
from agora.accounts.kinds import AccountKind
from agora.accounts.models import User
from agora.directory import services
from agora.directory.models import Office, OfficeRole

DEMO_DIRECTORY = Path(__file__).resolve().parent / "fixtures" / "demo_directory.jsonl"
# The demo officials of `agora seed` and the offices they act for.
DEMO_OFFICIALS = {
    "roads_office": "roads-mobility",
    "waste_office": "waste-cleaning",
    "housing_office": "housing",
}


@transaction.atomic
def load_demo_directory(*, force: bool = False) -> str:
    """Import the demo directory into an empty directory, and make the demo officials that
    exist officials of their offices. Safe to call again: it changes nothing the second time."""
    messages = []
    if not Office.objects.exists():
        counts = services.import_directory_file(DEMO_DIRECTORY)
        messages.append(f"Loaded the demo directory ({sum(counts.values())} entries).")
    offices = Office.objects.in_bulk(list(DEMO_OFFICIALS.values()), field_name="slug")
    administrator = User.objects.filter(handle="admin").first()
    for user in User.objects.filter(handle__in=list(DEMO_OFFICIALS)):
        office = offices.get(DEMO_OFFICIALS[user.handle])
        if office is not None:
            services.add_official(office, user, role=OfficeRole.HEAD)
            if administrator is not None and user.kind != AccountKind.INSTITUTIONAL:
                # The offices' accounts speak for the authority: institutional.
                account_services.set_kind(
                    user, kind=AccountKind.INSTITUTIONAL, by=administrator, detail=office.name_en
                )
    return " ".join(messages)
