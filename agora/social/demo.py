"""Demo posts, announcements, follows and conversations between the demo accounts, for
`agora seed`. It runs after the demo directory, whose officials post as their offices."""

from agora.accounts.models import User
from agora.directory.models import Area, Office, Topic
from agora.social import services
from agora.social.models import Post

# (follower, followed)
FOLLOWS = [
    ("maria", "sam"),
    ("sam", "maria"),
    ("jonas", "maria"),
    ("lucia", "maria"),
    ("maria", "elena_ortiz"),
    ("maria", "civic_group"),
    ("sam", "elena_ortiz"),
]
# (follower, model, slug): offices, topics and areas of the demo directory.
SOURCE_FOLLOWS = [
    ("maria", Office, "roads-mobility"),
    ("maria", Office, "waste-cleaning"),
    ("maria", Topic, "cycling"),
    ("maria", Area, "centro"),
    ("sam", Office, "housing"),
    ("sam", Topic, "schools"),
    ("jonas", Office, "roads-mobility"),
    ("jonas", Area, "old-town"),
    ("lucia", Topic, "rent-aid"),
]
# The officials of `directory.demo` post these as their offices.
ANNOUNCEMENTS = {
    "roads_office": "roads-mobility",
    "waste_office": "waste-cleaning",
    "housing_office": "housing",
}
POSTS = [
    (
        "roads_office",
        "Night works on **Calle Mayor** from Monday: one lane closed 22:00–06:00 while we "
        "renew the street lights. Buses keep their stops. #CalleMayor #roads",
    ),
    (
        "maria",
        "The new bike lane on #CalleMayor works well in the morning, but delivery vans park on "
        "it after 10:00. @roads_office, could loading bays move to the side streets? #cycling",
    ),
    (
        "waste_office",
        "Christmas collection: glass and paper bins are emptied every day from 20 December. "
        "Leave cardboard folded next to the blue bins. #recycling",
    ),
    (
        "sam",
        "Riverside school council meets on Thursday at 18:00 in the library. Topic: a safe "
        "crossing in front of the school. Neighbours welcome. #schools",
    ),
    (
        "housing_office",
        "Applications for rent aid open on 1 December. You can apply online or at any citizen "
        "desk; bring your rental contract. #RentAid",
    ),
    ("jonas", "New in Old Town. Where do people meet to talk about the neighbourhood? #OldTown"),
    # The political accounts of `accounts.demo`: labelled as such wherever they appear.
    (
        "elena_ortiz",
        "I will ask the council on Thursday to extend the #CalleMayor bike lane to the station. "
        "Tell me what you think. #cycling",
    ),
    (
        "civic_group",
        "Our group proposes free public transport for under-18s. Read the motion and comment "
        "before the plenary session.",
    ),
]


def load_demo_social(*, force: bool = False) -> str:
    """Follow, post, comment and like as the demo people would. Skipped once posts exist."""
    if Post.objects.exists():
        return ""
    people = {person.handle: person for person in User.objects.filter(handle__in=_handles())}
    if len(people) < len(_handles()):
        return ""
    for follower, followed in FOLLOWS:
        services.follow(people[followed], by=people[follower])
    for follower, model, slug in SOURCE_FOLLOWS:
        thing = model.objects.filter(slug=slug).first()
        if thing is not None:
            services.follow_source(thing, by=people[follower])
    services.connect(people["sam"], by=people["maria"])
    offices = Office.objects.in_bulk(list(ANNOUNCEMENTS.values()), field_name="slug")
    posts = {
        author: services.create_post(
            by=people[author], body=body, office=_office_of(author, people[author], offices)
        )
        for author, body in POSTS
    }
    reply = services.comment_on_post(
        posts["maria"],
        by=people["roads_office"],
        body="Thank you, we have asked the traffic unit to check the loading times.",
    )
    services.comment_on_post(
        posts["maria"], by=people["maria"], body="Great, thanks!", parent=reply
    )
    services.comment_on_post(
        posts["sam"], by=people["maria"], body="I will come, this crossing worries me too."
    )
    for person, author in [("maria", "roads_office"), ("sam", "maria"), ("jonas", "maria")]:
        services.like_post(posts[author], by=people[person])
    services.share_post(posts["housing_office"], by=people["sam"], body="Useful for many of us.")
    return (
        f"Loaded {len(POSTS)} demo posts and announcements with follows of people, offices, "
        "topics and areas, comments and likes."
    )


def _office_of(handle: str, person: User, offices: dict) -> Office | None:
    """The office the demo official speaks for, when they are its official."""
    office = offices.get(ANNOUNCEMENTS.get(handle, ""))
    if office is not None and office.memberships.filter(user=person).exists():
        return office
    return None


def _handles() -> set[str]:
    return {handle for pair in FOLLOWS for handle in pair} | {author for author, _ in POSTS}
