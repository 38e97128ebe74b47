"""What social adds to other apps' pages (`core.sections`): to a profile (`accounts.pages`),
its buttons, counts and lists; to the directory's pages (`directory.pages`), the Follow button
of an office, a topic and an area, an office's announcements and the posts about a topic."""

from agora.accounts import pages as account_pages
from agora.core.sections import Section
from agora.directory import pages
from agora.social import announcements, feeds, permissions, queries
from agora.social.sources import SOURCE_KINDS


def profile_social(request, owner) -> Section:
    """The profile's buttons, counts and lists. The posts themselves are on their own page
    (`/@handle/posts/`), so the profile page stays one query for a visitor."""
    viewer = request.user
    is_self = viewer.is_authenticated and viewer.pk == owner.pk
    # What the person follows, on their own profile only: one query per kind of source.
    followed = (
        [
            (kind, list(kind.follow_model.objects.filter(follower=owner)))
            for kind in SOURCE_KINDS.values()
        ]
        if is_self
        else []
    )
    return Section(
        "social/_profile_social.html",
        {
            "is_self": is_self,
            "followed": followed,
            "follows_anything": any(follows for _kind, follows in followed),
            "show_buttons": viewer.is_authenticated and not is_self,
            "relation": queries.relationship(viewer, owner),
            "can_see_lists": permissions.can_see_lists(viewer, owner),
        },
    )


def follow_button(request, thing) -> Section:
    return Section(
        "social/_follow_part.html",
        {"thing": thing, "follow": queries.follow_state(request.user, thing)},
    )


def office_announcements(request, office) -> Section:
    page = feeds.page_of(feeds.office_posts(request.user, office), request.GET.get("before"))
    may_post = permissions.can_post_as(request.user, office)
    # An official of the office whose account is political is told why it does not post as
    # the office (asked only of political accounts: no query for anyone else).
    refusal = "" if may_post else permissions.post_as_refusal(request.user)
    if refusal and not permissions.is_official_here(request.user, office):
        refusal = ""
    return Section(
        "social/_office_announcements.html",
        {"page": page, "office": office, "may_post": may_post, "post_refusal": refusal},
    )


def urgent_pinned(request, area) -> Section | None:
    """The urgent announcements about the area still in force, pinned under its title."""
    posts = list(announcements.pinned_on_area(request.user, area)[:5])
    if not posts:
        return None
    return Section("social/_urgent_pinned.html", {"posts": posts, "area": area})


def topic_posts(request, topic) -> Section:
    page = feeds.page_of(feeds.topic_posts(request.user, topic), request.GET.get("before"))
    return Section("social/_topic_posts.html", {"page": page})


def connect() -> None:
    account_pages.PROFILE.add(profile_social)
    for slot in (pages.OFFICE_TOP, pages.TOPIC_TOP, pages.AREA_TOP):
        slot.add(follow_button)
    # After the office's response figures (cases add them at 10).
    pages.OFFICE_BODY.add(office_announcements, order=20)
    pages.TOPIC_BODY.add(topic_posts)
    # Before the Follow button: what holds now in the area comes first.
    pages.AREA_TOP.add(urgent_pinned, order=-10)
