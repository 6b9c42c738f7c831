"""The community's dynamic preferences and features (what SelfCommunity's UI reads at start),
its custom menus, and each account's SelfCommunity notification settings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class PreferenceType(models.TextChoices):
    """How a preference's text is read and rendered: SelfCommunity's UI tests booleans and
    numbers as JSON values (a "False" string would read as true)."""

    BOOLEAN = "boolean", "boolean (True or False)"
    INTEGER = "integer", "integer"
    STRING = "string", "text"
    URL = "url", "picture or link (an absolute URL, or a path on this server)"


BOOLEAN_TEXT = {"true": True, "false": False}


class Preference(models.Model):
    """One of SelfCommunity's dynamic preferences, `section.name` (react-core's
    SCPreferences). Served to anyone: never put a secret in a value."""

    section = models.CharField(max_length=32)
    name = models.CharField(max_length=64)
    type = models.CharField(max_length=8, choices=PreferenceType.choices,
                            default=PreferenceType.STRING)
    value = models.TextField(blank=True, default="", help_text=(
        "Served to anyone who asks, without a token: never put a secret here. Booleans are "
        "True or False; pictures an absolute URL or a path on this server (/static/...)."))
    help = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section", "name"],
                                               name="preference_section_name_unique")]
        ordering = ["section", "name"]

    def __str__(self) -> str:
        return f"{self.section}.{self.name}"

    def clean(self):
        try:
            self.typed_value()
        except ValueError as error:
            raise ValidationError({"value": str(error)}) from None

    def typed_value(self):
        """The value as SelfCommunity's UI reads it; ValueError when the text is not one."""
        text = self.value.strip()
        if self.type == PreferenceType.BOOLEAN:
            if text.lower() not in BOOLEAN_TEXT:
                raise ValueError("A boolean preference is True or False.")
            return BOOLEAN_TEXT[text.lower()]
        if self.type == PreferenceType.INTEGER:
            try:
                return int(text)
            except ValueError:
                raise ValueError("An integer preference is a whole number.") from None
        return self.value


class Feature(models.Model):
    """A SelfCommunity feature (react-core's SCFeatureName): the UI shows what depends on it
    only when it is enabled."""

    name = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MenuSlot(models.TextChoices):
    """Where SelfCommunity's UI asks for a menu by name (SCCustomMenu): the footer for signed-in
    readers, the footer for anonymous ones, and the user's settings menu."""

    BASE = "base", "footer (signed in)"
    NOT_LOGGED = "not_logged", "footer (anonymous)"
    USER = "user", "settings menu"


class CustomMenu(models.Model):
    name = models.CharField(max_length=100)
    slot = models.CharField(max_length=16, choices=MenuSlot.choices, null=True, blank=True,
                            unique=True, help_text="Where the UI shows this menu (at most one "
                                                   "menu per place); empty: only by its id")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class CustomMenuItem(models.Model):
    menu = models.ForeignKey(CustomMenu, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(max_length=100)
    url = models.CharField(max_length=500)
    attrs = models.CharField(max_length=255, blank=True, default="",
                             help_text='HTML attributes of the link, e.g. target="_blank"')
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class QaFrequency(models.IntegerChoices):
    IMMEDIATELY = -1, "immediately"
    NEVER = 0, "never"
    DAILY = 1, "daily"


class OnOff(models.IntegerChoices):
    OFF = 0, "off"
    ON = 1, "on"


class UserSettings(models.Model):
    """SelfCommunity's notification settings of one account (SCUserSettingsType); an account
    without a row has the defaults."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   primary_key=True, related_name="sc_settings")
    qa_frequency = models.SmallIntegerField(choices=QaFrequency.choices,
                                            default=QaFrequency.IMMEDIATELY)
    email_notification_not_qa = models.SmallIntegerField(choices=OnOff.choices,
                                                         default=OnOff.ON)
    mobile_notifications_scmty = models.SmallIntegerField(choices=OnOff.choices,
                                                          default=OnOff.ON)
    show_toast_notifications = models.SmallIntegerField(choices=OnOff.choices,
                                                        default=OnOff.ON)
    toast_notifications_emit_sound = models.SmallIntegerField(choices=OnOff.choices,
                                                              default=OnOff.ON)

    class Meta:
        verbose_name_plural = "user settings"

    def __str__(self) -> str:
        return f"settings of {self.account_id}"


SETTING_FIELDS = ("qa_frequency", "email_notification_not_qa", "mobile_notifications_scmty",
                  "show_toast_notifications", "toast_notifications_emit_sound")
