"""Every account's posts_count, discussions_count and polls_count, counted from its statuses as
statuses/counters.py defines them at this migration: of the live statuses that are not direct
(what statuses_count counts), the posts, the discussions and those carrying a poll. From then on
the services keep them (statuses/services/authored.py)."""

from django.db import migrations

DIRECT = 3  # accounts.models.Visibility.DIRECT, Mastodon's number


def fill(apps, schema_editor):
    a = apps.get_model("accounts", "Account")._meta.db_table
    s = apps.get_model("statuses", "Status")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{a}" SET posts_count = agg.p, discussions_count = agg.d, '
            "polls_count = agg.q FROM ("
            "SELECT account_id AS k, "
            "SUM(CASE WHEN contribution_type = 'post' THEN 1 ELSE 0 END) AS p, "
            "SUM(CASE WHEN contribution_type = 'discussion' THEN 1 ELSE 0 END) AS d, "
            "SUM(CASE WHEN has_poll THEN 1 ELSE 0 END) AS q "
            f'FROM "{s}" WHERE deleted_at IS NULL AND visibility <> {DIRECT} '
            f'GROUP BY account_id) agg WHERE "{a}".id = agg.k')


class Migration(migrations.Migration):
    dependencies = [("statuses", "0019_category_link_created_at"),
                    ("accounts", "0004_contribution_counters")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
