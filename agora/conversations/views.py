"""Conversation pages: the list, opening one, voting one statement at a time, writing and
moderating statements, and the map drawn on the server."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agora.conversations import permissions, services
from agora.conversations.forms import ConversationForm, ModerationForm, StatementForm, VoteForm
from agora.conversations.models import Conversation, Participant, Statement, StatementStatus

TOKEN_COOKIE = "agora_conversation_token"  # noqa: S105 - a cookie name, not a secret
TOKEN_MAX_AGE = 365 * 24 * 3600
#: Group colours, readable on white and told apart by their labels too (never colour alone).
PALETTE = ["#1b5e9a", "#a23b1f", "#2e6b30", "#6a3d9a", "#7a5c00"]
WIDTH, HEIGHT, MARGIN = 480, 320, 40


def group_name(index: int) -> str:
    return _("Group %(letter)s") % {"letter": "ABCDE"[index]}


def _browser_token(request) -> str:
    return request.get_signed_cookie(TOKEN_COOKIE, default="", salt="conversations")


def _participant(request, conversation, *, create: bool):
    if request.user.is_authenticated:
        if create:
            return services.participant_for(conversation, user=request.user)
        return Participant.objects.filter(conversation=conversation, user=request.user).first()
    token = _browser_token(request)
    if not conversation.allow_anonymous:
        return None
    if create:
        token = token or secrets.token_urlsafe(32)
        request._new_conversation_token = token
        return services.participant_for(conversation, token=token)
    if not token:
        return None
    return Participant.objects.filter(
        conversation=conversation, token_hash=Participant.hash_token(token)
    ).first()


def _remember_token(request, response):
    token = getattr(request, "_new_conversation_token", None)
    if token:
        response.set_signed_cookie(
            TOKEN_COOKIE,
            token,
            salt="conversations",
            max_age=TOKEN_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def map_figure(data: dict, *, own_point: int | None = None) -> dict:
    """Scale the stored positions into the SVG's box; groups get a colour and a name. The
    point at `own_point` (the viewer's own, if any) is also returned as `you`, to be marked."""
    points = data.get("points", [])
    if not points:
        return {"points": [], "labels": [], "you": None, "width": WIDTH, "height": HEIGHT}
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def place(x, y):
        return (
            round(MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN), 1),
            round(MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN), 1),
        )

    placed = []
    for x, y, group in points:
        cx, cy = place(x, y)
        placed.append({"cx": cx, "cy": cy, "fill": PALETTE[group % len(PALETTE)]})
    labels = []
    for index, (x, y) in enumerate(data.get("centers", [])):
        cx, cy = place(x, y)
        # above the group's centre, never past the edges, so it covers no dot and is not cut
        labels.append(
            {
                "x": min(max(cx, 2 * MARGIN), WIDTH - 2 * MARGIN),
                "y": min(max(cy - 14, MARGIN / 2 + 6), HEIGHT - 6),
                "name": group_name(index),
            }
        )
    you = None
    if own_point is not None:
        dot = placed[own_point]
        # "You" below the ring, or above it near the bottom edge; kept inside the box
        below = dot["cy"] + 32 <= HEIGHT - 6
        you = {
            **dot,
            "label_x": min(max(dot["cx"], MARGIN), WIDTH - MARGIN),
            "label_y": round(dot["cy"] + 32 if below else dot["cy"] - 16, 1),
        }
    return {"points": placed, "labels": labels, "you": you, "width": WIDTH, "height": HEIGHT}


def own_point(data: dict, participant: Participant | None) -> int | None:
    """Where the viewer's own dot is in the stored points, from the ids stored beside them
    (no computation): None for someone who has not voted or is not on the map yet."""
    if participant is None:
        return None
    try:
        return data.get("point_participants", []).index(participant.pk)
    except ValueError:
        return None


def map_context(conversation: Conversation, participant: Participant | None = None) -> dict:
    data = conversation.map or {}
    if not data.get("ready"):
        return {"ready": False, "voters": data.get("participants", 0)}
    texts = dict(Statement.objects.filter(conversation=conversation).values_list("pk", "text"))
    groups = [
        {
            "name": group_name(group["id"]),
            "colour": PALETTE[group["id"] % len(PALETTE)],
            "size": group["size"],
            "representative": [
                {
                    **entry,
                    "text": texts.get(entry["statement"], ""),
                    "agree_percent": round(entry["agree"] * 100),
                    "disagree_percent": round(entry["disagree"] * 100),
                }
                for entry in group["representative"]
            ],
        }
        for group in data["groups"]
    ]
    mine = own_point(data, participant)
    informed = sorted(data["group_aware_consensus"].items(), key=lambda item: -item[1])[:5]
    return {
        "ready": True,
        "figure": map_figure(data, own_point=mine),
        "groups": groups,
        "your_group": (
            group_name(data["points"][mine][2])
            if mine is not None and data["points"][mine][2] >= 0
            else None
        ),
        "took_part": participant is not None,
        "participants": data["participants"],
        "consensus": {
            side: [texts.get(pk, "") for pk in data["consensus"][side]]
            for side in ("agree", "disagree")
        },
        "informed": [
            {"text": texts.get(int(pk), ""), "value": round(value * 100)} for pk, value in informed
        ],
    }


def conversation_list(request):
    conversations = Conversation.objects.filter(is_open=True).select_related("owner")[:50]
    return render(
        request,
        "conversations/list.html",
        {
            "conversations": conversations,
            "can_open": permissions.can_open_conversation(request.user),
        },
    )


@never_cache
@login_required
def open_conversation(request):
    if not permissions.can_open_conversation(request.user):
        raise PermissionDenied
    form = ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        conversation = services.open_conversation(owner=request.user, **form.cleaned_data)
        messages.success(request, _("The conversation is open."))
        return redirect("conversations:detail", conversation.pk)
    return render(request, "conversations/open.html", {"form": form})


def _needs_challenge(request, participant) -> bool:
    """A visitor without an account shows they are a person (`core.challenge`) before their
    first vote or statement makes them a participant; afterwards their browser's token is
    enough."""
    return settings.AGORA_CHALLENGE and not request.user.is_authenticated and participant is None


@never_cache
def conversation_detail(request, pk, statement_form=None, vote_form=None, status=200):
    conversation = get_object_or_404(Conversation.objects.select_related("owner"), pk=pk)
    participant = _participant(request, conversation, create=False)
    statement = services.next_statement(conversation, participant)
    moderator = permissions.can_moderate(request.user, conversation)
    challenge = _needs_challenge(request, participant)
    context = {
        "conversation": conversation,
        "statement": statement,
        "can_take_part": permissions.can_take_part(request.user, conversation),
        "statement_form": statement_form or StatementForm(challenge=challenge),
        "vote_form": vote_form or VoteForm(challenge=challenge),
        "moderator": moderator,
        "pending": (
            Statement.objects.filter(conversation=conversation, status=StatementStatus.PENDING)[:50]
            if moderator
            else []
        ),
        "map": map_context(conversation, participant),
    }
    return render(request, "conversations/detail.html", context, status=status)


def _refuse_unless_taking_part(request, conversation):
    if not permissions.can_take_part(request.user, conversation):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next=/conversations/{conversation.pk}/")
        raise PermissionDenied
    return None


@require_POST
def vote(request, pk):
    conversation = get_object_or_404(Conversation, pk=pk)
    refused = _refuse_unless_taking_part(request, conversation)
    if refused:
        return refused
    challenge = _needs_challenge(request, _participant(request, conversation, create=False))
    form = VoteForm(request.POST, challenge=challenge)
    if challenge and form.has_error("challenge"):
        return conversation_detail(request, pk, vote_form=form, status=400)
    if form.is_valid():
        statement = get_object_or_404(
            Statement, pk=form.cleaned_data["statement"], conversation=conversation
        )
        participant = _participant(request, conversation, create=True)
        try:
            services.cast_vote(participant, statement, form.cleaned_data["vote"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your vote is counted."))
    else:
        messages.error(request, _("Choose agree, disagree or pass."))
    return _remember_token(request, redirect("conversations:detail", pk))


@require_POST
def submit_statement(request, pk):
    conversation = get_object_or_404(Conversation, pk=pk)
    refused = _refuse_unless_taking_part(request, conversation)
    if refused:
        return refused
    challenge = _needs_challenge(request, _participant(request, conversation, create=False))
    form = StatementForm(request.POST, challenge=challenge)
    if challenge and form.has_error("challenge"):  # what was typed comes back with it
        return conversation_detail(request, pk, statement_form=form, status=400)
    if form.is_valid():
        participant = _participant(request, conversation, create=True)
        try:
            statement = services.submit_statement(participant, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if statement.status == StatementStatus.PENDING:
                messages.success(request, _("Thank you. Your statement waits for approval."))
            else:
                messages.success(request, _("Thank you. Your statement is published."))
    else:
        messages.error(request, " ".join(form.errors.get("text", [])))
    return _remember_token(request, redirect("conversations:detail", pk))


@require_POST
@login_required
def moderate(request, pk, statement_pk):
    statement = get_object_or_404(
        Statement.objects.select_related("conversation"), pk=statement_pk, conversation_id=pk
    )
    form = ModerationForm(request.POST)
    if not form.is_valid():
        if "decision" in form.errors:
            messages.error(request, _("Choose to accept or to remove the statement."))
        else:
            messages.error(request, _("The reason can be at most 500 characters of plain text."))
        return redirect("conversations:detail", pk)
    accept = form.cleaned_data["decision"] == "accept"
    services.moderate_statement(
        statement, by=request.user, accept=accept, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request, _("The statement is accepted.") if accept else _("The statement is removed.")
    )
    return redirect("conversations:detail", pk)
