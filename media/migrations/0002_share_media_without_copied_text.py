"""Share media used to keep a copy of the shared status's summary as their title and
description, which could outlive the status's visibility. They are rendered from the shared
status itself now; the copies go."""

from django.db import migrations


def forget_copied_text(apps, schema_editor):
    MediaAttachment = apps.get_model("media", "MediaAttachment")
    MediaAttachment.objects.filter(kind="share").update(title="", description="")


class Migration(migrations.Migration):
    dependencies = [("media", "0001_initial")]

    operations = [migrations.RunPython(forget_copied_text, migrations.RunPython.noop)]
