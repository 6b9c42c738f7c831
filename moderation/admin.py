"""The moderation log, read-only, and the admin actions that ask for a reason and call
moderation.services (the statuses', flag queue's and accounts' admins use them)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from config import errors
from moderation.models import ModerationAction, ModerationType


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000, label="Reason",
                             widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
                             help_text="Kept in the moderation log.")

    def __init__(self, *args, with_type: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_type:
            self.fields["moderation_type"] = forms.TypedChoiceField(
                choices=[("", "---------"), *ModerationType.choices], coerce=int,
                empty_value=None, required=False, label="Moderation type")


def moderation_action(*, name: str, description: str, service, target=None, keyword="status",
                      with_type: bool = False, **fixed):
    """An admin action that first asks for a reason (and, with `with_type`, a moderation type),
    then calls `service(moderator=..., <keyword>=target(obj), reason=..., **fixed)` once per
    distinct target. A target the service refuses is reported and left as it was."""
    target = target or (lambda obj: obj)

    def action(modeladmin, request, queryset):
        if request.POST.get("apply"):
            form = ReasonForm(request.POST, with_type=with_type)
            if form.is_valid():
                _run(modeladmin, request, queryset, form.cleaned_data)
                return None  # back to the list the action came from
        else:
            form = ReasonForm(with_type=with_type)
        # The admin names each target (a status by its words only when the moderator may read
        # them: statuses.admin's action_label).
        label = getattr(modeladmin, "action_label", str)
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description,
            "opts": modeladmin.model._meta,
            "targets": [(obj.pk, label(obj)) for obj in queryset],
            "form": form,
            "action_name": name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/moderation/reason.html", context)

    def _run(modeladmin, request, queryset, cleaned):
        options = {"reason": cleaned["reason"], **fixed}
        if with_type:
            options["moderation_type"] = cleaned.get("moderation_type")
        done, refused, seen = 0, [], set()
        for obj in queryset:
            subject = target(obj)
            if subject.pk in seen:
                continue
            seen.add(subject.pk)
            try:
                service(moderator=request.user, **{keyword: subject}, **options)
            except errors.DomainError as error:
                refused.append(f"{subject}: {error.message}")
            else:
                done += 1
        if done:
            modeladmin.message_user(request, f"{description}: done for {done}.",
                                    messages.SUCCESS)
        if refused:
            modeladmin.message_user(request, "Not done: " + "; ".join(refused),
                                    messages.WARNING)

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The log: who did what, when, why, on what. Nobody adds, edits or deletes a row."""

    list_display = ("created_at", "moderator_username", "action", "status_link",
                    "target_account", "moderation_type", "reason")
    list_filter = ("action", "moderation_type", "created_at")
    search_fields = ("reason", "moderator_username", "target_account__username",
                     "=target_status__id")
    list_select_related = ("target_account",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")

    @admin.display(description="status", ordering="target_status_id")
    def status_link(self, obj):
        if obj.target_status_id is None:
            return "-"
        url = reverse("admin:statuses_status_change", args=[obj.target_status_id])
        return format_html('<a href="{}">{}</a>', url, obj.target_status_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
