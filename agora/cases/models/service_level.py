"""What an office promises: to acknowledge a case within N working days and to answer it within
M. Offices without their own row get the default. Working days are Monday to Friday, less the
public holidays of the office's authority."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.directory.models import Office

DEFAULT_ACKNOWLEDGE_DAYS = 2
DEFAULT_ANSWER_DAYS = 10
# How far ahead holidays are read when a clock starts: more than the longest promise (250
# working days) can reach, with every weekend and a generous number of holidays.
HOLIDAY_HORIZON = timedelta(days=800)


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime, days: int, holidays: Collection[date] = ()) -> datetime:
    """The moment `days` working days after `start`: the same time of day on the working day
    reached. Weekends and `holidays` (dates in the site's time zone) are skipped."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if is_working_day(timezone.localtime(moment).date(), holidays):
            days -= 1
    return moment


def holidays_ahead(office: Office, start: datetime) -> frozenset[date]:
    """The public holidays of the office's authority from `start` on, in one query."""
    from agora.cases.models.holiday import PublicHoliday

    first = timezone.localtime(start).date()
    return frozenset(
        PublicHoliday.objects.filter(
            authority_id=office.authority_id, date__gte=first, date__lte=first + HOLIDAY_HORIZON
        ).values_list("date", flat=True)
    )


@dataclass(frozen=True)
class Promise:
    acknowledge_days: int
    answer_days: int
    holidays: frozenset[date] = field(default=frozenset(), compare=False)

    def due_dates(self, start: datetime) -> tuple[datetime, datetime]:
        return (
            add_working_days(start, self.acknowledge_days, self.holidays),
            add_working_days(start, self.answer_days, self.holidays),
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
    def promise_of(office: Office, start: datetime | None = None) -> Promise:
        """What the office promises for a case whose clock starts at `start` (now by default),
        with the holidays that may fall in its way."""
        holidays = holidays_ahead(office, start or timezone.now())
        level = ServiceLevel.objects.filter(office=office).first()
        if level is None:
            return Promise(DEFAULT_ACKNOWLEDGE_DAYS, DEFAULT_ANSWER_DAYS, holidays)
        return Promise(level.acknowledge_days, level.answer_days, holidays)
