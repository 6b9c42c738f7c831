"""App configuration for instance_extras."""

from django.apps import AppConfig


class InstanceExtrasConfig(AppConfig):
    name = "instance_extras"
    verbose_name = "Instance: emojis, announcements, preferences"
    default_auto_field = "django.db.models.BigAutoField"
