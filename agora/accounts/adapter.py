"""How allauth fits Agora: its emails go to the background worker instead of being sent inside
the request."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from agora.core.tasks import enqueue_email_message


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        enqueue_email_message(self.render_mail(template_prefix, email, full_context))
