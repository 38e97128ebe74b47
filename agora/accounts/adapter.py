"""How allauth fits Agora: its emails go to the background worker instead of being sent inside
the request, and they speak as the authority that runs the site (else the site's name), not as
the host they were requested on."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agora.accounts.landing import landing_for
from agora.accounts.models import BlockedEmailDomain
from agora.core import identity, ratelimit
from agora.core.tasks import enqueue_email_message


@dataclass(frozen=True)
class Site:
    """What allauth's email templates read as `current_site`: who runs the site, and its host."""

    name: str
    domain: str


def current_site(request) -> Site:
    """The site as the authority's name (else the site's); the host of the request, or of
    `SITE_URL` when an email is rendered outside a request (after a commit, in the worker)."""
    domain = request.get_host() if request is not None else urlsplit(settings.SITE_URL).netloc
    return Site(name=identity.sender_name(), domain=domain)


#: What sign-up says of a handle it cannot give: the same for one somebody holds (whose profile
#: may be hidden) and one the site keeps for itself, so the answer confirms no account.
HANDLE_NOT_AVAILABLE = _("This handle is not available. Choose another.")


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": HANDLE_NOT_AVAILABLE,
        "username_blacklisted": HANDLE_NOT_AVAILABLE,
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": current_site(request),
            **context,
        }
        enqueue_email_message(self.render_mail(template_prefix, email, full_context))

    def clean_email(self, email: str) -> str:
        """Addresses at a domain the administrators blocked are refused, at sign-up and when
        an address is added, in words that say what to do instead."""
        email = super().clean_email(email)
        self._count_signup_from_range()
        if BlockedEmailDomain.blocks(email):
            raise ValidationError(
                _(
                    "Sign-ups from this email domain are not accepted here. Use another "
                    "address, or write to us through the contact page."
                ),
                code="blocked_domain",
            )
        return email

    def _count_signup_from_range(self) -> None:
        """Sign-ups from one address range (IPv4 /24, IPv6 /48), `AGORA_SIGNUP_RANGE_RATE`:
        a form error beside what was typed when it is used up."""
        request = allauth_context.request
        match = getattr(request, "resolver_match", None) if request is not None else None
        if match is None or match.url_name != "account_signup":
            return
        if getattr(request, "_signup_range_counted", False):  # the form asks more than once
            return
        request._signup_range_counted = True
        rate = ratelimit.Rate.parse(settings.AGORA_SIGNUP_RANGE_RATE)
        if rate is None:
            return
        network = ratelimit.network_of(self.get_client_ip(request))
        if not network:
            return
        wait = rate.hit("signup-range", network)
        if wait is not None:
            raise ratelimit.RateLimited(wait)

    def format_email_subject(self, subject: str) -> str:
        """Sign-up, confirmation and password emails name the authority that runs the site."""
        return f"[{identity.sender_name()}] {force_str(subject)}"

    def get_login_redirect_url(self, request) -> str:
        """After signing in without a `next`: where the apps say this person works (an
        official's inbox), else the home page."""
        return landing_for(request.user) or super().get_login_redirect_url(request)

    def get_http_user_agent(self, request) -> str:
        """For the security notices ("Browser: ..."): said in the reader's language when the
        browser did not say what it is."""
        return request.META.get("HTTP_USER_AGENT") or gettext("not given by the browser")
