"""Moderation's background work: the emails to a visitor without an account who sent a notice,
that it was received (Article 16(4)) and what was decided (Article 16(5)). People with an
account hear through their notifications instead."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from agora.core import identity


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
    with translation.override(report.language or settings.LANGUAGE_CODE):
        from django.utils.translation import gettext as _

        subject = _("The outcome of your report") if decision else _("Your report was received")
        body = render_to_string(
            "moderation/email/visitor.txt",
            {
                "report": report,
                "decision": decision,
                "rules_url": settings.SITE_URL + "/rules/",
                "log_url": settings.SITE_URL + "/moderation/log/",
            },
        )
        subject = f"[{identity.sender_name()}] {subject}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[report.reporter_email],
        connection=get_connection(),
    )
    return message.send()
