"""A demo opinion map for `agora seed`: a question about Calle Mayor with two camps of voters
and statements both camps agree on, so the map shows groups and consensus."""

from agora.accounts.models import User
from agora.conversations import maps, services
from agora.conversations.models import Conversation, Moderation, Statement

QUESTION = "How should Villaverde make Calle Mayor safer for walking and cycling?"
# Each statement with how the two camps mostly vote on it (1 agree, -1 disagree, 0 pass).
STATEMENTS = [
    ("Calle Mayor should be closed to private cars on weekends.", 1, -1),
    ("Delivery vans need loading bays in the side streets.", 1, 1),
    ("The bike lane should be separated from traffic by a kerb.", 1, -1),
    ("Parking places on Calle Mayor must stay as they are.", -1, 1),
    ("Street lights should be brighter at the crossings.", 1, 1),
    ("Speed on Calle Mayor should be limited to 20 km/h.", 1, 0),
    ("Shops need car access in front of their doors.", -1, 1),
    ("Children should be able to walk to school on their own.", 1, 1),
]
ANONYMOUS_VOTERS = 24


def load_demo_conversation(*, force: bool = False) -> str:
    """Open the conversation as the moderator and let demo people and anonymous neighbours
    vote. Skipped once a conversation exists."""
    if Conversation.objects.exists():
        return ""
    owner = User.objects.filter(handle="moderator").first()
    if owner is None:
        return ""
    conversation = services.open_conversation(
        owner=owner,
        question=QUESTION,
        seeds=[text for text, _first, _second in STATEMENTS],
        description="Tell us what you think and see where neighbours agree.",
        moderation=Moderation.STRICT,
        allow_anonymous=True,
    )
    statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
    participants = [
        services.participant_for(conversation, user=person)
        for person in User.objects.filter(handle__in=["maria", "sam", "jonas", "lucia"])
    ]
    participants += [
        services.participant_for(conversation, token=f"demo-neighbour-{number}")
        for number in range(ANONYMOUS_VOTERS)
    ]
    for number, participant in enumerate(participants):
        camp = number % 2
        for position, (statement, (_text, *camps)) in enumerate(
            zip(statements, STATEMENTS, strict=True)
        ):
            if (number + position) % 7 == 6:
                continue  # nobody votes on everything
            value = camps[camp]
            if (number * 3 + position) % 11 == 0:
                value = 0  # an occasional pass
            services.cast_vote(participant, statement, value)
    maps.recompute_map(conversation.pk)
    return f"Loaded a demo conversation with {len(participants)} participants."
