"""Moderators' view of accounts and OAuth applications."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts import services
from accounts.models import Account, Block, Follow, Mute


@admin.register(Account)
class AccountAdmin(UserAdmin):
    list_display = ("username", "display_name", "email", "statuses_count", "locked",
                    "suspended_at", "silenced_at", "is_staff")
    search_fields = ("username", "display_name", "email")
    readonly_fields = ("followers_count", "following_count", "statuses_count", "last_status_at")
    fieldsets = UserAdmin.fieldsets + (
        ("Profile", {"fields": ("display_name", "note", "locked", "bot", "discoverable",
                                "indexable", "avatar", "header")}),
        ("Posting defaults", {"fields": ("default_visibility", "default_sensitive",
                                         "default_language", "show_application")}),
        ("Moderation", {"fields": ("suspended_at", "silenced_at")}),
        ("Counters", {"fields": ("followers_count", "following_count", "statuses_count",
                                 "last_status_at")}),
    )


class RelationshipAdmin(admin.ModelAdmin):
    """Follows, blocks and mutes are made by their owners through the API; a moderator may look
    and delete, and a delete goes through the same service as the owner's (counters included)."""

    raw_id_fields = ("account", "target")
    list_select_related = ("account", "target")
    remove = None  # the service that undoes one row

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self.remove(account=obj.account, target=obj.target)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("account", "target"):
            self.delete_model(request, obj)


@admin.register(Follow)
class FollowAdmin(RelationshipAdmin):
    list_display = ("account", "target", "accepted", "created_at")
    list_filter = ("accepted",)
    remove = staticmethod(services.account_unfollow)


@admin.register(Block)
class BlockAdmin(RelationshipAdmin):
    list_display = ("account", "target", "created_at")
    remove = staticmethod(services.account_unblock)


@admin.register(Mute)
class MuteAdmin(RelationshipAdmin):
    list_display = ("account", "target", "hide_notifications", "expires_at", "created_at")
    remove = staticmethod(services.account_unmute)
