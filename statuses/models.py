"""The shared Status and the rows that hang off it (mentions, hashtags, idempotency keys)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Visibility
from statuses.render_cache import new_version


class TextFormat(models.TextChoices):
    PLAIN = "plain", "Plain text (Mastodon)"
    HTML = "html", "HTML (SelfCommunity)"


class QuotePolicy(models.IntegerChoices):
    """Who may quote (share) a status. Private and direct statuses are always NOBODY, whatever
    is stored (statuses.selectors.quotes.effective_quote_policy)."""

    NOBODY = 0, "nobody"
    FOLLOWERS = 1, "followers"
    PUBLIC = 2, "public"


class QuoteState(models.IntegerChoices):
    """The state of the quote a status makes (meaningful only with `quote_of`): Mastodon's
    Quote states. A local quote is accepted when made; the quoted author may revoke it."""

    PENDING = 0, "pending"
    ACCEPTED = 1, "accepted"
    REJECTED = 2, "rejected"
    REVOKED = 3, "revoked"
    DELETED = 4, "deleted"


# The columns a cached rendering is built from (statuses/render_cache.py), by field name and
# attname. Writing any of them, through `save()` or `QuerySet.update()`, gives the row a new
# `render_version`, so a rendering of the old row is never looked up again.
RENDERED_FIELDS = frozenset({
    "account", "account_id", "created_at", "edited_at", "deleted_at", "text", "text_format",
    "spoiler_text", "html", "mention_data", "tag_data", "sc_html", "summary", "slug",
    "visibility", "sensitive", "language", "in_reply_to", "in_reply_to_id",
    "in_reply_to_account", "in_reply_to_account_id", "media_count", "released_media",
    "action", "location", "title", "contribution_type",
})


class ContributionType(models.TextChoices):
    """What SelfCommunity calls a top-level status: a `status`, a `post` or a `discussion`
    (which has a title). All three are the one Status row Mastodon reads; the type only says
    under which SelfCommunity route family, feed key and comment key the row appears."""

    STATUS = "status"
    POST = "post"
    DISCUSSION = "discussion"


class StatusQuerySet(models.QuerySet):
    def kept(self):
        return self.filter(deleted_at__isnull=True)

    def update(self, **kwargs):
        if "render_version" not in kwargs and RENDERED_FIELDS.intersection(kwargs):
            kwargs["render_version"] = new_version()
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, **kwargs):
        if RENDERED_FIELDS.intersection(fields) and "render_version" not in fields:
            for obj in objs:
                obj.render_version = new_version()
            fields = [*fields, "render_version"]
        return super().bulk_update(objs, fields, **kwargs)


class Status(models.Model):
    """One status, whichever dialect wrote it. Renderings and counters are stored at write time."""

    id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statuses"
    )
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # The source as written, its format, and the HTML computed from it when it was written.
    text = models.TextField(blank=True, default="")
    text_format = models.CharField(max_length=8, choices=TextFormat.choices, default=TextFormat.PLAIN)
    spoiler_text = models.TextField(blank=True, default="")
    html = models.TextField(blank=True, default="")
    # Snapshot of the active mentions [[account_id, username], ...] and hashtag names, so a read
    # renders `mentions`/`tags` without extra queries. The Mention/StatusTag rows stay the truth.
    mention_data = models.JSONField(default=list, blank=True)
    tag_data = models.JSONField(default=list, blank=True)
    # SelfCommunity's renderings: `html` with <mention> elements, `summary` and `slug`.
    sc_html = models.TextField(blank=True, default="")
    summary = models.TextField(blank=True, default="")
    slug = models.CharField(max_length=60, blank=True, default="")

    visibility = models.PositiveSmallIntegerField(choices=Visibility.choices, default=Visibility.PUBLIC)
    sensitive = models.BooleanField(default=False)
    # null is meaningful: reblog wrappers have no language (Mastodon renders `language: null`).
    language = models.CharField(max_length=10, null=True, blank=True)  # noqa: DJ001

    # Threading: the parent, its author, and the root of the whole thread (so a thread's context is
    # one indexed query, whatever its size).
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    in_reply_to_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread_root = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reblog_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="reblogs"
    )

    # Counters, updated with F() by services.
    replies_count = models.PositiveIntegerField(default=0)
    reblogs_count = models.PositiveIntegerField(default=0)
    likes_count = models.PositiveIntegerField(default=0)
    # How many media Mastodon shows are attached (kept by the media services), so `only_media`
    # is a column test. A SelfCommunity `share` media is not counted: it is `quote_of`.
    media_count = models.PositiveSmallIntegerField(default=0)
    # The status this one shares (a SelfCommunity share media; Mastodon's quote), and how many
    # live statuses share this one.
    quote_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    shares_count = models.PositiveIntegerField(default=0)
    # Who may quote this one, and the state of the quote this one makes (see QuotePolicy and
    # QuoteState); `shares_count` counts the live, accepted quotes of this one.
    quote_policy = models.PositiveSmallIntegerField(choices=QuotePolicy.choices,
                                                    default=QuotePolicy.PUBLIC)
    quote_state = models.PositiveSmallIntegerField(choices=QuoteState.choices,
                                                   default=QuoteState.ACCEPTED)
    # SelfCommunity's counters: flags, followers of the status, and distinct viewers.
    flags_count = models.PositiveIntegerField(default=0)
    followers_count = models.PositiveIntegerField(default=0)
    views_count = models.PositiveIntegerField(default=0)
    # The media a delete unattached (kept for a redraft), so a restore can attach them again.
    released_media = models.JSONField(default=list, blank=True)

    # A SelfCommunity comment keeps its status's audience: it is visible to exactly whoever may
    # see this one (set on SelfCommunity comments only; Mastodon replies keep their own).
    audience = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Moderation: hidden from everyone but the author.
    collapsed = models.BooleanField(default=False)
    # Whether a Poll hangs off it (kept by the poll services), so a page reads polls only when
    # some status has one.
    has_poll = models.BooleanField(default=False)

    # SelfCommunity-only attributes.
    contribution_type = models.CharField(max_length=10, choices=ContributionType.choices,
                                         default=ContributionType.STATUS)
    # A discussion's title (blank for the other types); Mastodon reads it as the first,
    # bold paragraph of `html` (statuses/services/contributions.py).
    title = models.CharField(max_length=160, blank=True, default="")
    # SelfCommunity distinguishes an explicit null action from an empty one.
    action = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    location = models.JSONField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    categories = models.ManyToManyField("categories.Category", blank=True,
                                        related_name="statuses")
    tags = models.ManyToManyField("categories.Tag", blank=True, related_name="labelled_statuses")
    # Addressed to the holders of these `user` tags: then only they, the author and mentioned
    # accounts may see it (`addressed` makes that a column test). Mastodon shows it as private.
    addressing = models.ManyToManyField("categories.Tag", blank=True,
                                        related_name="addressed_statuses")
    addressed = models.BooleanField(default=False)
    # Mastodon's preview card of the first link, filled by a background crawl (statuses/cards).
    card = models.ForeignKey("PreviewCard", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="statuses")
    # A fresh random number whenever a RENDERED_FIELDS column or the status's own media change:
    # with the id, the key of its cached renderings (random rather than counted, so that two
    # concurrent writes can never leave the same version on different contents).
    render_version = models.PositiveIntegerField(default=new_version, editable=False)

    objects = StatusQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "statuses"
        indexes = [
            models.Index(fields=["account", "-id"], name="status_account_id"),
            models.Index(fields=["thread_root", "id"], name="status_thread"),
            models.Index(fields=["in_reply_to"], name="status_in_reply_to"),
            models.Index(
                fields=["-id"], name="status_public_kept",
                condition=Q(deleted_at__isnull=True, visibility__lte=1),
            ),
            models.Index(fields=["reblog_of", "-id"], name="status_reblog_of"),
            models.Index(fields=["quote_of", "-id"], name="status_quote_of"),
            models.Index(fields=["-last_activity_at", "-id"], name="status_last_activity"),
            # SelfCommunity's status lists (top-level, live statuses, newest first): the page
            # walks it in order and stops after a page; the count reads it alone (the columns
            # of the visibility rule are included, so no row is fetched on PostgreSQL).
            models.Index(
                fields=["-created_at", "-id"], name="status_top_level",
                condition=Q(deleted_at__isnull=True, in_reply_to__isnull=True,
                            reblog_of__isnull=True),
                include=["account", "visibility", "audience", "collapsed", "addressed"]),
            # The same lists of one contribution type (/api/v2/post/, /api/v2/discussion/,
            # /api/v2/status/): the type first, so each list walks only its own rows.
            models.Index(
                fields=["contribution_type", "-created_at", "-id"], name="status_type_top_level",
                condition=Q(deleted_at__isnull=True, in_reply_to__isnull=True,
                            reblog_of__isnull=True),
                include=["account", "visibility", "audience", "collapsed", "addressed"]),
        ]
        constraints = [
            # One live reblog per account and original: repeated or concurrent reblogs settle on
            # the first wrapper.
            models.UniqueConstraint(
                fields=["account", "reblog_of"], name="one_reblog_per_account",
                condition=Q(deleted_at__isnull=True, reblog_of__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Status {self.pk} by {self.account_id}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.render_version = new_version()
        elif RENDERED_FIELDS.intersection(update_fields) and "render_version" not in update_fields:
            self.render_version = new_version()
            kwargs["update_fields"] = [*update_fields, "render_version"]
        super().save(*args, **kwargs)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def visibility_name(self) -> str:
        return Visibility(self.visibility).label


class Mention(models.Model):
    """An account addressed by a status. Silent mentions (removed by an edit) keep access."""

    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="mention_rows")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentioned_in"
    )
    silent = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status", "account"], name="mention_unique"),
        ]
        indexes = [models.Index(fields=["account", "status"], name="mention_account_status")]

    def __str__(self) -> str:
        return f"Status {self.status_id} mentions {self.account_id}"


class Hashtag(models.Model):
    """A normalised hashtag name (Mastodon's Tag)."""

    name = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.name}"


class StatusTag(models.Model):
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="tag_rows")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="status_rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status", "hashtag"], name="status_tag_unique"),
        ]
        indexes = [models.Index(fields=["hashtag", "status"], name="status_tag_hashtag")]

    def __str__(self) -> str:
        return f"Status {self.status_id} #{self.hashtag_id}"


class TagFollow(models.Model):
    """An account follows a hashtag (Mastodon's TagFollow): its public statuses reach the
    account's home timeline."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "hashtag"], name="tag_follow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} follows #{self.hashtag_id}"


class FeaturedTag(models.Model):
    """A hashtag an account shows on its profile (Mastodon's FeaturedTag; at most 10). Its
    statuses count and last status date are read from the statuses when shown."""

    LIMIT = 10

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "hashtag"], name="featured_tag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} features #{self.hashtag_id}"


class IdempotencyKey(models.Model):
    """The first status created with an Idempotency-Key, per account, for an hour. The unique
    constraint makes concurrent retries wait for the first and then return its status."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # What the first request made: a status, or a scheduled status until it is published (then
    # the key follows it to its status).
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+", null=True)
    scheduled_status = models.ForeignKey("ScheduledStatus", on_delete=models.CASCADE,
                                         related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="idempotency_key_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.key}"


class Vote(models.Model):
    """One account's reaction to a status. A Mastodon favourite is a vote with the default
    reaction; unfavourite removes the vote, whatever its reaction."""

    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="votes")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Null is the default reaction (what a Mastodon favourite records), so a favourite needs no
    # lookup of the default Reaction row.
    reaction = models.ForeignKey(
        "categories.Reaction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status", "account"], name="vote_unique"),
        ]
        indexes = [
            models.Index(fields=["account", "-id"], name="vote_account_id"),
            models.Index(fields=["status", "-id"], name="vote_status_id"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} voted {self.status_id}"


class Bookmark(models.Model):
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "status"], name="bookmark_unique"),
        ]
        indexes = [models.Index(fields=["account", "-id"], name="bookmark_account_id")]

    def __str__(self) -> str:
        return f"{self.account_id} bookmarked {self.status_id}"


class Pin(models.Model):
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "status"], name="pin_unique")]

    def __str__(self) -> str:
        return f"{self.account_id} pinned {self.status_id}"


class ConversationMute(models.Model):
    """An account muted a whole thread (identified by its root status)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "thread"], name="conversation_mute_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} muted thread {self.thread_id}"


class StatusEdit(models.Model):
    """One revision of an edited status (both dialects write them). The first edit also stores
    the original, so history reads oldest first."""

    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="edits")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True, default="")
    spoiler_text = models.TextField(blank=True, default="")
    html = models.TextField(blank=True, default="")
    sensitive = models.BooleanField(default=False)
    # [[media id, description at that revision], ...] in order.
    media = models.JSONField(default=list, blank=True)
    # The poll's option titles at that revision; null when it had no poll.
    poll_options = models.JSONField(null=True, blank=True)
    # The status the revision quoted (`Status.quote_of` then); a snapshot, so no foreign key.
    quoted_status_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "id"], name="status_edit_status")]

    def __str__(self) -> str:
        return f"Edit {self.pk} of status {self.status_id}"


class FlagType(models.IntegerChoices):
    SPAM = 0, "spam"
    AGGRESSIVE = 1, "aggressive"
    VULGAR = 2, "vulgar"
    POOR = 3, "poor"
    OFFTOPIC = 4, "offtopic"


class Flag(models.Model):
    """One account's report of a status to the moderators (SelfCommunity's flag). One per
    (status, account): flagging again with the same type withdraws it, another type replaces it."""

    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="flags")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    flag_type = models.PositiveSmallIntegerField(choices=FlagType.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["status", "account"], name="flag_unique")]
        indexes = [models.Index(fields=["status", "-id"], name="flag_status_id")]

    def __str__(self) -> str:
        return f"{self.account_id} flagged {self.status_id} ({self.get_flag_type_display()})"


class _PerAccount(models.Model):
    """A row an account sets on a status once, toggled on and off (follow, suspend, hide)."""

    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.account_id} on {self.status_id}"


class StatusFollow(_PerAccount):
    """An account follows a status (SelfCommunity): its activity reaches them."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "status"],
                                               name="status_follow_unique")]
        indexes = [models.Index(fields=["account", "-id"], name="status_follow_account")]


class NotificationSuspension(_PerAccount):
    """An account stopped notifications about a status (SelfCommunity's suspend). Distinct from
    Mastodon's conversation mute, as DESIGN.md says."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "status"],
                                               name="notification_suspension_unique")]
        indexes = [models.Index(fields=["account", "-id"], name="suspension_account")]


class StatusHide(_PerAccount):
    """An account hid a status from its own SelfCommunity lists ("hide for me")."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "status"],
                                               name="status_hide_unique")]


class FeedSeen(_PerAccount):
    """An account has seen a status in its SelfCommunity feed (`POST /api/v2/feed/read/`, sent
    when the status enters the reader's viewport): what `/api/v2/feed/unseen/count/` leaves out
    and the feed's `seen` says. Not a view (StatusView, `view_count`): scrolling past a status
    is not opening it. The unique constraint is the (account, status) index the count reads."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "status"],
                                               name="feed_seen_unique")]


class StatusView(models.Model):
    """One account has seen a status (SelfCommunity's view_count counts viewers, not requests)."""

    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["status", "account"],
                                               name="status_view_unique")]

    def __str__(self) -> str:
        return f"{self.account_id} saw {self.status_id}"


class Poll(models.Model):
    """A Mastodon poll, one per status: its option titles in order, a tally per option, and the
    totals. Votes are PollVote rows; the tallies and totals move only in the same transaction as
    those rows, under this row's lock (statuses/services/polls.py), so they equal the rows."""

    status = models.OneToOneField(Status, on_delete=models.CASCADE, related_name="poll")
    options = models.JSONField(default=list)
    # Votes per option, in the order of `options`.
    tallies = models.JSONField(default=list)
    # Null: never ends (a SelfCommunity poll without `expiration_at`).
    expires_at = models.DateTimeField(null=True, blank=True)
    multiple = models.BooleanField(default=False)
    # SelfCommunity's poll title (the question); Mastodon polls have none (blank there).
    title = models.CharField(max_length=160, blank=True, default="")
    hide_totals = models.BooleanField(default=False)
    votes_count = models.PositiveIntegerField(default=0)
    voters_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Poll {self.pk} of status {self.status_id}"


class PollVote(models.Model):
    """One account's choice in a poll (one row per chosen option)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    choice = models.PositiveSmallIntegerField()
    # The poll was single-choice when this was cast (changing `multiple` deletes every vote), so
    # the database itself refuses a second choice of one account in a single-choice poll.
    single = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "account", "choice"], name="poll_vote_unique"),
            models.UniqueConstraint(fields=["poll", "account"], condition=Q(single=True),
                                    name="poll_vote_single_choice"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} chose {self.choice} in poll {self.poll_id}"


class ScheduledStatus(models.Model):
    """A post kept for later (Mastodon's ScheduledStatus, spec section F): the parameters as they
    were submitted, published by `statuses.tasks.publish_scheduled_status` at `scheduled_at`.
    Its media are held by `MediaAttachment.scheduled_status` meanwhile."""

    # An ordinary sequence, not a time-based id (spec item 153).
    id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scheduled_statuses"
    )
    scheduled_at = models.DateTimeField()
    # The options as submitted (spec item 71), shown to the client as they are.
    params = models.JSONField(default=dict)
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "scheduled statuses"
        indexes = [
            # The owner's list, newest first; the total count reads its prefix.
            models.Index(fields=["account", "-id"], name="scheduled_account_id"),
            # The per-day count (a range of one UTC day) and the total.
            models.Index(fields=["account", "scheduled_at"], name="scheduled_account_at"),
            # The sweep of overdue posts (statuses.services.scheduling).
            models.Index(fields=["scheduled_at"], name="scheduled_at"),
        ]

    def __str__(self) -> str:
        return f"Scheduled status {self.pk} of {self.account_id} at {self.scheduled_at}"
class PreviewCardType(models.TextChoices):
    LINK = "link"
    PHOTO = "photo"
    VIDEO = "video"
    RICH = "rich"


def preview_card_image_path(instance, filename):
    return f"preview_cards/images/{filename}"


class PreviewCard(models.Model):
    """Mastodon's preview card of a linked page (spec 3.5): one row per URL, shared by every
    status that links to it first, refreshed when it is old (statuses/cards.py)."""

    url = models.CharField(max_length=4096)
    # A unique index on a 4 KiB column is too wide for PostgreSQL's B-tree; the hash is unique.
    url_hash = models.CharField(max_length=64, unique=True)
    title = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    type = models.CharField(max_length=8, choices=PreviewCardType.choices,
                            default=PreviewCardType.LINK)
    author_name = models.TextField(blank=True, default="")
    author_url = models.TextField(blank=True, default="")
    provider_name = models.TextField(blank=True, default="")
    provider_url = models.TextField(blank=True, default="")
    html = models.TextField(blank=True, default="")  # sanitised oEmbed or player iframe
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    image = models.FileField(upload_to=preview_card_image_path, blank=True, max_length=500)
    blurhash = models.CharField(max_length=100, blank=True, default="")
    image_description = models.TextField(blank=True, default="")
    embed_url = models.TextField(blank=True, default="")
    language = models.CharField(max_length=10, null=True, blank=True)  # noqa: DJ001
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.url
