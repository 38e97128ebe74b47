"""People: the account, its public profile, its role and verification, its access tokens."""

import hashlib
import re
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from agora.accounts.kinds import AccountKind

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_]{3,30}$",
    _("A handle has 3 to 30 letters (a to z), digits or underscores."),
    code="invalid_handle",
)


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    OFFICIAL = "official", _("Official")
    MODERATOR = "moderator", _("Moderator")
    ADMINISTRATOR = "administrator", _("Administrator")


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    EMAIL_CONFIRMED = "email_confirmed", _("Email confirmed")
    VERIFIED_RESIDENT = "verified_resident", _("Verified resident")


class VerificationMethod(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Checked by an administrator")
    CODE = "code", _("One-time code")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    PRIVATE = "private", _("Only me")


class ListVisibility(models.TextChoices):
    """Who may see the lists of a person's followers, following and connections."""

    PUBLIC = "public", _("Everyone who can see my profile")
    MEMBERS = "members", _("Members who are signed in")
    CONNECTIONS = "connections", _("My connections only")
    NOBODY = "nobody", _("Nobody but me")


class CountsShown(models.TextChoices):
    """Whether a person sees how many liked, shared, supported or followed something (a calm
    product: the numbers need not pull anyone back)."""

    SHOWN = "", _("Show them")
    MINE = "mine", _("Hide them on my posts, for everyone")
    HIDDEN = "hidden", _("Hide them everywhere I look, and on my posts")


HANDLE_PATTERN = re.compile(r"[A-Za-z0-9_]{1,30}")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_handle(self, handle: str):
        """The account with this handle, whatever its case. Text that cannot be a handle (too
        long, a NUL byte PostgreSQL would refuse) does not reach the database."""
        if not HANDLE_PATTERN.fullmatch(handle):
            raise self.model.DoesNotExist
        return self.alias(handle_lower=Lower("handle")).get(handle_lower=handle.lower())

    def filter_handle(self, handle: str):
        return self.alias(handle_lower=Lower("handle")).filter(handle_lower=handle.lower())

    def create_user(self, email: str, handle: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An account needs an email address.")
        user = self.model(email=self.normalize_email(email), handle=handle, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, handle: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, handle, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account and its public profile in one row, so a profile page is one query."""

    email = models.EmailField(_("email address"), unique=True)
    handle = models.CharField(
        _("handle"),
        max_length=30,
        validators=[handle_validator],
        help_text=_("Your public name after @: letters a to z, digits and underscores."),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("The name people see. It may be a pseudonym."),
    )
    bio = models.TextField(_("bio"), max_length=500, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    home_area = models.CharField(
        _("home area"),
        max_length=120,
        blank=True,
        help_text=_("The neighbourhood, district or town you live in."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    profile_visibility = models.CharField(
        _("who can see my profile"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    connections_visibility = models.CharField(
        _("who can see my followers, following and connections"),
        max_length=16,
        choices=ListVisibility.choices,
        default=ListVisibility.PUBLIC,
    )
    hide_counts = models.CharField(
        _("counts of likes, shares, supports and followers"),
        max_length=8,
        choices=CountsShown.choices,
        default=CountsShown.SHOWN,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.RESIDENT)
    verification = models.CharField(
        _("verification level"),
        max_length=20,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "self",
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification_method = models.CharField(
        _("verified how"), max_length=16, choices=VerificationMethod.choices, blank=True
    )
    kind = models.CharField(
        _("kind of account"),
        max_length=16,
        choices=AccountKind.choices,
        default=AccountKind.RESIDENT,
        help_text=_(
            "Institutional: an office or service, neutral. Political: an elected "
            "representative, a party group, a candidate. Set by administrators."
        ),
    )
    kind_detail = models.CharField(
        _("what the account is"),
        max_length=120,
        blank=True,
        help_text=_("Shown beside the badge: “Councillor, Centro district”, “Water service”."),
    )
    kind_set_at = models.DateTimeField(_("kind set at"), null=True, blank=True)
    kind_set_by = models.ForeignKey(
        "self",
        verbose_name=_("kind set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("can use the admin"),
        default=False,
        help_text=_("Set by the role: administrators can use the admin site."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    #: When the person deleted their account (`privacy.services.delete_account`): the row
    #: stays, emptied, so what they chose to keep shows as "Former member".
    left_at = models.DateTimeField(_("left"), null=True, blank=True, editable=False)
    #: Raised to end every session of the person at once (`services.end_sessions`): it is part
    #: of the hash each session keeps of its account, so the old ones no longer match.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["handle"]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(Lower("handle"), name="accounts_user_handle_ci_unique"),
        ]
        indexes = [
            models.Index(fields=["role"]),
            models.Index(fields=["date_joined"]),
            models.Index(fields=["kind"]),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, and after `end_sessions` of the generation too, so
        that ending the sessions signs the person out everywhere at once."""
        if not self.session_generation:
            return super().get_session_auth_hash()
        return salted_hmac(
            "agora.accounts.User.session",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def name(self) -> str:
        return self.display_name or self.handle

    @property
    def hides_counts(self) -> bool:
        """Whether this person chose to see no counts anywhere."""
        return self.hide_counts == CountsShown.HIDDEN

    @property
    def is_verified_resident(self) -> bool:
        return self.verification == Verification.VERIFIED_RESIDENT

    @property
    def requires_two_factor(self) -> bool:
        return self.is_staff or self.is_superuser or self.role in settings.AGORA_MFA_REQUIRED_ROLES


class ElectionPeriod(models.Model):
    """A pre-election period the administrator declares (an election's official campaign and
    the weeks before it). While one runs, institutional announcements are service
    information only and political accounts' posts carry its label."""

    label = models.CharField(
        _("label"),
        max_length=80,
        help_text=_("Shown on political posts: “Municipal elections 2027”."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), help_text=_("Election day, included."))

    class Meta:
        verbose_name = _("pre-election period")
        verbose_name_plural = _("pre-election periods")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="accounts_electionperiod_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day cannot come before the first.")})


class VerificationCode(models.Model):
    """A one-time code an administrator hands to a resident (by letter, at a desk) that turns
    the account that redeems it into a verified resident. Only a hash is stored."""

    code_hash = models.CharField(max_length=64, unique=True)
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("For whom or why it was issued.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")

    def __str__(self) -> str:
        return self.note or f"code #{self.pk}"

    @staticmethod
    def hash(code: str) -> str:
        normalised = code.replace("-", "").replace(" ", "").upper()
        return hashlib.sha256(normalised.encode()).hexdigest()


class PersonalAccessToken(models.Model):
    """A token for API clients. The secret is shown once; only its SHA-256 is stored."""

    PREFIX = "agora_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text=_("The first characters, to recognise it."))
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class BlockedEmailDomain(models.Model):
    """An email domain administrators do not take sign-ups or new addresses from (a spam
    wave's throwaway addresses); its subdomains with it."""

    domain = models.CharField(_("domain"), max_length=253, unique=True)
    note = models.CharField(_("why"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked email domain")
        verbose_name_plural = _("blocked email domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@").rstrip(".")
        super().save(*args, **kwargs)

    @classmethod
    def blocks(cls, email: str) -> bool:
        """Whether the address's domain, or a domain it lies under, is blocked. One query."""
        domain = email.rpartition("@")[2].strip().lower().rstrip(".")
        labels = domain.split(".")
        candidates = [".".join(labels[index:]) for index in range(len(labels))]
        return cls.objects.filter(domain__in=candidates).exists()
