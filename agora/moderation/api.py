"""The moderation part of the JSON API: report something (the same notice as the page, with the
same rules), and read the public log (no words, no names). Errors use the API's one shape."""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status

from agora.accounts.authentication import ANYONE, OPTIONAL_AUTH_SCHEMA
from agora.core.api.errors import ApiError, error_responses
from agora.core.api.schemas import Input
from agora.core.paging import page_by_time
from agora.moderation import registry, services
from agora.moderation.models import Action, Decision, Reason

router = Router(tags=["moderation"])


class NewReport(Input):
    kind: str = Field(
        description="What is reported: `post`, `comment`, `profile`, `proposal`, `case` or "
        "`statement`."
    )
    id: int = Field(description="Its id.")
    reason: Literal[tuple(Reason.values)]
    explanation: str = Field(max_length=2000, description="What a moderator needs to judge it.")
    law: str = Field("", max_length=300, description="For illegal content: the law it breaks.")
    good_faith: bool = Field(
        description="That you report in good faith and what you say is accurate and complete."
    )
    unnamed: bool = Field(
        False,
        description="Leave your name and email out of the notice: only for `child_abuse` "
        "(422 `refused` otherwise).",
    )


class ReportOut(Schema):
    id: int
    item: int = Field(description="The reported item's number in the moderation queue.")


@router.post(
    "/reports",
    response={201: ReportOut, **error_responses(400, 422)},
    summary="Report a post, a comment or a profile",
    description="One report per person and item; you are told the outcome. 422 `refused` says "
    "why a report cannot be taken (your own words, a second report, a missing explanation); "
    "422 `unknown` when there is no such thing that you can see.",
)
def report(request, body: NewReport):
    kind = registry.kind(body.kind)
    content = kind.model.objects.filter(pk=body.id).first() if kind else None
    if content is None or not kind.visible_to(request.auth, content):
        raise ApiError(422, "unknown", "There is no such thing that you can see to report.")
    try:
        made = services.report_content(
            content,
            by=request.auth,
            reason=body.reason,
            explanation=body.explanation,
            law=body.law,
            good_faith=body.good_faith,
            unnamed=body.unnamed,
        )
    except services.ModerationError as error:
        raise ApiError(422, "refused", error.message) from None
    return Status(201, {"id": made.pk, "item": made.item_id})


class LogEntry(Schema):
    id: int
    at: datetime = Field(alias="created_at")
    action: Literal[tuple(Action.values)]
    kind: str = Field(description="The kind of item: `post`, `comment`, `profile`...")
    rule: int | None = Field(description="The house rule's number, when one was applied.")
    law: str
    automated: bool
    on_appeal: bool

    @staticmethod
    def resolve_kind(decision) -> str:
        return decision.item.kind

    @staticmethod
    def resolve_rule(decision) -> int | None:
        return decision.rule.number if decision.rule else None

    @staticmethod
    def resolve_on_appeal(decision) -> bool:
        return decision.reviews_id is not None


class LogPage(Schema):
    items: list[LogEntry]
    next: str | None = Field(description="The cursor of the next page (`?before=`), if any.")


@router.get(
    "/moderation/log",
    response={200: LogPage, **error_responses()},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH_SCHEMA,
    summary="The public moderation log",
    description="Every decision, newest first, 50 a page: never the words, the author or who "
    "reported it.",
)
def log(request, before: str | None = None):
    page = page_by_time(
        Decision.objects.select_related("rule", "item").only(
            "pk", "action", "automated", "created_at", "law", "reviews_id", "item__kind", "rule"
        ),
        before,
        size=50,
    )
    return {"items": page.items, "next": page.next_cursor}
