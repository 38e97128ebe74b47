"""Moderation's background work: the emails to a visitor without an account who sent a notice,
that it was received (Article 16(4)) and what was decided (Article 16(5)). People with an
account hear through their notifications instead."""

from django.conf import settings
from django.utils.translation import gettext_noop
from django_tasks import task

from agora.core.tasks import send_rendered


@task(queue_name="email")
def email_visitor(*, report_id: int, decision_id: int | None = None) -> int:
    from agora.moderation.models import Decision, Report

    report = Report.objects.select_related("item").filter(pk=report_id).first()
    if report is None or not report.reporter_email:
        return 0
    decision = None
    if decision_id is not None:
        decision = Decision.objects.select_related("rule").filter(pk=decision_id).first()
        if decision is None:
            return 0
    return send_rendered(
        to=report.reporter_email,
        language=report.language,
        subject=(
            gettext_noop("The outcome of your report")
            if decision
            else gettext_noop("Your report was received")
        ),
        template="moderation/email/visitor.txt",
        context={
            "report": report,
            "decision": decision,
            "rules_url": settings.SITE_URL + "/rules/",
            "log_url": settings.SITE_URL + "/moderation/log/",
        },
        # A task run again (its worker killed in the middle) does not tell the visitor twice.
        key=f"report-{report.pk}-decision-{decision.pk}" if decision else f"report-{report.pk}",
    )
