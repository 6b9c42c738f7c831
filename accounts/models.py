"""The user model (one Account per user), follows, blocks, mutes and the OAuth application."""

from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower, Now
from oauth2_provider.models import AbstractApplication

USERNAME_RE = r"^[A-Za-z0-9_]+([A-Za-z0-9_.-]+[A-Za-z0-9_]+)?$"


class Visibility(models.IntegerChoices):
    """Who may read a status; the numbers are Mastodon's enum so ordering comparisons hold."""

    PUBLIC = 0, "public"
    UNLISTED = 1, "unlisted"
    PRIVATE = 2, "private"
    DIRECT = 3, "direct"
    LIMITED = 4, "limited"


class AccountManager(UserManager):
    def get_by_natural_key(self, username):
        # Usernames are unique case-insensitively, as on Mastodon.
        return self.get(username__iexact=username)


MODERATORS_GROUP = "Moderators"


class Account(AbstractUser):
    """A local user and the profile both dialects render (Mastodon Account, SelfCommunity User)."""

    username = models.CharField(
        max_length=30,
        unique=True,
        validators=[RegexValidator(USERNAME_RE, "Only letters, numbers, underscores, dots and dashes")],
    )
    display_name = models.CharField(max_length=100, blank=True, default="")
    note = models.TextField(blank=True, default="", help_text="Profile bio, plain text")
    locked = models.BooleanField(default=False, help_text="Follows need approval")
    bot = models.BooleanField(default=False)
    group = models.BooleanField(default=False)
    discoverable = models.BooleanField(null=True, blank=True, default=None)
    indexable = models.BooleanField(default=False)
    hide_collections = models.BooleanField(null=True, blank=True, default=None)
    # Mastodon's profile fields: at most 4 {"name", "value"} pairs of plain text.
    fields = models.JSONField(default=list, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True, default="")
    header = models.ImageField(upload_to="headers/", blank=True, default="")
    # Counters are columns, updated with F() by the services that change them.
    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    statuses_count = models.PositiveIntegerField(default=0)
    # SelfCommunity's User counters: of the statuses `statuses_count` counts, the posts, the
    # discussions and those carrying a poll (statuses/counters.py defines each).
    posts_count = models.PositiveIntegerField(default=0)
    discussions_count = models.PositiveIntegerField(default=0)
    polls_count = models.PositiveIntegerField(default=0)
    last_status_at = models.DateField(null=True, blank=True)
    # Posting preferences (Mastodon's user settings).
    default_visibility = models.PositiveSmallIntegerField(
        choices=Visibility.choices, null=True, blank=True
    )
    default_sensitive = models.BooleanField(default=False)
    default_language = models.CharField(max_length=10, blank=True, default="")
    show_application = models.BooleanField(default=True)
    # Moderation state: a suspended account's statuses are invisible to everyone.
    suspended_at = models.DateTimeField(null=True, blank=True)
    # Whether the account has any filter (filters/): read with the token, so that a page shown to
    # an account without filters reads none (the filters services keep it).
    has_filters = models.BooleanField(default=False)
    silenced_at = models.DateTimeField(null=True, blank=True)
    # SelfCommunity profile fields.
    ext_id = models.BigIntegerField(null=True, blank=True)
    location = models.CharField(max_length=255, blank=True, default="")
    website = models.URLField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    gender = models.CharField(max_length=20, blank=True, default="Unspecified")
    date_of_birth = models.DateField(null=True, blank=True)
    reputation = models.IntegerField(default=0)

    objects = AccountManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="account_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_moderator(self) -> bool:
        """Moderators are staff accounts or members of the `Moderators` group. The token lookup
        reads the membership with the token (config/api/auth.py); elsewhere it is asked once."""
        if self.is_staff or self.is_superuser:
            return True
        known = getattr(self, "_in_moderators_group", None)
        if known is None:
            known = self._in_moderators_group = self.groups.filter(
                name=MODERATORS_GROUP).exists()
        return known

    @property
    def acct(self) -> str:
        return self.username


class Follow(models.Model):
    """`account` follows `target`; a follow of a locked account waits with accepted=False."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="following_rels")
    target = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="follower_rels")
    accepted = models.BooleanField(default=True)
    # The follower's options (Mastodon keeps them on pending requests too).
    show_reblogs = models.BooleanField(default=True)
    notify = models.BooleanField(default=False)
    languages = models.JSONField(null=True, blank=True, default=None)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "target"], name="follow_unique"),
        ]
        indexes = [
            models.Index(fields=["target", "accepted"], name="follow_target_accepted"),
            # The follow requests page: an account's pending requests, newest first.
            models.Index(
                fields=["target", "-id"],
                condition=models.Q(accepted=False),
                name="follow_pending_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} follows {self.target_id}"


class Block(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="blocking_rels")
    target = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="blocked_by_rels")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "target"], name="block_unique")]
        indexes = [models.Index(fields=["target"], name="block_target")]

    def __str__(self) -> str:
        return f"{self.account_id} blocks {self.target_id}"


class MuteQuerySet(models.QuerySet):
    def active(self):
        """Mutes still in force: an expired mute counts as absent wherever it is read."""
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=Now()))


class Mute(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="muting_rels")
    target = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="muted_by_rels")
    hide_notifications = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: mutes forever")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MuteQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "target"], name="mute_unique")]

    def __str__(self) -> str:
        return f"{self.account_id} mutes {self.target_id}"


class Application(AbstractApplication):
    """An OAuth client. Mastodon apps carry a website and the scopes they may ask for, and use
    the authorization-code, client-credentials and password grants with one registration."""

    MASTODON_GRANTS = (
        AbstractApplication.GRANT_AUTHORIZATION_CODE,
        AbstractApplication.GRANT_CLIENT_CREDENTIALS,
        AbstractApplication.GRANT_PASSWORD,
    )

    website = models.URLField(max_length=2000, blank=True, default="")
    scopes = models.TextField(default="read", help_text="Space-separated scopes the app may request")

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"

    def allows_grant_type(self, *grant_types):
        return any(g in self.MASTODON_GRANTS for g in grant_types)

    def get_allowed_schemes(self):
        # Native apps register their own schemes (com.example.app://); allow exactly those.
        schemes = {"http", "https"}
        for uri in self.redirect_uris.split():
            scheme = urlsplit(uri).scheme.lower()
            if scheme and scheme not in {"javascript", "data", "vbscript", "file"}:
                schemes.add(scheme)
        return sorted(schemes)

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class RevokedToken(models.Model):
    """The checksum of an access token that was revoked. django-oauth-toolkit deletes revoked
    tokens; remembering them lets a client be told "The access token was revoked", as Mastodon
    says, rather than that it is invalid."""

    token_checksum = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token_checksum[:12]


class AccountPin(models.Model):
    """`account` endorses (features on its profile) `target`, which it follows."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="endorsing_rels")
    target = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="endorsed_by_rels")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "target"], name="account_pin_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} endorses {self.target_id}"


class AccountNote(models.Model):
    """A private note `account` keeps about `target` (Relationship `note`)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="account_notes")
    target = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="noted_by_rels")
    comment = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "target"], name="account_note_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} notes {self.target_id}"
