"""The operator sets the community's preferences, features and menus here (what SelfCommunity's
UI reads at start); accounts' notification settings are listed for superusers."""

from django.contrib import admin
from django.db.models import Count

from community.models import CustomMenu, CustomMenuItem, Feature, Preference, UserSettings


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("key", "type", "value", "help")
    list_display_links = ("key",)
    list_filter = ("section", "type")
    search_fields = ("name", "value")
    ordering = ("section", "name")
    # Which preferences exist is what the UI reads; an operator changes their values (the
    # model's clean checks a boolean or integer value against its type).
    readonly_fields = ("section", "name", "type")
    fields = ("section", "name", "type", "value", "help")

    @admin.display(description="preference", ordering="name")
    def key(self, preference) -> str:
        return f"{preference.section}.{preference.name}"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ("name", "enabled")
    list_editable = ("enabled",)
    list_filter = ("enabled",)
    search_fields = ("name",)
    readonly_fields = ("name",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CustomMenuItemInline(admin.TabularInline):
    model = CustomMenuItem
    extra = 1
    fields = ("label", "url", "attrs", "order")


@admin.register(CustomMenu)
class CustomMenuAdmin(admin.ModelAdmin):
    list_display = ("name", "slot", "items_count", "updated_at")
    list_filter = ("slot",)
    search_fields = ("name",)
    inlines = [CustomMenuItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description="items", ordering="item_count")
    def items_count(self, menu) -> int:
        return menu.item_count


@admin.register(UserSettings)
class UserSettingsAdmin(admin.ModelAdmin):
    list_display = ("account", "qa_frequency", "email_notification_not_qa",
                    "mobile_notifications_scmty", "show_toast_notifications",
                    "toast_notifications_emit_sound")
    list_select_related = ("account",)
    search_fields = ("account__username",)
    raw_id_fields = ("account",)
