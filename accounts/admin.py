"""Moderators' view of accounts. Suspending and silencing ask for a reason and go through
moderation.services (the admin sits on top of every app, as a dialect face does). A moderator
who is not a superuser sees no permission fields, changes no superuser, and sets no password."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied

from accounts import services
from accounts.models import Account, Block, Follow, Mute
from moderation import services as moderation
from moderation.admin import moderation_action

ACCOUNT_ACTIONS = [
    moderation_action(name="suspend", description="Suspend", keyword="account",
                      service=moderation.account_suspend),
    moderation_action(name="unsuspend", description="Unsuspend", keyword="account",
                      service=moderation.account_unsuspend),
    moderation_action(name="silence", description="Silence", keyword="account",
                      service=moderation.account_silence),
    moderation_action(name="unsilence", description="Unsilence", keyword="account",
                      service=moderation.account_unsilence),
]


class SuspendedFilter(admin.SimpleListFilter):
    title = "suspended"
    parameter_name = "suspended"

    def lookups(self, request, model_admin):
        return (("yes", "suspended"), ("no", "not suspended"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(suspended_at__isnull=self.value() == "no")
        return queryset


class SilencedFilter(SuspendedFilter):
    title = "silenced"
    parameter_name = "silenced"

    def lookups(self, request, model_admin):
        return (("yes", "silenced"), ("no", "not silenced"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(silenced_at__isnull=self.value() == "no")
        return queryset


@admin.register(Account)
class AccountAdmin(UserAdmin):
    list_display = ("username", "display_name", "email", "statuses_count", "locked",
                    "suspended_at", "silenced_at", "is_staff")
    list_filter = (SuspendedFilter, SilencedFilter, "is_staff", "is_superuser", "is_active",
                   "groups")
    search_fields = ("username", "display_name", "email")
    readonly_fields = ("followers_count", "following_count", "statuses_count", "posts_count",
                       "discussions_count", "polls_count", "last_status_at", "suspended_at",
                       "silenced_at")
    actions = ACCOUNT_ACTIONS
    fieldsets = UserAdmin.fieldsets + (
        ("Profile", {"fields": ("display_name", "note", "locked", "bot", "discoverable",
                                "indexable", "avatar", "header")}),
        ("Posting defaults", {"fields": ("default_visibility", "default_sensitive",
                                         "default_language", "show_application")}),
        ("Moderation", {"fields": ("suspended_at", "silenced_at")}),
        ("Counters", {"fields": ("followers_count", "following_count", "statuses_count",
                                 "posts_count", "discussions_count", "polls_count",
                                 "last_status_at")}),
    )
    # A moderator's view: no password, no permissions, no groups.
    moderator_fieldsets = ((None, {"fields": ("username", "is_active")}),) + tuple(
        (name, options) for name, options in fieldsets if name not in (None, "Permissions"))

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.moderator_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "is_active")  # deactivating is a suspension, with its reason
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # suspend instead: statuses come back on unsuspend
        return actions

    def has_change_permission(self, request, obj=None):
        # A moderator does not edit a superuser's or another moderator's account.
        if (obj is not None and not request.user.is_superuser
                and (obj.is_superuser or obj.is_moderator)):
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


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
