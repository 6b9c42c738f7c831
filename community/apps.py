"""App configuration for community."""

from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community: preferences, features, menus"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from community import catalogue

        catalogue.connect()
