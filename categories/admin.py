"""Moderators manage categories, tags and reactions here. The rules (an acyclic parent graph, no
deleting a category in use before its statuses move) live in categories.services."""

import re
import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from categories import services
from categories.models import Category, Reaction, Tag, TagType
from config import errors, instance

COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _store_upload(upload, folder: str) -> str:
    """Save an uploaded picture under MEDIA_ROOT/<folder>/ and return its URL path."""
    suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else "png"
    name = default_storage.save(f"{folder}/{uuid.uuid4().hex}.{suffix}", upload)
    return default_storage.url(name)


def _preview(url: str, height: int = 80):
    if not url:
        return "-"
    return format_html('<img src="{}" alt="" style="max-height:{}px;max-width:240px">', url,
                       height)


class CategoryForm(forms.ModelForm):
    # Pillow checks the uploads' content; SVG (which may carry scripts) is not accepted.
    image_upload = forms.ImageField(required=False, label="Upload image",
                                    help_text="Replaces the image URL above.")
    emotional_image_upload = forms.ImageField(required=False, label="Upload emotional image",
                                              help_text="Replaces the emotional image URL.")

    class Meta:
        model = Category
        fields = "__all__"  # noqa: DJ007 (the ModelAdmin's fieldsets choose)

    def clean(self):
        cleaned = super().clean()
        parents = cleaned.get("parents")
        if parents is not None:
            try:
                services.category_validate_parents(category=self.instance,
                                                   parent_ids=[p.pk for p in parents])
            except errors.Invalid as error:
                self.add_error("parents", error.message)
        return cleaned

    def save(self, commit=True):
        for upload_field, url_field in (("image_upload", "image_original"),
                                        ("emotional_image_upload", "emotional_image_original")):
            upload = self.cleaned_data.get(upload_field)
            if upload:
                setattr(self.instance, url_field,
                        instance.absolute(_store_upload(upload, "categories")))
        return super().save(commit)


class MoveStatusesForm(forms.Form):
    move_to = forms.ModelChoiceField(queryset=Category.objects.none(), required=False,
                                     label="Move its statuses to")

    def __init__(self, *args, category, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_to"].queryset = Category.objects.exclude(pk=category.pk)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("id", "image_thumbnail", "name", "slug", "order", "active", "deleted",
                    "content_only_staff", "parent_names", "statuses_in_use")
    list_display_links = ("id", "name")
    list_editable = ("order", "active")
    list_filter = ("active", "deleted", "content_only_staff", "auto_follow")
    search_fields = ("name", "slug", "name_synonyms")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("parents", "tags")
    readonly_fields = ("image_preview", "emotional_image_preview", "followers_count",
                       "lastmod_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "order", "active", "deleted", "content_only_staff",
                           "auto_follow", "stream_order_by")}),
        ("Tree and tags", {"fields": ("parents", "tags")}),
        ("Images", {"fields": ("image_original", "image_upload", "image_preview",
                               "emotional_image_original", "emotional_image_upload",
                               "emotional_image_position", "emotional_image_preview")}),
        ("Texts", {"fields": ("name_synonyms", "slogan", "html_info", "seo_title",
                              "seo_description")}),
        ("Counters", {"fields": ("followers_count", "lastmod_at")}),
    )
    actions = ["delete_unused"]

    def get_queryset(self, request):
        return (super().get_queryset(request).prefetch_related("parents")
                .annotate(statuses_in_use_count=Count("statuses", distinct=True)))

    @admin.display(description="image")
    def image_thumbnail(self, obj):
        return _preview(obj.image_original, height=32)

    @admin.display(description="image preview")
    def image_preview(self, obj):
        return _preview(obj.image_original)

    @admin.display(description="emotional image preview")
    def emotional_image_preview(self, obj):
        return _preview(obj.emotional_image_original)

    @admin.display(description="parents")
    def parent_names(self, obj):
        return ", ".join(sorted(p.name for p in obj.parents.all())) or "-"

    @admin.display(description="statuses", ordering="statuses_in_use_count")
    def statuses_in_use(self, obj):
        return obj.statuses_in_use_count

    def delete_model(self, request, obj):
        services.category_delete(category=obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # The stock bulk delete would drop categories in use; delete_unused refuses them.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Delete selected categories that no status uses",
                  permissions=["delete"])
    def delete_unused(self, request, queryset):
        deleted, kept = 0, []
        for category in queryset:
            try:
                services.category_delete(category=category)
                deleted += 1
            except errors.DomainError:
                kept.append(category.name)
        if deleted:
            self.message_user(request, f"Deleted {deleted} categories.", messages.SUCCESS)
        if kept:
            self.message_user(
                request, "Still in use, not deleted (open each one to move its statuses): "
                + ", ".join(kept), messages.WARNING)

    def delete_view(self, request, object_id, extra_context=None):
        """Deleting a category that statuses carry asks where they move first; an unused one
        takes Django's usual confirmation."""
        category = self.get_object(request, admin.utils.unquote(object_id))
        if category is None:
            return super().delete_view(request, object_id, extra_context)
        if not self.has_delete_permission(request, category):
            raise PermissionDenied
        in_use = services.category_statuses_count(category=category)
        if not in_use:
            return super().delete_view(request, object_id, extra_context)
        form = MoveStatusesForm(request.POST or None, category=category)
        if request.method == "POST" and form.is_valid():
            move_to = form.cleaned_data["move_to"]
            try:
                # Django logs a deletion before it happens; the refusal undoes the log too.
                with transaction.atomic():
                    self.log_deletions(request, Category.objects.filter(pk=category.pk))
                    moved = services.category_delete(category=category, move_to=move_to)
            except errors.DomainError as error:
                form.add_error("move_to", error.message)
            else:
                self.message_user(request, f"Moved {moved} statuses to {move_to} and deleted "
                                  f"{category}.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:categories_category_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Delete category {category}?",
            "opts": self.opts,
            "object": category,
            "in_use": in_use,
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/categories/category/move_and_delete.html",
                                context)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = "__all__"  # noqa: DJ007 (the ModelAdmin's fieldsets choose)
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}

    def clean_color(self):
        colour = self.cleaned_data["color"]
        if not COLOUR_RE.match(colour or ""):
            raise forms.ValidationError("A colour is # followed by six hexadecimal digits.")
        return colour.upper()

    def clean(self):
        cleaned = super().clean()
        holders = cleaned.get("holders")
        if holders and cleaned.get("type") != TagType.USER:
            self.add_error("holders", "Only tags of type user are held by accounts.")
        return cleaned


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagForm
    list_display = ("id", "name", "type", "colour_swatch", "visible", "visibility_boost",
                    "active", "deleted")
    list_editable = ("visible", "active")
    list_filter = ("type", "active", "deleted", "visible")
    search_fields = ("name", "description")
    raw_id_fields = ("holders",)
    readonly_fields = ("created_at",)

    @admin.display(description="colour", ordering="color")
    def colour_swatch(self, obj):
        return format_html(
            '<span style="display:inline-block;width:1em;height:1em;background:{};'
            'border:1px solid #999;vertical-align:middle"></span> {}', obj.color, obj.color)


class ReactionForm(forms.ModelForm):
    image_upload = forms.ImageField(required=False, label="Upload image",
                                    help_text="Replaces the image path above.")

    class Meta:
        model = Reaction
        fields = "__all__"  # noqa: DJ007 (the ModelAdmin's fieldsets choose)

    def clean(self):
        cleaned = super().clean()
        try:
            services.reaction_validate(reaction=self.instance,
                                       active=cleaned.get("active", True))
        except errors.Invalid as exc:
            self.add_error(exc.field, exc.message)
        return cleaned

    def save(self, commit=True):
        upload = self.cleaned_data.get("image_upload")
        if upload:
            self.instance.image = _store_upload(upload, "reactions")
        return super().save(commit)


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    form = ReactionForm
    list_display = ("id", "image_thumbnail", "label", "sentiment", "active", "is_default")
    list_display_links = ("id", "label")
    list_filter = ("active",)
    readonly_fields = ("image_preview",)
    fields = ("label", "sentiment", "active", "is_default", "image", "image_upload",
              "image_preview")

    @admin.display(description="image")
    def image_thumbnail(self, obj):
        return _preview(obj.image, height=24)

    @admin.display(description="image preview")
    def image_preview(self, obj):
        return _preview(obj.image)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not services.reaction_may_delete(reaction=obj):
            return False
        return super().has_delete_permission(request, obj)
