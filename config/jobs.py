"""Background work a service asks for, named by the task's import path.

The tasks (`<app>/tasks.py`, django-tasks) are entry points that call the services, as views do:
they sit above them. A service that wants work done later names the task
(`jobs.task("statuses.tasks.crawl_status_card").enqueue(status.pk)`) instead of importing the
module of the tasks that call it back, as a model relation names its model by string; so no
service and its tasks import each other. `tests/test_layers.py` resolves every name used.
"""

from django.utils.module_loading import import_string


def task(path: str):
    """The django-tasks Task at `path`."""
    return import_string(path)
