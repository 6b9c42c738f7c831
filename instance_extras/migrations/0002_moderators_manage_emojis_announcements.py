"""Moderators manage custom emojis, their categories and announcements: the three models' four
permissions join the `Moderators` group where it exists (moderation/roles.py lists them for a
group made afresh)."""

from django.db import migrations

GROUP = "Moderators"
MODELS = ("customemoji", "customemojicategory", "announcement")
VERBS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    # Permissions are normally made after migrate finishes; make this app's now.
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("instance_extras")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is None:
        return
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="instance_extras", content_type__model__in=MODELS,
        codename__in=[f"{verb}_{model}" for verb in VERBS for model in MODELS]))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(
            content_type__app_label="instance_extras"))


class Migration(migrations.Migration):
    dependencies = [
        ("instance_extras", "0001_initial"),
        ("moderation", "0002_moderators_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
