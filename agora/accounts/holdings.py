"""What the site holds about a person: the registry every app fills, in a module of its own
named `personal_data.py`, with one `Holding` per link from one of its models to an account.

A holding says what the rows are (for the README of a person's export), which of their columns
the person gets in the export, and what happens to them when the person leaves: erased,
anonymised (the rows stay, the named columns are emptied and the link is cut where it may
be), kept as they are by a rule the holding names, or, for what the person wrote in public,
the person's own choice between erasing it and keeping it under "Former member".

The privacy app collects the declarations (`autodiscover_modules("personal_data")`) and acts
on them; a test fails when a link from any model to an account is declared by no holding, so
a new model cannot hold personal data unnoticed."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models


class Leave(models.TextChoices):
    """What happens to a holding's rows when the person leaves."""

    ERASE = "erase", "erase"
    ANONYMISE = "anonymise", "anonymise"
    KEEP = "keep", "keep"
    PUBLIC = "public", "the person's choice"


@dataclass(frozen=True)
class Holding:
    """The rows of `model` whose `person` field names the person.

    `kind` names the export's files (`<kind>.json`, `<kind>.csv`); `about` is the README's line
    for them; `columns` are what is exported of each row (field names or `__` paths; a link to
    another account is shown as the name that account shows the person, nothing more).
    `export=False` leaves rows out of the export (a link that says nothing the person does
    not already have in another file), with `about` saying why.

    `scrub` gives the value each column takes when the rows are anonymised. `reason` says why
    rows are anonymised or kept instead of erased; it is required for both. `erase`, when given,
    erases the rows itself (taking the queryset), for apps that keep counts or files beside
    them; otherwise the queryset is deleted. `select`, when given, finds the rows (taking the
    person) for rows that name the person without a link through `person`."""

    model: str
    person: str
    kind: str
    about: str
    leave: Leave
    columns: tuple[str, ...] = ()
    reason: str = ""
    scrub: dict = field(default_factory=dict)
    erase: Callable | None = None
    select: Callable | None = None
    export: bool = True

    def __post_init__(self):
        if self.leave in (Leave.ANONYMISE, Leave.KEEP) and not self.reason:
            raise ValueError(f"{self.model}.{self.person}: say why the rows are not erased.")
        if self.export and not self.columns:
            raise ValueError(f"{self.model}.{self.person}: name the exported columns.")

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def field(self) -> models.Field:
        return self.model_class._meta.get_field(self.person)

    def rows_of(self, person) -> models.QuerySet:
        if self.select is not None:
            return self.select(person)
        return self.model_class._default_manager.filter(**{self.person: person.pk})


_HOLDINGS: dict[tuple[str, str], Holding] = {}


def declare(*holdings: Holding) -> None:
    """Register holdings, from an app's `personal_data` module. Declaring the same link again
    replaces the declaration (a module imported twice)."""
    for holding in holdings:
        _HOLDINGS[holding.model.lower(), holding.person] = holding


def declared() -> list[Holding]:
    return list(_HOLDINGS.values())


def links_to_people() -> list[tuple[type[models.Model], models.Field]]:
    """Every field of every installed model that links to an account (foreign key, one to one,
    many to many), found by introspection: what the holdings must cover."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if (
                model_field.is_relation
                and not model_field.auto_created
                and model_field.concrete
                and model_field.related_model is user_model
            ):
                found.append((model, model_field))
    return found


def undeclared() -> list[str]:
    """The links to an account that no holding declares, as "app.Model.field"."""
    return [
        f"{model._meta.label}.{model_field.name}"
        for model, model_field in links_to_people()
        if (model._meta.label_lower, model_field.name) not in _HOLDINGS
    ]
