"""Who may report on results, and when.

Creating a result is for the officials of the process's responsible office (or of an office
it is part of) and administrators; writing an update is for the officials of the result's
own responsible office and administrators. Both from the moment the process has begun (its
first phase has started) and then whatever the phase, through the closed phase and after the
last phase ends: delivering what was accepted takes longer than taking part, and an authority
reports on works that go on for years after the process closed. Before the process begins
there is nothing accepted to deliver, and an unpublished process has no results. So results
ask processes only whether the process is published and has begun (`Process.state_at`),
and declare no action of a phase (`processes.features`): no phase forbids reporting."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from agora.accounts.permissions import is_administrator
from agora.directory.permissions import is_official_of
from agora.processes.models import ProcessState
from agora.processes.permissions import can_view_process


class Reason:
    """Why reporting is refused (the codes the API answers)."""

    ALLOWED = "allowed"
    NOT_PUBLISHED = "not_published"
    NOT_STARTED = "not_started"
    NOT_SIGNED_IN = "not_signed_in"
    NOT_THE_OFFICE = "not_the_office"


MESSAGES = {
    Reason.ALLOWED: _("You can do this now."),
    Reason.NOT_PUBLISHED: _("This process is not published."),
    Reason.NOT_STARTED: _("The process has not begun: there is nothing to deliver yet."),
    Reason.NOT_SIGNED_IN: _("Log in to take part."),
    Reason.NOT_THE_OFFICE: _(
        "Only the officials of the responsible office and administrators report on results."
    ),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason])


def may_report(person, process, office, at=None) -> Decision:
    if not process.is_published:
        return Decision(False, Reason.NOT_PUBLISHED)
    if process.state_at(at) in (None, ProcessState.UPCOMING):
        return Decision(False, Reason.NOT_STARTED)
    if not person.is_authenticated or not person.is_active:
        return Decision(False, Reason.NOT_SIGNED_IN)
    if not (is_administrator(person) or is_official_of(person, office)):
        return Decision(False, Reason.NOT_THE_OFFICE)
    return Decision(True, Reason.ALLOWED)


def can_create_result(person, process, at=None) -> Decision:
    """The process's office (or an administrator) makes a result in it."""
    return may_report(person, process, process.office, at)


def can_update_result(person, result, at=None) -> Decision:
    """The result's office (or an administrator) writes its updates."""
    return may_report(person, result.process, result.office, at)


def can_view_result(person, result) -> bool:
    """A result is read where its process is (`processes.permissions.can_view_process`)."""
    return can_view_process(person, result.process)
