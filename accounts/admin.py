"""Moderators' view of accounts and OAuth applications."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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


for model in (Follow, Block, Mute):
    admin.site.register(model, raw_id_fields=("account", "target"))
