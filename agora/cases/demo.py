"""Demo cases for `agora seed`: one in every state, a transfer and an assisted entry, people
following cases and commenting on them (an office among them), and the notifications all that
sends, made by the demo residents and officials through the services, like real ones. Also
the public holidays of the demo city, which its offices' clocks skip."""

from pathlib import Path

from django.db import transaction

from agora.accounts.models import User
from agora.cases import services
from agora.cases.models import Case, Channel, PublicHoliday
from agora.directory.models import Area, Authority, Office, Topic

DEMO_HOLIDAYS = Path(__file__).resolve().parent / "fixtures" / "holidays_villaverde.csv"


def load_demo_holidays() -> int:
    """The demo city's public holidays, once."""
    city = Authority.objects.filter(slug="villaverde").first()
    if city is None or PublicHoliday.objects.filter(authority=city).exists():
        return 0
    with DEMO_HOLIDAYS.open(encoding="utf-8", newline="") as lines:
        return services.import_holidays(city, lines)


def _submit(people, handle, topic, area, title, description, *, kind="report", public=True):
    return services.submit_case(
        by=people[handle],
        kind=kind,
        title=title,
        description=description,
        topic=Topic.objects.get(slug=topic),
        area=Area.objects.get(slug=area) if area else None,
        is_public=public,
    )


@transaction.atomic
def load_demo_cases(*, force: bool = False) -> str:
    """Load the demo cases when there are none and the demo people and directory exist."""
    handles = ["maria", "sam", "lucia", "jonas", "roads_office", "waste_office", "housing_office"]
    people = {user.handle: user for user in User.objects.filter(handle__in=handles)}
    load_demo_holidays()
    if Case.objects.exists() or len(people) < len(handles) or not Topic.objects.exists():
        return ""
    roads, waste, housing = people["roads_office"], people["waste_office"], people["housing_office"]

    streetlight = _submit(
        people,
        "maria",
        "streetlights",
        "centro",
        "Streetlight out on Calle Mayor",
        "The lamp in front of Calle Mayor 12 has been dark for a week.",
    )
    services.follow_case(streetlight, by=people["jonas"])
    services.comment_on_case(
        streetlight, by=people["jonas"], body="The one at number 20 flickers too."
    )

    pothole = _submit(
        people,
        "sam",
        "potholes",
        "riverside",
        "Deep pothole by the school gate",
        "Children step into it every morning.",
    )
    services.follow_case(pothole, by=people["lucia"])
    services.follow_case(pothole, by=people["maria"])
    services.acknowledge_case(pothole, by=roads)
    services.assign_case(pothole, to=roads, by=roads)
    question = services.comment_on_case(
        pothole, by=people["lucia"], body="Could it be fenced off until it is filled?"
    )
    services.comment_on_case(
        pothole,
        by=roads,
        body="A barrier goes up this afternoon; the repair crew comes on Thursday.",
        parent=question,
    )

    bins = _submit(
        people, "maria", "bins", "centro", "Bins overflowing on Plaza Nueva", "Every weekend."
    )
    services.follow_case(bins, by=people["sam"])
    services.request_information(bins, by=waste, question="Which corner of the square?")

    rent = _submit(
        people,
        "jonas",
        "rent-aid",
        None,
        "Can I get rent aid as a new resident?",
        "I moved here two months ago.",
        kind="question",
    )
    services.request_information(
        rent, by=housing, question="Do you rent the flat, or share it with its owner?"
    )
    services.provide_information(
        rent, by=people["jonas"], text="I rent it; the owner lives abroad."
    )
    services.answer_case(
        rent, by=housing, answer="Yes, after registering in the census. Apply at any desk."
    )

    graffiti = _submit(
        people, "sam", "graffiti", None, "Graffiti on the library wall", "Since Saturday."
    )
    services.resolve_case(graffiti, by=waste, note="Cleaned on Tuesday.")

    mattress = _submit(
        people,
        "lucia",
        "bulky-waste",
        "norte",
        "Collect an old mattress",
        "From my building's door.",
        public=False,
    )
    services.answer_case(mattress, by=waste, answer="Collection booked for Thursday night.")
    services.close_case(mattress, by=people["lucia"])

    sign = _submit(
        people,
        "jonas",
        "road-signs",
        None,
        "Bent stop sign at the roundabout",
        "A lorry hit it; it points at the sky.",
    )
    services.transfer_case(
        sign,
        to_office=Office.objects.get(slug="street-maintenance"),
        by=roads,
        reason="Signs are placed by Traffic; physical repairs are done by Street Maintenance.",
    )

    bench = _submit(
        people, "sam", "street-furniture", "riverside", "Broken bench in the park", "Two slats."
    )
    services.follow_case(bench, by=people["maria"])
    services.resolve_case(bench, by=roads)
    services.reopen_case(bench, by=people["sam"], reason="Only one slat was replaced.")

    services.record_case_on_behalf(
        by=waste,
        channel=Channel.PHONE,
        kind="question",
        title="When is glass collected in Norte?",
        description="Caller asks about the glass recycling days.",
        topic=Topic.objects.get(slug="recycling"),
    )
    return f"Loaded {Case.objects.count()} demo cases."
