"""Seeds the catalogue (community/catalogue.py): every preference and feature SelfCommunity's
React UI reads at start, and the three menus it asks for by name. An operator changes them in
the admin."""

from django.db import migrations

from community.catalogue import ensure_catalogue


def seed(apps, schema_editor):
    ensure_catalogue(apps.get_model("community", "Preference"),
                     apps.get_model("community", "Feature"),
                     apps.get_model("community", "CustomMenu"), schema_editor.connection.alias)


def unseed(apps, schema_editor):
    for model in ("Preference", "Feature", "CustomMenu"):
        apps.get_model("community", model).objects.using(
            schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
