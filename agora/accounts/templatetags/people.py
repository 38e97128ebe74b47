"""Naming people in templates by the one rule of `agora.accounts.naming`:

    {% load people %}
    {% person_link comment.author %}                        a link and its kind's badge,
                                                            or "A resident"
    {% person_link event.actor office=case.office %}        the office stands in when hidden
    {% person_link post.author "post" post.pk "by" %}       with id="post-7-by"
    {% shown post.author office=post.office as author %}    the parts, to lay out by hand
    {% kind_badge author %}                                 the badge of a shown person

The viewer is the request's account (or `viewer` in the context, for emails)."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.html import format_html

from agora.accounts.naming import ShownPerson
from agora.accounts.naming import shown as shown_person

register = template.Library()


def viewer_of(context):
    if "viewer" in context:
        return context["viewer"]
    request = context.get("request")
    if request is not None and hasattr(request, "user"):
        return request.user
    return context.get("user") or AnonymousUser()


@register.simple_tag(takes_context=True)
def shown(context, person, office=None) -> ShownPerson:
    return shown_person(person, viewer_of(context), office=office)


@register.simple_tag
def kind_badge(who: ShownPerson):
    """The kind's badge: a word, styled per kind, never colour alone."""
    if not who.kind:
        return ""
    return format_html(
        ' <span class="kind-badge kind-badge--{}">{}</span>', who.kind, who.kind_label
    )


@register.simple_tag(takes_context=True)
def person_link(context, person, *id_parts, office=None):
    who = shown_person(person, viewer_of(context), office=office)
    ident = format_html(' id="{}"', "-".join(str(part) for part in id_parts)) if id_parts else ""
    if who.handle:
        return format_html(
            '<a{} href="{}">{} <span class="handle">@{}</span></a>{}',
            ident,
            who.url,
            who.name,
            who.handle,
            kind_badge(who),
        )
    if who.url:
        return format_html('<a{} href="{}">{}</a>{}', ident, who.url, who.name, kind_badge(who))
    return format_html('<span{} class="person-hidden">{}</span>', ident, who.name)


def counts_hidden_for(viewer, author=None) -> bool:
    """Whether counts (likes, shares, supports, followers) are left out for this reader: they
    chose to see none, or the author of what is shown chose to show none on their posts."""
    if getattr(viewer, "hide_counts", "") == "hidden":
        return True
    return author is not None and getattr(author, "hide_counts", "") in ("mine", "hidden")


@register.simple_tag(takes_context=True)
def counts_hidden(context, author=None) -> bool:
    """`{% counts_hidden post.author as no_counts %}`: `counts_hidden_for` for this reader."""
    return counts_hidden_for(viewer_of(context), author)
