"""Moderators' view of statuses and the flag review queue. The admin sits on top, like a
dialect face: every action asks for a reason and calls moderation.services (which call the same
status services as the API), so no rule lives here. A status is never edited or hard-deleted
from the admin: saving the whole row would overwrite the counters the services move with F().

What a moderator may read of a status is moderation.selectors.moderation_visible_q, for
superusers too: of any other, the pages show that it exists (author, kind, audience, dates,
counters, flags) and a placeholder instead of its words, its revisions' words and its media,
and no search or lookup finds it by its words."""

from collections import Counter

from django.contrib import admin
from django.db.models import Prefetch, Q
from django.db.models.constants import LOOKUP_SEP
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal

from accounts.models import Visibility
from media.models import MediaAttachment
from moderation import selectors as moderation_selectors
from moderation import services as moderation
from moderation.admin import moderation_action
from moderation.models import ModerationAction
from statuses.models import Flag, Status, StatusEdit, TextFormat

# The columns that hold a status's words (what it says, where, and its renderings): shown only
# when the moderator may read it, and never a changelist lookup (one would tell which hidden
# statuses hold a word).
WORDS = frozenset({"text", "spoiler_text", "html", "sc_html", "summary", "slug", "mention_data",
                   "tag_data", "action", "location"})


FLAG_QUEUE = "_flag_queue"


class ReadOnlyInline(admin.TabularInline):
    """Shown to whoever may view statuses, never edited from here. `hidden_fields` are the
    columns shown instead of `fields` under a status the moderator may not read (`obj` is
    that status)."""

    extra = 0
    can_delete = False
    show_change_link = False
    hidden_fields: tuple[str, ...] | None = None

    def get_fields(self, request, obj=None):
        if self.hidden_fields is not None and obj is not None and not may_read(obj):
            return self.hidden_fields
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("statuses.view_status")


class EditInline(ReadOnlyInline):
    model = StatusEdit
    verbose_name = "revision"
    verbose_name_plural = "edit history"
    fields = ("created_at", "text", "spoiler_text", "sensitive", "media", "poll_options")
    hidden_fields = ("created_at", "sensitive")
    ordering = ("id",)


class FlagInline(ReadOnlyInline):
    model = Flag
    verbose_name_plural = "open flags"
    fields = ("account", "flag_type", "created_at")
    ordering = ("-id",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account")


class MediaInline(ReadOnlyInline):
    model = MediaAttachment
    fk_name = "status"
    verbose_name_plural = "media"
    fields = ("preview", "kind", "description", "content_type", "file_size", "position")
    hidden_fields = ("kind", "content_type", "file_size", "position")
    ordering = ("position", "id")

    @admin.display(description="preview")
    def preview(self, obj):
        thumb = obj.thumbnail or obj.small or (obj.file if obj.kind == "image" else None)
        if not thumb:
            return obj.remote_url or "-"
        return format_html('<img src="{}" alt="{}" style="max-height:80px">', thumb.url,
                           obj.description)


class CategoryInline(ReadOnlyInline):
    model = Status.categories.through
    verbose_name = "category"
    verbose_name_plural = "categories"
    fields = ("category",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category")


class ModerationInline(ReadOnlyInline):
    model = ModerationAction
    fk_name = "target_status"
    verbose_name_plural = "moderation log"
    fields = ("created_at", "moderator_username", "action", "moderation_type", "reason")
    ordering = ("-id",)


class FlaggedFilter(admin.SimpleListFilter):
    title = "open flags"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return (("yes", "flagged"), ("no", "not flagged"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(flags_count__gt=0)
        if self.value() == "no":
            return queryset.filter(flags_count=0)
        return queryset


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return (("yes", "deleted"), ("no", "not deleted"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return (("status", "status"), ("comment", "comment (SelfCommunity)"),
                ("reply", "reply (Mastodon)"), ("reblog", "reblog"))

    def queryset(self, request, queryset):
        value = self.value()
        if value == "status":
            return queryset.filter(in_reply_to__isnull=True, reblog_of__isnull=True)
        if value == "comment":
            return queryset.filter(audience__isnull=False)
        if value == "reply":
            return queryset.filter(in_reply_to__isnull=False, audience__isnull=True)
        if value == "reblog":
            return queryset.filter(reblog_of__isnull=False)
        return queryset


def kind_of(status: Status) -> str:
    if status.reblog_of_id:
        return "reblog"
    if status.audience_id:
        return "comment"
    if status.in_reply_to_id:
        return "reply"
    return "status"


def may_read(status: Status) -> bool:
    """Whether the moderator may read `status`, as the admin's queryset annotated it
    (moderation_visible_q); a status read without the annotation counts as hidden."""
    return getattr(status, moderation_selectors.MODERATION_VISIBLE, False)


def hidden_placeholder(status: Status) -> str:
    if status.addressed:
        audience = "an addressed"
    elif status.visibility == Visibility.DIRECT:
        audience = "a direct"
    else:
        audience = "a private"  # or a comment whose status became private
    return f"Hidden: {audience} {kind_of(status)} nobody flagged"


STATUS_ACTIONS = [
    moderation_action(name="collapse", description="Collapse (hide from all but the author)",
                      service=moderation.status_collapse, with_type=True),
    moderation_action(name="uncollapse", description="Uncollapse",
                      service=moderation.status_uncollapse),
    moderation_action(name="moderate_delete", description="Delete (soft, as the API does)",
                      service=moderation.status_moderate_delete, with_type=True),
    moderation_action(name="moderate_restore", description="Restore a status moderators deleted",
                      service=moderation.status_moderate_restore),
    moderation_action(name="mark_sensitive", description="Mark sensitive",
                      service=moderation.status_mark_sensitive, sensitive=True),
    moderation_action(name="unmark_sensitive", description="Unmark sensitive",
                      service=moderation.status_mark_sensitive, sensitive=False),
    moderation_action(name="dismiss_flags", description="Dismiss the open flags",
                      service=moderation.flags_dismiss),
    moderation_action(name="suspend_author", description="Suspend the author",
                      service=moderation.account_suspend, keyword="account",
                      target=lambda status: status.account),
]


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ("id", "author", "kind", "origin", "audience_shown", "short_text",
                    "counts", "open_flags", "collapsed", "sensitive", "deleted", "created_at")
    list_display_links = ("id", "short_text")
    list_filter = ("visibility", FlaggedFilter, DeletedFilter, "collapsed", "sensitive",
                   KindFilter, "text_format", "categories", "created_at")
    search_fields = ("text", "account__username")
    list_select_related = ("account",)
    date_hierarchy = "created_at"
    actions = STATUS_ACTIONS
    inlines = (EditInline, FlagInline, MediaInline, CategoryInline, ModerationInline)
    ordering = ("-id",)
    fieldsets = (
        (None, {"fields": ("account", "created_at", "edited_at", "deleted_at", "collapsed",
                           "sensitive", "visibility", "addressed", "addressing", "text_format",
                           "language", "spoiler_text", "text", "rendered")}),
        ("Thread", {"fields": ("in_reply_to", "thread_root", "audience", "reblog_of",
                               "quote_of", "application")}),
        ("Counters", {"fields": ("replies_count", "reblogs_count", "likes_count",
                                 "shares_count", "flags_count", "followers_count",
                                 "views_count", "media_count")}),
        ("SelfCommunity", {"fields": ("action", "location", "tags", "last_activity_at")}),
    )
    readonly_fields = ("rendered", "hidden_words")

    # --- the flag review queue: this changelist, flagged statuses only, most flags first ---

    def get_urls(self):
        queue = path("flags/", self.admin_site.admin_view(self.flag_queue_view),
                     name="statuses_status_flag_queue")
        return [queue, *super().get_urls()]

    def flag_queue_view(self, request):
        setattr(request, FLAG_QUEUE, True)
        return self.changelist_view(request, extra_context={
            "title": "Flag review queue", "flag_queue": True,
            "all_statuses_url": reverse("admin:statuses_status_changelist")})

    def _queue(self, request) -> bool:
        return getattr(request, FLAG_QUEUE, False)

    def get_fieldsets(self, request, obj=None):
        if obj is None or may_read(obj):
            return self.fieldsets
        # Its words give way to one placeholder; the rest says that it exists and to whom.
        shown = []
        for name, options in self.fieldsets:
            fields = [f for f in options["fields"] if f not in WORDS and f != "rendered"]
            if name is None:
                fields.append("hidden_words")
            shown.append((name, {**options, "fields": tuple(fields)}))
        return tuple(shown)

    def get_queryset(self, request):
        queryset = moderation_selectors.annotate_moderation_visible(
            super().get_queryset(request), request.user).select_related("account")
        if self._queue(request):
            # Open flags are the Flag rows; flags_count moves with them (statuses and
            # moderation services). A deleted status has been dealt with.
            queryset = queryset.filter(flags_count__gt=0, deleted_at__isnull=True).prefetch_related(
                Prefetch("flags", queryset=Flag.objects.select_related("account").order_by("id")))
        return queryset.prefetch_related("addressing")

    def get_ordering(self, request):
        return ("-flags_count", "-id") if self._queue(request) else self.ordering

    def get_list_display(self, request):
        if self._queue(request):
            return ("id", "author", "kind", "short_text", "open_flags", "flag_types",
                    "flaggers", "collapsed", "created_at")
        return self.list_display

    def get_list_filter(self, request):
        if self._queue(request):
            return (KindFilter, "collapsed", "visibility", "categories")
        return self.list_filter

    def get_search_results(self, request, queryset, search_term):
        """Django's search (every word in the text or the author's username), the text searched
        only among statuses the moderator may read: a hidden status is found by its author's
        name, never by its words."""
        readable = moderation_selectors.moderation_visible_q(request.user)
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            queryset = queryset.filter((readable & Q(text__icontains=bit))
                                       | Q(account__username__icontains=bit))
        return queryset, False

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split(LOOKUP_SEP)[0] in WORDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a hard delete would bypass the service
        if self._queue(request):
            wanted = ("dismiss_flags", "collapse", "moderate_delete", "suspend_author")
            actions = {name: actions[name] for name in wanted if name in actions}
        return actions

    # --- columns ---

    @admin.display(description="author", ordering="account__username")
    def author(self, obj):
        url = reverse("admin:accounts_account_change", args=[obj.account_id])
        suspended = " (suspended)" if obj.account.suspended_at else ""
        return format_html('<a href="{}">{}</a>{}', url, obj.account.username, suspended)

    @admin.display(description="kind")
    def kind(self, obj):
        return kind_of(obj)

    @admin.display(description="origin", ordering="text_format")
    def origin(self, obj):
        return "SelfCommunity" if obj.text_format == TextFormat.HTML else "Mastodon"

    @admin.display(description="visibility / addressing", ordering="visibility")
    def audience_shown(self, obj):
        shown = obj.visibility_name
        if obj.addressed:
            names = ", ".join(sorted(tag.name for tag in obj.addressing.all()))
            shown += f" → {names}"
        return shown

    @admin.display(description="text")
    def short_text(self, obj):
        if not may_read(obj):
            return hidden_placeholder(obj)
        return obj.text[:80] or obj.spoiler_text[:80] or "-"

    def action_label(self, obj) -> str:
        """How the reason page of an action names the status (it cuts the label short)."""
        if not may_read(obj):
            return f"{obj}: {hidden_placeholder(obj)}"
        return f"{obj}: {obj.text or obj.spoiler_text or '-'}"

    @admin.display(description="replies / reblogs / likes / shares")
    def counts(self, obj):
        return f"{obj.replies_count} / {obj.reblogs_count} / {obj.likes_count} / {obj.shares_count}"

    @admin.display(description="open flags", ordering="flags_count")
    def open_flags(self, obj):
        return obj.flags_count

    @admin.display(description="deleted", boolean=True, ordering="deleted_at")
    def deleted(self, obj):
        return obj.deleted_at is not None

    @admin.display(description="flag types")
    def flag_types(self, obj):
        counts = Counter(flag.get_flag_type_display() for flag in obj.flags.all())
        return ", ".join(f"{name} ×{n}" for name, n in sorted(counts.items())) or "-"

    @admin.display(description="flagged by")
    def flaggers(self, obj):
        return format_html_join(
            ", ", '<a href="{}">{}</a>',
            ((reverse("admin:accounts_account_change", args=[flag.account_id]),
              flag.account.username) for flag in obj.flags.all())) or "-"

    @admin.display(description="rendered HTML")
    def rendered(self, obj):
        return obj.html  # stored sanitised at write time; shown as source text, escaped

    @admin.display(description="text")
    def hidden_words(self, obj):
        return hidden_placeholder(obj)

    # --- permissions: statuses are read here and changed only through the actions ---

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list-level permission lets the actions run; a status's page stays read-only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """Every open flag, newest first; the review queue groups them by status."""

    list_display = ("id", "status", "account", "flag_type", "created_at")
    list_filter = ("flag_type",)
    list_select_related = ("account", "status")
    raw_id_fields = ("status", "account")
    ordering = ("-id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # dismissing goes through moderation.services.flags_dismiss, logged
