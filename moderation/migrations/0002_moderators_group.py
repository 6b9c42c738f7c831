"""The `Moderators` group with exactly the permissions moderation needs: statuses and accounts
to view and change, flags and the moderation log to read, categories, tags and reactions to
manage. Not OAuth applications or tokens, not groups or permissions."""

from django.db import migrations

GROUP = "Moderators"
PERMISSIONS = {
    ("statuses", "status"): ("view", "change"),
    ("statuses", "flag"): ("view",),
    ("accounts", "account"): ("view", "change"),
    ("moderation", "moderationaction"): ("view",),
    ("categories", "category"): ("add", "change", "delete", "view"),
    ("categories", "tag"): ("add", "change", "delete", "view"),
    ("categories", "reaction"): ("add", "change", "delete", "view"),
}


def create_group(apps, schema_editor):
    # Permissions are normally made after migrate finishes; make them now so the group gets them.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for (app_label, model), verbs in PERMISSIONS.items():
        for verb in verbs:
            wanted.append(Permission.objects.get(content_type__app_label=app_label,
                                                 content_type__model=model,
                                                 codename=f"{verb}_{model}"))
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0003_revoked_token"),
        ("statuses", "0013_preview_card"),
        ("categories", "0004_reaction_set"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
