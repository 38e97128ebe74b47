"""Who may do what in moderation, as small named predicates."""

from django.db.models import Q

from agora.accounts.models import Role


def can_moderate(person) -> bool:
    return person.is_authenticated and (
        person.role in (Role.MODERATOR, Role.ADMINISTRATOR) or person.is_superuser
    )


def scope_filter(person) -> Q | None:
    """The items a moderator may see and decide: None for all of Agora (no scope), else those
    of their processes and offices, and of what lies inside those (an office's processes,
    `registry.ScopeWithin`). One query (their scopes, a few rows); the scopes inside are
    subqueries of the filter."""
    from django.contrib.contenttypes.models import ContentType

    from agora.moderation import registry
    from agora.moderation.models import ModeratorScope

    scopes = list(
        ModeratorScope.objects.filter(person=person).values_list("scope_type", "scope_id")
    )
    if not scopes or person.role == Role.ADMINISTRATOR or person.is_superuser:
        return None
    condition = Q(pk__in=[])
    for scope_type, scope_id in scopes:
        condition |= Q(scope_type=scope_type, scope_id=scope_id)
    for nesting in registry.scopes_within():
        outer = ContentType.objects.get_for_model(nesting.outer).pk
        outer_ids = [scope_id for scope_type, scope_id in scopes if scope_type == outer]
        if outer_ids:
            condition |= Q(
                scope_type=ContentType.objects.get_for_model(nesting.inner),
                scope_id__in=nesting.inner_ids(outer_ids),
            )
    return condition


def can_moderate_item(person, item) -> bool:
    """A moderator decides on an item when they moderate all of Agora, or the process or
    office it belongs to."""
    if not can_moderate(person):
        return False
    condition = scope_filter(person)
    if condition is None:
        return True
    return type(item).objects.filter(condition, pk=item.pk).exists()


def can_report(person) -> bool:
    return person.is_authenticated and person.is_active


def can_read_decision(person, decision) -> bool:
    """A statement of reasons is for the author, the reporters and moderators; the public log
    shows every decision without the item's words or anyone's name."""
    if not person.is_authenticated:
        return False
    if can_moderate_item(person, decision.item) or decision.item.author_id == person.pk:
        return True
    return decision.item.reports.filter(reporter=person).exists()
