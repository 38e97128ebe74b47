"""Template tags the social app lends to other apps' pages: the profile's buttons and links.

The posts themselves are on their own page (`/@handle/posts/`), so the profile page stays one
query for a visitor, as accounts pins it."""

from django import template

from agora.social import permissions, queries

register = template.Library()


@register.inclusion_tag("social/_profile_social.html", takes_context=True)
def profile_social(context, owner):
    request = context["request"]
    viewer = request.user
    is_self = viewer.is_authenticated and viewer.pk == owner.pk
    return {
        "request": request,
        "user": viewer,
        "owner": owner,
        "is_self": is_self,
        "show_buttons": viewer.is_authenticated and not is_self,
        "relation": queries.relationship(viewer, owner),
        "can_see_lists": permissions.can_see_lists(viewer, owner),
        "csrf_token": context.get("csrf_token"),
    }
