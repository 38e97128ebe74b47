"""Posts, their images, edit history, likes and tags. A share is a post that points at the
post it shares, so the feed reads one table."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import Visibility as ProfileVisibility
from agora.moderation.models import Moderated, ModerationState

POST_MAX_LENGTH = 2000
MAX_IMAGES = 4


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    FOLLOWERS = "followers", _("My followers")
    CONNECTIONS = "connections", _("My connections")


class ReplyPolicy(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    FOLLOWING = "following", _("People I follow")
    NOBODY = "nobody", _("Nobody")


class Tag(models.Model):
    """A hashtag. Names are stored lower-cased. A tag that names a directory topic or area
    (by slug, name, keyword or other name; see `agora.directory.hashtags`) points at it, so the
    topic's page and the followers of the topic or area find the posts that use it. `key` is
    the name as the directory compares it, kept so the links can be redone when the directory
    changes without reading every tag."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    key = models.CharField(max_length=50, blank=True, db_index=True)
    topic = models.ForeignKey(
        "directory.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tags",
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tags",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return f"#{self.name}"


class Post(Moderated):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    body = models.TextField(_("text"), max_length=POST_MAX_LENGTH, blank=True)
    body_html = models.TextField(blank=True)
    visibility = models.CharField(
        _("who can see it"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    reply_policy = models.CharField(
        _("who can reply"), max_length=16, choices=ReplyPolicy.choices, default=ReplyPolicy.EVERYONE
    )
    shared_post = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="shares"
    )
    # An announcement: the author wrote it as an official of this office, which speaks. The
    # partial index below serves every lookup by office, so the column needs no index of its
    # own. PROTECT: an office with announcements is not deleted from under them.
    office = models.ForeignKey(
        "directory.Office",
        verbose_name=_("posted as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="announcements",
        db_index=False,
    )
    # Written during a pre-election period (`accounts.elections`) by an institutional voice
    # (an announcement, an institutional account) or a political account: the period's label
    # shows on the post. An institutional one must then be service information.
    election_period = models.ForeignKey(
        "accounts.ElectionPeriod",
        verbose_name=_("pre-election period"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service_information = models.BooleanField(
        _("service information"),
        default=False,
        help_text=_("Practical information about a public service, not about policy."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    # Official information (`social.announcements`): an announcement may say from when and
    # until when it holds; past `valid_until` it leaves the feeds but keeps its address. An
    # urgent one names the area and topic it concerns, reaches their followers at once and is
    # pinned on the area's page until it expires.
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    urgent_area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="urgent_announcements",
        db_index=False,
    )
    urgent_topic = models.ForeignKey(
        "directory.Topic",
        verbose_name=_("topic concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="urgent_announcements",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    share_count = models.PositiveIntegerField(default=0)
    comments = GenericRelation("social.Comment", related_query_name="post")

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            # The home feed and the profile page: one author's newest first.
            models.Index(fields=["author", "-created_at", "-id"], name="social_post_author_new"),
            # The home feed walks all posts newest first, keeping those of followed people.
            models.Index(fields=["-created_at", "-id"], name="social_post_new"),
            # The public latest page.
            models.Index(fields=["visibility", "-created_at", "-id"], name="social_post_vis_new"),
            # An office's announcements, newest first: the office page and its followers' feeds.
            models.Index(
                fields=["office", "-created_at", "-id"],
                name="social_post_office_new",
                condition=models.Q(office__isnull=False),
            ),
            # The urgent announcements pinned on an area's page, those still in force.
            models.Index(
                fields=["urgent_area", "valid_until"],
                name="social_post_urgent_area",
                condition=models.Q(urgent_area__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"post {self.pk} by {self.author_id}"

    @property
    def is_share(self) -> bool:
        return self.shared_post_id is not None

    @property
    def is_announcement(self) -> bool:
        return self.office_id is not None

    @property
    def is_urgent(self) -> bool:
        return self.urgent_area_id is not None

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until <= timezone.now()

    @property
    def is_open_to_anyone(self) -> bool:
        """Readable by a visitor who is not signed in (`permissions.visible_posts`): what a
        share link may point to. Reads the author, already fetched where posts are shown."""
        return (
            self.visibility == Visibility.PUBLIC
            and self.moderation_state == ModerationState.VISIBLE
            and self.author.is_active
            and (self.is_announcement or self.author.profile_visibility == ProfileVisibility.PUBLIC)
        )


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="posts/")
    alt_text = models.CharField(_("description"), max_length=1000)
    position = models.PositiveSmallIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("post image")
        verbose_name_plural = _("post images")
        ordering = ["post", "position"]

    def __str__(self) -> str:
        return self.alt_text


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"revision of post {self.post_id}"


class PostLike(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="social_like_once")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.post_id}"
