"""PostgreSQL: a GIN index for SelfCommunity's status search (statuses/list_selectors.py), on
exactly the expression the search filters on. Other databases search with LIKE and get none."""

from django.db import migrations

INDEX = "status_text_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON statuses_status "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(\"text\", '')))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("statuses", "0008_comment_audience"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
