"""Moderators' view of statuses. Deleting goes through statuses.services.status_delete, the same
function the API's DELETE uses, so counters and reblogs are handled once."""

from django.contrib import admin, messages

from statuses import services
from statuses.models import Flag, Status


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ("id", "account", "visibility", "short_text", "created_at", "deleted_at",
                    "collapsed", "replies_count", "flags_count")
    list_filter = ("visibility", "collapsed", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("text", "account__username")
    list_select_related = ("account",)
    raw_id_fields = ("account", "in_reply_to", "in_reply_to_account", "thread_root", "reblog_of",
                     "application")
    readonly_fields = ("html", "mention_data", "tag_data", "replies_count", "reblogs_count",
                       "likes_count", "shares_count", "flags_count", "followers_count",
                       "views_count", "released_media", "created_at", "edited_at", "deleted_at",
                       "text_format")
    actions = ["soft_delete"]
    ordering = ("-id",)

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:80]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a hard delete would bypass the service
        return actions

    @admin.action(description="Delete selected statuses (soft delete, as the API does)")
    def soft_delete(self, request, queryset):
        count = 0
        for status in queryset.filter(deleted_at__isnull=True):
            services.status_delete(status=status)
            count += 1
        self.message_user(request, f"Deleted {count} statuses.", messages.SUCCESS)

    def delete_model(self, request, obj):
        services.status_delete(status=obj)

    def delete_queryset(self, request, queryset):
        for status in queryset.filter(deleted_at__isnull=True):
            services.status_delete(status=status)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """Flags readers raised through SelfCommunity, newest first (reviewing them: a later issue)."""

    list_display = ("id", "status", "account", "flag_type", "created_at")
    list_filter = ("flag_type",)
    list_select_related = ("account", "status")
    raw_id_fields = ("status", "account")
    ordering = ("-id",)
