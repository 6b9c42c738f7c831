"""The default reaction must exist before anyone can favourite."""

from django.db import migrations


def create_default(apps, schema_editor):
    Reaction = apps.get_model("categories", "Reaction")
    if not Reaction.objects.filter(is_default=True).exists():
        Reaction.objects.create(label="Like", sentiment=1, active=True, is_default=True)


class Migration(migrations.Migration):
    dependencies = [("categories", "0001_initial")]
    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
