"""Who may do what in moderation, as small named predicates."""

from agora.accounts.models import Role


def can_moderate(person) -> bool:
    return person.is_authenticated and (
        person.role in (Role.MODERATOR, Role.ADMINISTRATOR) or person.is_superuser
    )


def can_report(person) -> bool:
    return person.is_authenticated and person.is_active


def can_read_decision(person, decision) -> bool:
    """A statement of reasons is for the author, the reporters and moderators; the public log
    shows every decision without the item's words or anyone's name."""
    if not person.is_authenticated:
        return False
    if can_moderate(person) or decision.item.author_id == person.pk:
        return True
    return decision.item.reports.filter(reporter=person).exists()
