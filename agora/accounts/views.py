"""Profile pages and the person's own settings pages. Views parse, check access, call one
service function and render."""

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.accounts import kinds, pages, services
from agora.accounts.forms import AccessTokenForm, ProfileForm, VerificationCodeForm
from agora.accounts.models import PersonalAccessToken, User
from agora.accounts.permissions import find_visible_profile
from agora.core.images import image_response
from agora.core.navigation import next_url


def _visible_profile_or_404(request, handle: str) -> User:
    # A hidden profile answers exactly like a missing one, so nobody learns it exists.
    owner = find_visible_profile(request.user, handle)
    if owner is None:
        raise Http404
    return owner


def profile(request, handle: str):
    owner = _visible_profile_or_404(request, handle)
    if owner.handle != handle:
        return redirect("accounts:profile", handle=owner.handle, permanent=True)
    return render(
        request,
        "accounts/profile.html",
        {
            "owner": owner,
            "kind_description": kinds.DESCRIPTIONS[owner.kind],
            "is_self": request.user.is_authenticated and request.user == owner,
            "sections": pages.PROFILE.sections(request, owner),
        },
    )


def avatar(request, handle: str):
    return image_response(_visible_profile_or_404(request, handle).avatar)


@never_cache
@login_required
def edit_profile(request):
    # A copy of the account, so a rejected form never shows its values in the page header.
    user = User.objects.get(pk=request.user.pk)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=user)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            services.update_profile(
                user,
                avatar=form.cleaned_data.get("avatar") or None,
                remove_avatar=form.cleaned_data.get("remove_avatar", False),
                **data,
            )
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:edit_profile")
    else:
        form = ProfileForm(instance=user)
    return render(request, "accounts/edit_profile.html", {"form": form})


@never_cache
@login_required
def access_tokens(request):
    new_secret = None
    if request.method == "POST":
        form = AccessTokenForm(request.POST)
        if form.is_valid():
            _token, new_secret = services.create_access_token(
                request.user, name=form.cleaned_data["name"]
            )
            form = AccessTokenForm()
    else:
        form = AccessTokenForm()
    tokens = PersonalAccessToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    return render(
        request,
        "accounts/access_tokens.html",
        {"form": form, "tokens": tokens, "new_secret": new_secret},
    )


@require_POST
@login_required
def revoke_access_token(request, token_id: int):
    token = get_object_or_404(PersonalAccessToken, pk=token_id, user=request.user)
    services.revoke_access_token(token, by=request.user)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:access_tokens")


@never_cache
@login_required
def verification(request):
    if request.method == "POST":
        form = VerificationCodeForm(request.POST)
        if not ratelimit.consume(request, action="redeem_verification_code", user=request.user):
            form.add_error(None, _("Too many attempts. Try again in an hour."))
        elif form.is_valid():
            try:
                services.redeem_verification_code(request.user, form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
            else:
                messages.success(request, _("You are now a verified resident."))
                return redirect("accounts:verification")
    else:
        form = VerificationCodeForm()
    return render(request, "accounts/verify.html", {"form": form})


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in person keeps the choice on the account."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(next_url(request, "/"))
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
        if request.user.is_authenticated:
            services.set_language(request.user, language)
    return response
