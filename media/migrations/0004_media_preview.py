import django.db.models
from django.db import migrations

import media.models


class Migration(migrations.Migration):

    dependencies = [
        ("media", "0003_media_scheduled_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediaattachment",
            name="thumbnail",
            field=django.db.models.FileField(blank=True, max_length=500,
                                             upload_to=media.models.thumbnail_path),
        ),
    ]
