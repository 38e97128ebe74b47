"""What an office promises: to acknowledge a case within N working days and to answer it within
M. Offices without their own row get the default."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Office

DEFAULT_ACKNOWLEDGE_DAYS = 2
DEFAULT_ANSWER_DAYS = 10


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment `days` working days (Monday to Friday) after `start`."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


@dataclass(frozen=True)
class Promise:
    acknowledge_days: int
    answer_days: int

    def due_dates(self, start: datetime) -> tuple[datetime, datetime]:
        return (
            add_working_days(start, self.acknowledge_days),
            add_working_days(start, self.answer_days),
        )


DEFAULT_PROMISE = Promise(DEFAULT_ACKNOWLEDGE_DAYS, DEFAULT_ANSWER_DAYS)


class ServiceLevel(models.Model):
    office = models.OneToOneField(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="service_level"
    )
    acknowledge_days = models.PositiveSmallIntegerField(
        _("acknowledge within (working days)"),
        default=DEFAULT_ACKNOWLEDGE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    answer_days = models.PositiveSmallIntegerField(
        _("answer within (working days)"),
        default=DEFAULT_ANSWER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self) -> str:
        return f"{self.office}: {self.acknowledge_days} / {self.answer_days}"

    @staticmethod
    def promise_of(office: Office) -> Promise:
        level = ServiceLevel.objects.filter(office=office).first()
        if level is None:
            return DEFAULT_PROMISE
        return Promise(level.acknowledge_days, level.answer_days)
