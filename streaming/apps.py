"""App configuration for streaming: the receivers of config.events are connected when Django is
ready, in every process that may announce (gunicorn workers, db_worker, the streaming server)."""

from django.apps import AppConfig


class StreamingConfig(AppConfig):
    name = "streaming"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from streaming import publisher

        publisher.connect()
