"""Moderators manage custom emojis (with their picker categories) and announcements here;
every save goes through instance_extras.services, as the API's writes do. Per-account reading
preferences are kept here too, for superusers."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from config import errors
from instance_extras import services
from instance_extras.models import (
    AccountPreferences,
    Announcement,
    CustomEmoji,
    CustomEmojiCategory,
    InstanceRule,
)


def _picture(url: str, height: int) -> str:
    return format_html('<img src="{}" alt="" style="max-height:{}px;max-width:{}px">', url,
                       height, height * 4)


class CustomEmojiForm(forms.ModelForm):
    upload = forms.FileField(
        required=False, label="Picture",
        help_text="PNG, GIF or WebP, 256 KB and 1024×1024 pixels at most (checked by its "
                  "content; SVG is refused). Replaces the current picture.")

    class Meta:
        model = CustomEmoji
        fields = ("shortcode", "category", "visible_in_picker", "disabled")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        self.upload_bytes = None
        if upload is not None:
            data = upload.read(services.EMOJI_SIZE_LIMIT + 1)
            try:
                services.emoji_image_check(data)
            except errors.Invalid as error:
                self.add_error("upload", error.message)
            else:
                self.upload_bytes = data
        elif not self.instance.image:
            self.add_error("upload", "A new custom emoji needs a picture.")
        return cleaned


@admin.register(CustomEmoji)
class CustomEmojiAdmin(admin.ModelAdmin):
    form = CustomEmojiForm
    list_display = ("shortcode", "thumbnail", "category", "visible_in_picker", "disabled",
                    "updated_at")
    list_editable = ("visible_in_picker", "disabled")
    list_filter = ("visible_in_picker", "disabled", "category")
    list_select_related = ("category",)
    search_fields = ("shortcode",)
    readonly_fields = ("preview",)
    fields = ("shortcode", "upload", "preview", "category", "visible_in_picker", "disabled")

    @admin.display(description="picture")
    def thumbnail(self, obj):
        return _picture(obj.image.url, 24) if obj.image else "-"

    @admin.display(description="current picture (animated, static)")
    def preview(self, obj):
        if not obj.image:
            return "-"
        return format_html("{} {}", _picture(obj.image.url, 64),
                           _picture(obj.static_image.url, 64))

    def save_model(self, request, obj, form, change):
        services.custom_emoji_save(emoji=obj, upload=getattr(form, "upload_bytes", None))

    def delete_model(self, request, obj):
        services.custom_emoji_delete(emoji=obj)

    def delete_queryset(self, request, queryset):
        for emoji in queryset:
            services.custom_emoji_delete(emoji=emoji)


@admin.register(CustomEmojiCategory)
class CustomEmojiCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "emoji_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(emoji_total=Count("emojis"))

    @admin.display(description="emojis", ordering="emoji_total")
    def emoji_count(self, obj):
        return obj.emoji_total


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ("text", "published", "scheduled_at", "starts_at", "ends_at", "all_day")

    def clean(self):
        cleaned = super().clean()
        try:
            services.announcement_validate(text=cleaned.get("text", ""),
                                           starts_at=cleaned.get("starts_at"),
                                           ends_at=cleaned.get("ends_at"))
        except errors.Invalid as error:
            raise forms.ValidationError(error.messages) from None
        return cleaned


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    form = AnnouncementForm
    list_display = ("id", "excerpt", "published", "scheduled_at", "published_at", "starts_at",
                    "ends_at", "reaction_total", "dismissal_total")
    list_filter = ("published", "all_day")
    search_fields = ("text",)
    readonly_fields = ("rendered", "published_at", "created_at", "updated_at")
    fields = ("text", "rendered", "published", "scheduled_at", "published_at", "starts_at",
              "ends_at", "all_day", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            reaction_count=Count("reactions", distinct=True),
            dismissal_count=Count("dismissals", distinct=True))

    @admin.display(description="text")
    def excerpt(self, obj):
        return obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"

    @admin.display(description="as shown (HTML)")
    def rendered(self, obj):
        # The stored rendering is made by statuses.rendering, which escapes the text.
        return format_html("<div>{}</div>", mark_safe(obj.html)) if obj.html else "-"  # noqa: S308

    @admin.display(description="reactions", ordering="reaction_count")
    def reaction_total(self, obj):
        return obj.reaction_count

    @admin.display(description="read by", ordering="dismissal_count")
    def dismissal_total(self, obj):
        return obj.dismissal_count

    def save_model(self, request, obj, form, change):
        services.announcement_save(announcement=obj)


@admin.register(AccountPreferences)
class AccountPreferencesAdmin(admin.ModelAdmin):
    list_display = ("account", "expand_media", "expand_spoilers", "autoplay_gifs")
    list_select_related = ("account",)
    raw_id_fields = ("account",)
    search_fields = ("account__username",)


@admin.register(InstanceRule)
class InstanceRuleAdmin(admin.ModelAdmin):
    list_display = ("position", "text")
    ordering = ("position", "pk")
