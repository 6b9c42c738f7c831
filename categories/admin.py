"""Moderators manage categories, tags and reactions here."""

from django.contrib import admin

from categories.models import Category, Reaction, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "slug", "order", "active", "deleted", "content_only_staff")
    list_filter = ("active", "deleted", "content_only_staff")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("parents", "tags")
    readonly_fields = ("followers_count", "lastmod_at")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "type", "visible", "active", "deleted")
    list_filter = ("type", "active", "deleted")
    search_fields = ("name",)
    raw_id_fields = ("holders",)


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    list_display = ("id", "label", "sentiment", "active", "is_default")
