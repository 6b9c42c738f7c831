"""App configuration for trends: the ranked statuses, tags and links, and account suggestions."""

from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "trends"
    default_auto_field = "django.db.models.BigAutoField"
