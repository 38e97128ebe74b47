"""The pages of official information: publishing an announcement (with its validity,
attachments and, for the responsible office, urgency), correcting one, and serving its
attachments with the announcement's own access check."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.core.forms import add_errors
from agora.directory.models import Office
from agora.social import announcements, permissions
from agora.social.forms import AnnouncementForm, CorrectionForm
from agora.social.models import Attachment, Post

SLUG = re.compile(r"^[a-z0-9-]{1,100}$")


@login_required
def new_announcement(request):
    """The announcement form, for the officials of at least one office; `?office=<slug>`
    chooses the office (from its page's link)."""
    if not permissions.offices_to_post_as(request.user).exists():
        refusal = permissions.post_as_refusal(request.user)
        if refusal and Office.objects.filter(memberships__user=request.user).exists():
            # An official whose account is political: told why, not shown a missing page.
            return render(
                request,
                "social/refused.html",
                {"message": refusal, "back": reverse("site:home")},
                status=403,
            )
        raise Http404
    if request.method == "POST":
        form = AnnouncementForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                post = announcements.publish_announcement(
                    by=request.user,
                    office=data["office"],
                    body=data["body"],
                    visibility=data["visibility"],
                    service_information=data["service_information"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    attachments=form.attachments(),
                    urgent_area=data["urgent_area"],
                    urgent_topic=data["urgent_topic"],
                )
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as error:
                form.add_error("urgent" if data["urgent"] else "office", str(error))
            else:
                if post.is_urgent:
                    messages.success(
                        request,
                        _("Your urgent announcement is published; its followers are being told."),
                    )
                else:
                    messages.success(request, _("Your announcement is published."))
                return redirect("social:post", post_id=post.pk)
    else:
        slug = request.GET.get("office", "")
        office = Office.objects.filter(slug=slug).first() if SLUG.match(slug) else None
        form = AnnouncementForm(user=request.user, initial={"office": office} if office else None)
    return render(request, "social/new_announcement.html", {"form": form})


def correct_announcement(request, post):
    """The correction form of an announcement (the edit page of a post that is one)."""
    refusal = permissions.post_as_refusal(request.user)
    if refusal and post.author_id == request.user.pk:
        back = reverse("social:post", kwargs={"post_id": post.pk})
        return render(
            request, "social/refused.html", {"message": refusal, "back": back}, status=403
        )
    if not permissions.can_change_post(request.user, post):
        raise PermissionDenied
    form = CorrectionForm(
        request.POST or None,
        initial={"body": post.body, "service_information": post.service_information},
    )
    if request.method == "POST" and form.is_valid():
        try:
            announcements.correct_announcement(
                post,
                by=request.user,
                body=form.cleaned_data["body"],
                note=form.cleaned_data["note"],
                service_information=form.cleaned_data["service_information"],
            )
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The correction is published with the earlier text."))
            return redirect("social:post", post_id=post.pk)
    return render(request, "social/correct_announcement.html", {"post": post, "form": form})


def attachment(request, post_id: int, attachment_id: int):
    """An announcement's file, only to those who may read the announcement; a PDF is offered
    as a download under its own name, never shown inline from Agora's origin."""
    post = get_object_or_404(Post, pk=post_id)
    if not permissions.can_view_post(request.user, post):
        raise Http404
    item = get_object_or_404(Attachment, pk=attachment_id, post=post)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not item.is_image,
        filename=item.name,
        content_type="application/pdf" if not item.is_image else None,
    )
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
