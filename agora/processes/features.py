"""What each phase of a process allows, declared once, and the one question every
participation app asks: `can_act(person, action, process, at=None)`.

An action is declared with `register_action` (its name, its label, who does it, and the kinds
of phase it is allowed in). Processes declares the actions of the first participation apps
(propose, edit, comment, support, sign, answer); a later app (budgets, polls, meetings)
declares its own (`register_action("vote", label=..., who=Who.RESIDENTS,
phases=[PhaseKind.SUPPORT])`) from its AppConfig's `ready`, and edits nothing here. Pages and
the API alike call `can_act`, which answers a `Decision`: allowed, or the reason why not."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts import kinds
from agora.directory.index import get_index
from agora.directory.permissions import is_official_of
from agora.processes.models import Participation, Phase, PhaseKind, Process


class Who:
    """Who an action is for."""

    RESIDENTS = "residents"  # the people the process's rule admits; not its office
    RESIDENTS_AND_OFFICE = "residents_and_office"  # also the office, speaking as the office
    OFFICE = "office"  # only the officials of the responsible office (or of one above it)


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # what a person is offered: "Support proposals"
    who: str


_actions: dict[str, Action] = {}
_allowed: dict[str, list[str]] = {kind: [] for kind in PhaseKind.values}


def register_action(name: str, *, label, who: str, phases) -> Action:
    """Declare an action and the kinds of phase it is allowed in. Declaring the same action
    twice, differently, is a mistake and raises."""
    action = Action(name=name, label=label, who=who)
    if _actions.get(name, action) != action:
        raise ValueError(f"The action {name} is declared twice, differently")
    _actions[name] = action
    for kind in phases:
        if kind not in _allowed:
            raise ValueError(f"Unknown kind of phase: {kind}")
        if name not in _allowed[kind]:
            _allowed[kind].append(name)
    return action


def actions() -> list[Action]:
    return list(_actions.values())


def action(name: str) -> Action:
    return _actions[name]


def allowed_in(kind: str) -> list[Action]:
    """The actions a phase of this kind allows, in the order declared."""
    return [_actions[name] for name in _allowed.get(kind, [])]


def phases_allowing(name: str) -> list[str]:
    return [kind for kind, names in _allowed.items() if name in names]


# The default table: what the first participation apps need. An office answers late rather
# than never, so answering stays allowed through the last phases.
PROPOSE = register_action(
    "propose", label=_("Propose"), who=Who.RESIDENTS, phases=[PhaseKind.PROPOSALS]
).name
EDIT = register_action(
    "edit", label=_("Edit your proposal"), who=Who.RESIDENTS, phases=[PhaseKind.PROPOSALS]
).name
COMMENT = register_action(
    "comment",
    label=_("Comment"),
    who=Who.RESIDENTS_AND_OFFICE,
    phases=[
        PhaseKind.INFORMATION,
        PhaseKind.PROPOSALS,
        PhaseKind.DEBATE,
        PhaseKind.SUPPORT,
        PhaseKind.ANSWERS,
    ],
).name
SUPPORT = register_action(
    "support", label=_("Support proposals"), who=Who.RESIDENTS, phases=[PhaseKind.SUPPORT]
).name
SIGN = register_action(
    "sign", label=_("Sign petitions"), who=Who.RESIDENTS, phases=[PhaseKind.SUPPORT]
).name
ANSWER = register_action(
    "answer",
    label=_("Answer proposals"),
    who=Who.OFFICE,
    phases=[PhaseKind.SUPPORT, PhaseKind.ANSWERS, PhaseKind.RESULTS, PhaseKind.CLOSED],
).name


class Reason:
    """Why an action is not allowed (the codes the API answers)."""

    ALLOWED = "allowed"
    NOT_PUBLISHED = "not_published"
    OUTSIDE_PHASE = "outside_phase"
    NOT_SIGNED_IN = "not_signed_in"
    NOT_VERIFIED = "not_verified"
    OUTSIDE_AREAS = "outside_areas"
    TOO_YOUNG = "too_young"
    OFFICE_TAKES_NO_PART = "office_takes_no_part"
    NOT_THE_OFFICE = "not_the_office"
    ACCOUNT_KIND = "account_kind"  # the kind of account may not (`accounts.kinds`)


MESSAGES = {
    Reason.ALLOWED: _("You can do this now."),
    Reason.NOT_PUBLISHED: _("This process is not published."),
    Reason.OUTSIDE_PHASE: _("The current phase of the process does not allow this."),
    Reason.NOT_SIGNED_IN: _("Log in to take part."),
    Reason.NOT_VERIFIED: _("Only verified residents can take part in this process."),
    Reason.OUTSIDE_AREAS: _(
        "Only verified residents of the process’s areas can take part. Your home area, as "
        "your profile says, is not one of them."
    ),
    Reason.TOO_YOUNG: _("You are under the minimum age of this process."),
    Reason.OFFICE_TAKES_NO_PART: _(
        "The responsible office answers in this process; its officials do not take part."
    ),
    Reason.NOT_THE_OFFICE: _("Only the officials of the responsible office can do this."),
    Reason.ACCOUNT_KIND: _("Your kind of account cannot do this."),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    phase: Phase | None = field(default=None, compare=False)
    #: The words of a refusal that says more than its reason's message (a kind's limit).
    explanation: str = field(default="", compare=False)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        return self.explanation or str(MESSAGES[self.reason])


def current_phase(process: Process, at: datetime | None = None) -> Phase | None:
    """The phase running at the moment (phases never overlap). Reads `process.phases.all()`,
    so a page that prefetched them asks no query."""
    at = at or timezone.now()
    for phase in process.phases.all():
        if phase.is_current(at):
            return phase
    return None


def age_of(person, on: date) -> int | None:
    """The person's age in whole years, when their account records a date of birth. Accounts
    record none today (`minimum_age` waits for them); an account model that gains a
    `birth_date` is read here and nowhere else."""
    born = getattr(person, "birth_date", None)
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def area_ids_of(process: Process) -> set[int]:
    return {area.pk for area in process.areas.all()}


def lives_in(person, area_ids: set[int]) -> bool:
    """Whether the home area on the person's profile names one of these areas or a place
    inside one, by its name in either language or another name the directory knows for it
    (the routing index in memory: no query). The home area is the person's own word:
    verification says they are a resident, not of which area (docs/apps/processes.md)."""
    named = " ".join(person.home_area.split()).casefold()
    if not named or not area_ids:
        return False
    index = get_index()
    for area in index.areas.values():
        names = {area.name_en, area.name_es, *area.alias_list}
        spelled = {" ".join(name.split()).casefold() for name in names if name}
        if named in spelled and any(place.pk in area_ids for place in index.area_chain(area)):
            return True
    return False


def eligibility(person, process: Process, at: datetime | None = None) -> str:
    """Whether the process's rule admits the person (a Reason), whatever the phase."""
    if not person.is_authenticated or not person.is_active:
        return Reason.NOT_SIGNED_IN
    needs_verification = process.participation in (Participation.VERIFIED, Participation.AREAS)
    if needs_verification and not person.is_verified_resident:
        return Reason.NOT_VERIFIED
    areas = process.participation == Participation.AREAS
    if areas and not lives_in(person, area_ids_of(process)):
        return Reason.OUTSIDE_AREAS
    if process.minimum_age:
        age = age_of(person, timezone.localdate(at or timezone.now()))
        if age is not None and age < process.minimum_age:
            return Reason.TOO_YOUNG
    return Reason.ALLOWED


def can_act(person, name: str, process: Process, at: datetime | None = None) -> Decision:
    """May the person do this in the process at this moment (now by default)? Allowed, or the
    first reason why not: the process is not published, the current phase does not allow it,
    they are not signed in, their kind of account may not (`accounts.kinds`, asked with the
    action's name: `support`, `sign`, `answer`, a later app's `vote`), the process's rule does
    not admit them, or the action is the office's (or not the office's)."""
    declared = _actions[name]  # an undeclared action is a programming mistake: KeyError
    if not process.is_published:
        return Decision(False, Reason.NOT_PUBLISHED)
    phase = current_phase(process, at)
    if phase is None or name not in _allowed[phase.kind]:
        return Decision(False, Reason.OUTSIDE_PHASE, phase)
    if not person.is_authenticated or not person.is_active:
        return Decision(False, Reason.NOT_SIGNED_IN, phase)
    limit = kinds.refusal(person, name)
    if limit:
        return Decision(False, Reason.ACCOUNT_KIND, phase, explanation=limit)
    official = is_official_of(person, process.office)
    # A political account that is also an official of the office never speaks in the office's
    # voice (`kinds.SPEAK_FOR_OFFICE`): where residents take part too, it takes part as one.
    for_office = official and kinds.may(person, kinds.SPEAK_FOR_OFFICE)
    if declared.who == Who.OFFICE:
        reason = Reason.ALLOWED if for_office else Reason.NOT_THE_OFFICE
        return Decision(reason == Reason.ALLOWED, reason, phase)
    if for_office and declared.who == Who.RESIDENTS_AND_OFFICE:
        return Decision(True, Reason.ALLOWED, phase)
    if official and declared.who != Who.RESIDENTS_AND_OFFICE:
        return Decision(False, Reason.OFFICE_TAKES_NO_PART, phase)
    reason = eligibility(person, process, at)
    return Decision(reason == Reason.ALLOWED, reason, phase)


def what_now(person, process: Process, at: datetime | None = None) -> list[tuple[Action, Decision]]:
    """Every action the current phase allows, with the person's decision for each: what the
    process page and the API show under "what can be done now"."""
    phase = current_phase(process, at)
    if phase is None:
        return []
    return [(act, can_act(person, act.name, process, at)) for act in allowed_in(phase.kind)]
