"""Social pages: feeds, posts and their threads, relationship buttons and lists, tags and
search. Views parse, check access, call one service function and render; every button is a
POST form that works without JavaScript."""

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.accounts.models import User
from agora.accounts.permissions import find_visible_profile
from agora.core.forms import add_errors
from agora.core.images import image_response
from agora.core.navigation import next_url
from agora.social import embeds, feeds, permissions, queries, search, services
from agora.social.forms import CommentForm, EditPostForm, PostForm, SearchForm, ShareForm
from agora.social.models import ConnectionRequest, Post, PostImage, PostRevision, Tag
from agora.social.sources import SOURCE_KINDS


def _person_or_404(request, handle: str) -> User:
    person = find_visible_profile(request.user, handle)
    if person is None:
        raise Http404
    return person


def _visible_post_or_404(request, post_id: int) -> Post:
    post = get_object_or_404(Post, pk=post_id)
    if not permissions.can_view_post(request.user, post):
        raise Http404
    return post


# Feeds.


@lru_cache(maxsize=len(settings.LANGUAGES))
def _blank_post_form(language: str) -> str:
    """The fields of an empty post form, rendered once per language and process: the same for
    everyone who cannot post for an office, and about a fifth of a home page's rendering
    otherwise. (The `<form>` and its CSRF token are rendered per request around it.)"""
    return render_to_string("social/_post_form_fields.html", {"form": PostForm()})


def _feed_filter(request) -> str:
    """The feed filter the address asks for; an unknown one is "everyone"."""
    feed_filter = request.GET.get("filter", feeds.FeedFilter.EVERYONE)
    return feed_filter if feed_filter in feeds.FeedFilter.ALL else feeds.FeedFilter.EVERYONE


@login_required
def home(request):
    feed_filter = _feed_filter(request)
    page = feeds.home_page(request.user, request.GET.get("before"), feed_filter=feed_filter)
    form = PostForm(user=request.user)
    context = {"page": page, "feed_filter": feed_filter, "form": form}
    if "post_as" not in form.fields:
        context["blank_post_form"] = _blank_post_form(get_language())
    return render(request, "social/home.html", context)


def latest(request):
    feed_filter = _feed_filter(request)
    posts = feeds.latest(request.user, feed_filter=feed_filter)
    page = feeds.page_of(posts, request.GET.get("before"))
    return render(request, "social/latest.html", {"page": page, "feed_filter": feed_filter})


def tag(request, name: str):
    tag = get_object_or_404(Tag.objects.select_related("topic", "area"), name=name.lower())
    page = feeds.page_of(feeds.tag_posts(request.user, tag), request.GET.get("before"))
    return render(request, "social/tag.html", {"tag": tag, "page": page})


def profile_posts(request, handle: str):
    owner = _person_or_404(request, handle)
    page = feeds.page_of(feeds.profile_posts(request.user, owner), request.GET.get("before"))
    return render(request, "social/profile_posts.html", {"owner": owner, "page": page})


# Posts.


@require_POST
@login_required
def create_post(request):
    form = PostForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        try:
            post = services.create_post(
                by=request.user,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                reply_policy=form.cleaned_data["reply_policy"],
                images=form.images(),
                office=form.office(),
                service_information=form.marked_service_information(),
            )
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as error:
            form.add_error("post_as" if "post_as" in form.fields else None, str(error))
        else:
            messages.success(request, _("Your post is published."))
            return redirect("social:post", post_id=post.pk)
    page = feeds.home_page(request.user, None)
    return render(
        request,
        "social/home.html",
        {"page": page, "feed_filter": feeds.FeedFilter.EVERYONE, "form": form},
        status=400,
    )


def post_detail(request, post_id: int, comment_form=None, status=200):
    post = feeds.detailed(request.user, _visible_post_or_404(request, post_id))
    return render(
        request,
        "social/post_detail.html",
        {
            "post": post,
            "thread": queries.comment_thread(request.user, post),
            "can_reply": permissions.can_reply(request.user, post),
            "can_share": permissions.can_share(request.user, post),
            "share_refusal": permissions.share_refusal(request.user, post),
            "can_change": permissions.can_change_post(request.user, post),
            "comment_form": comment_form or CommentForm(),
            "share_form": ShareForm(auto_id="share_%s"),
            "revisions": PostRevision.objects.filter(post=post) if post.edited_at else [],
            "corrections": (
                list(post.corrections.all()) if post.is_announcement and post.edited_at else []
            ),
            "attachments": list(post.attachments.all()) if post.is_announcement else [],
        },
        status=status,
    )


@login_required
def edit_post(request, post_id: int):
    post = get_object_or_404(Post, pk=post_id, author=request.user)
    if post.is_announcement:
        from agora.social.announcement_views import correct_announcement

        return correct_announcement(request, post)
    if request.method == "POST":
        form = EditPostForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.edit_post(
                    post,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    service_information=form.cleaned_data.get("service_information"),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your post is saved."))
                return redirect("social:post", post_id=post.pk)
    else:
        form = EditPostForm(
            user=request.user,
            initial={"body": post.body, "service_information": post.service_information},
        )
    return render(request, "social/edit_post.html", {"post": post, "form": form})


@require_POST
@login_required
def delete_post(request, post_id: int):
    post = get_object_or_404(Post, pk=post_id, author=request.user)
    try:
        services.delete_post(post, by=request.user)
    except ValidationError as error:  # kept while moderators decide
        messages.error(request, " ".join(error.messages))
        return redirect("social:post", post_id=post.pk)
    messages.success(request, _("Your post is deleted."))
    return redirect("social:home")


@require_POST
@login_required
def like_post(request, post_id: int):
    post = _visible_post_or_404(request, post_id)
    try:
        if request.POST.get("undo"):
            services.unlike_post(post, by=request.user)
        elif not services.like_post(post, by=request.user):
            messages.info(request, _("You already like this post."))
    except PermissionDenied:
        messages.error(request, _("You cannot like this post."))
    return redirect(next_url(request, f"/posts/{post.pk}/"))


@require_POST
@login_required
def share_post(request, post_id: int):
    post = _visible_post_or_404(request, post_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment is too long."))
        return redirect("social:post", post_id=post.pk)
    try:
        share = services.share_post(post, by=request.user, body=form.cleaned_data["body"])
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or _("This post cannot be shared."))
        return redirect("social:post", post_id=post.pk)
    messages.success(request, _("You shared the post with your followers."))
    return redirect("social:post", post_id=share.pk)


@require_POST
@login_required
def comment(request, post_id: int):
    """Sending a comment. Whether the person may see the post is asked once, by the service
    (a post they may not see is not found, as on its page); a form sent back with errors
    shows the post's page, which asks too."""
    post = get_object_or_404(Post.objects.select_related("author"), pk=post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = (
                queries.post_comments()
                .select_related("author")
                .filter(pk=form.cleaned_data["parent"])
                .first()
            )
        try:
            created = services.comment_on_post(
                post, by=request.user, body=form.cleaned_data["body"], parent=parent
            )
        except PermissionDenied as refusal:
            raise Http404 from refusal
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(f"/posts/{post.pk}/#comment-{created.pk}")
    return post_detail(request, post.pk, comment_form=form, status=400)


@require_POST
@login_required
def like_comment(request, comment_id: int):
    comment = get_object_or_404(queries.post_comments().select_related("author"), pk=comment_id)
    post = _visible_post_or_404(request, comment.object_id)
    try:
        if request.POST.get("undo"):
            services.unlike_comment(comment, by=request.user)
        elif not services.like_comment(comment, by=request.user):
            messages.info(request, _("You already like this comment."))
    except PermissionDenied:
        messages.error(request, _("You cannot like this comment."))
    return redirect(f"/posts/{post.pk}/#comment-{comment.pk}")


@require_POST
@login_required
def delete_comment(request, comment_id: int):
    comment = get_object_or_404(queries.post_comments(), pk=comment_id, author=request.user)
    post_id = comment.object_id
    try:
        services.delete_comment(comment, by=request.user)
    except ValidationError as error:  # kept while moderators decide
        messages.error(request, " ".join(error.messages))
        return redirect(f"/posts/{post_id}/#comment-{comment.pk}")
    messages.success(request, _("Your comment is deleted."))
    return redirect("social:post", post_id=post_id)


# Relationships.

RELATIONSHIP_ACTIONS = {
    "follow": (services.follow, gettext_lazy("You follow %(name)s.")),
    "unfollow": (services.unfollow, gettext_lazy("You no longer follow %(name)s.")),
    "connect": (services.connect, gettext_lazy("Connection with %(name)s: done or requested.")),
    "disconnect": (services.disconnect, gettext_lazy("You are no longer connected with %(name)s.")),
    "block": (services.block, gettext_lazy("You blocked %(name)s. They are not told.")),
    "unblock": (services.unblock, gettext_lazy("You unblocked %(name)s.")),
    "mute": (services.mute, gettext_lazy("You muted %(name)s. They are not told.")),
    "unmute": (services.unmute, gettext_lazy("You unmuted %(name)s.")),
}


@require_POST
@login_required
def relationship_action(request, handle: str, action: str):
    if action not in RELATIONSHIP_ACTIONS:
        raise Http404
    other = permissions.person_to_relate(request.user, handle, action)
    if other is None:
        raise Http404
    verb, message = RELATIONSHIP_ACTIONS[action]
    try:
        verb(other, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot do this."))
    else:
        messages.success(request, message % {"name": other.name})
    return redirect(next_url(request, f"/@{other.handle}/"))


@require_POST
@login_required
def follow_source(request, action: str, kind: str, slug: str):
    """Follow or unfollow an office, a topic or an area, from the button on its page."""
    source_kind = SOURCE_KINDS[kind]
    thing = get_object_or_404(source_kind.visible(request.user), slug=slug)
    if action == "follow":
        services.follow_source(thing, by=request.user)
        messages.success(request, source_kind.followed_message % {"name": thing.name})
    else:
        services.unfollow_source(thing, by=request.user)
        messages.success(request, source_kind.unfollowed_message % {"name": thing.name})
    return redirect(next_url(request, thing.get_absolute_url()))


@login_required
def connection_requests(request):
    received = ConnectionRequest.objects.filter(recipient=request.user).select_related("sender")
    sent = ConnectionRequest.objects.filter(sender=request.user).select_related("recipient")
    return render(
        request,
        "social/connection_requests.html",
        {"received": received.order_by("-created_at"), "sent": sent.order_by("-created_at")},
    )


@require_POST
@login_required
def answer_connection_request(request, request_id: int, answer: str):
    connection_request = get_object_or_404(ConnectionRequest, pk=request_id, recipient=request.user)
    if answer == "accept":
        services.accept_connection(connection_request, by=request.user)
        messages.success(request, _("You are now connected."))
    else:
        services.decline_connection(connection_request, by=request.user)
        messages.success(request, _("The request is declined."))
    return redirect("social:connection_requests")


LISTS = {
    "followers": (queries.followers_of, gettext_lazy("Followers")),
    "following": (queries.following_of, gettext_lazy("Following")),
    "connections": (queries.connections_of, gettext_lazy("Connections")),
}


def people_list(request, handle: str, which: str):
    owner = _person_or_404(request, handle)
    if not permissions.can_see_lists(request.user, owner):
        raise Http404
    lister, title = LISTS[which]
    people = list(lister(request.user, owner)[:200])
    return render(
        request,
        "social/people_list.html",
        {
            "owner": owner,
            "people": people,
            "title": title,
            "which": which,
            "shared": list(queries.shared_connections(request.user, owner)[:50]),
        },
    )


def search_page(request):
    form = SearchForm(request.GET)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = search.search(request.user, form.cleaned_data["q"])
    return render(request, "social/search.html", {"form": form, "results": results})


def post_image(request, post_id: int, image_id: int):
    """Post images are served through here, so a followers-only post's images stay as hidden
    as its text."""
    post = _visible_post_or_404(request, post_id)
    return image_response(get_object_or_404(PostImage, pk=image_id, post=post).image)


@login_required
def muted_words(request):
    """The person's word filter: add a word or phrase, see the list, take one off."""
    from agora.social import wordfilter
    from agora.social.forms import MutedWordForm
    from agora.social.models import MutedWord

    form = MutedWordForm(request.POST or None)
    status = 200
    if request.method == "POST" and "remove" in request.POST:
        remove = request.POST["remove"]
        if remove.isdigit():
            wordfilter.unmute_word(int(remove), by=request.user)
            messages.success(request, _("Taken off your word filter."))
        return redirect("social:muted_words")
    if request.method == "POST":
        if form.is_valid():
            try:
                wordfilter.mute_word(form.cleaned_data["phrase"], by=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Added to your word filter."))
                return redirect("social:muted_words")
        status = 400
    words = MutedWord.objects.filter(person=request.user)
    return render(request, "social/muted_words.html", {"form": form, "words": words}, status=status)


@require_POST
def media_consent(request):
    """Load (or stop loading) a network's media: back to the page, with the content of that
    network loaded for the one post on this page view, or on every page of this device when
    the person ticked "always" (a first-party cookie, `social.embeds`)."""
    target = urlsplit(next_url(request, "social:latest"))
    query = [(name, value) for name, value in parse_qsl(target.query) if name != "load"]
    network = request.POST.get("network", "")
    post = request.POST.get("post", "")
    chosen = embeds.remembered(request)
    if network in embeds.NETWORKS and post.isdigit() and not request.POST.get("forget"):
        query.append((embeds.LOAD_PARAMETER, f"{network}:{post}"))
        if request.POST.get("remember"):
            chosen.add(network)
    elif network in embeds.NETWORKS:
        chosen.discard(network)
    fragment = f"#post-{post}-media" if post.isdigit() else ""
    response = redirect(f"{target.path}{'?' + urlencode(query) if query else ''}{fragment}")
    if chosen:
        response.set_cookie(
            embeds.CONSENT_COOKIE,
            ".".join(sorted(chosen)),
            max_age=365 * 24 * 3600,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    elif embeds.CONSENT_COOKIE in request.COOKIES:
        response.delete_cookie(embeds.CONSENT_COOKIE, samesite="Lax")
    return response
