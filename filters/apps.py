"""App configuration for filters."""

from django.apps import AppConfig


class FiltersConfig(AppConfig):
    name = "filters"
    default_auto_field = "django.db.models.BigAutoField"
