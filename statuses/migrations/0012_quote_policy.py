"""Mastodon 4.5 quotes: who may quote a status (`quote_policy`) and the state of the quote a
status makes (`quote_state`, so a revoke is recorded). Existing private and direct statuses
get `nobody`, as Mastodon gives them; existing shares are accepted quotes."""

from django.db import migrations, models

PRIVATE = 2  # accounts.models.Visibility.PRIVATE: private, direct and limited are >= 2
NOBODY = 0


def downgrade_private(apps, schema_editor):
    Status = apps.get_model("statuses", "Status")
    Status.objects.filter(visibility__gte=PRIVATE).update(quote_policy=NOBODY)


class Migration(migrations.Migration):

    dependencies = [
        ("statuses", "0011_scheduled_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="status",
            name="quote_policy",
            field=models.PositiveSmallIntegerField(
                choices=[(0, "nobody"), (1, "followers"), (2, "public")], default=2),
        ),
        migrations.AddField(
            model_name="status",
            name="quote_state",
            field=models.PositiveSmallIntegerField(
                choices=[(0, "pending"), (1, "accepted"), (2, "rejected"), (3, "revoked"),
                         (4, "deleted")], default=1),
        ),
        migrations.RunPython(downgrade_private, migrations.RunPython.noop, elidable=True),
    ]
