"""The one change a person makes to a poll: responding. One response per person, or per browser
for a visitor, held by the database's unique constraints (a second, even at the same moment,
is refused, not stored)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agora.core.ratelimit import Rate, RateLimited, network_of
from agora.core.refusals import Refused
from agora.polls import answers as reader
from agora.polls.models import Answer, Poll, Response
from agora.polls.permissions import can_respond


def already_answered() -> Refused:
    return Refused(
        _("You have already answered this poll; each person answers once."),
        code="already_answered",
        status=409,
    )


def respond_to_poll(
    poll: Poll, *, by, reading: reader.Reading, browser_key: str = "", address: str = ""
) -> Response:
    """Store a response read by `answers.read` (without errors). `by` is the person, or an
    anonymous user with the browser's key for a poll open to visitors."""
    decision = can_respond(by, poll)
    if not decision:
        raise Refused(decision.message, code=decision.reason)
    if reading.errors:
        raise ValueError("a reading with errors is not a response")
    signed_in = by.is_authenticated
    if not signed_in:
        if not browser_key:
            raise Refused(_("Your browser must accept cookies to answer."), code="no_cookie")
        rate = Rate.parse(settings.AGORA_POLL_VISITOR_RATE)
        wait = rate.hit("poll-visitor", network_of(address)) if rate else None
        if wait is not None:
            raise RateLimited(wait)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                poll=poll,
                respondent=by if signed_in else None,
                browser_key="" if signed_in else browser_key,
            )
            Answer.objects.bulk_create(
                Answer(response=response, **answer) for answer in reading.answers
            )
    except IntegrityError as error:
        raise already_answered() from error
    return response
