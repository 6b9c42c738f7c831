"""The Moderators group and exactly the permissions moderation needs (the data migration
0002 made it with the same table); `ensure_moderators_group` puts it back after a flush."""

from accounts.models import MODERATORS_GROUP

PERMISSIONS = {
    ("statuses", "status"): ("view", "change"),
    ("statuses", "flag"): ("view",),
    ("accounts", "account"): ("view", "change"),
    ("moderation", "moderationaction"): ("view",),
    ("categories", "category"): ("add", "change", "delete", "view"),
    ("categories", "tag"): ("add", "change", "delete", "view"),
    ("categories", "reaction"): ("add", "change", "delete", "view"),
    ("instance_extras", "customemoji"): ("add", "change", "delete", "view"),
    ("instance_extras", "customemojicategory"): ("add", "change", "delete", "view"),
    ("instance_extras", "announcement"): ("add", "change", "delete", "view"),
}


def ensure_moderators_group(using: str = "default"):
    """The group, created with its permissions when missing (a test flush empties auth_group,
    and post_migrate recreates permissions but not groups). An existing group is left as an
    administrator may have edited it."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.using(using).get_or_create(name=MODERATORS_GROUP)
    if created:
        wanted = Permission.objects.using(using).none()
        for (app_label, model), verbs in PERMISSIONS.items():
            wanted |= Permission.objects.using(using).filter(
                content_type__app_label=app_label, content_type__model=model,
                codename__in=[f"{verb}_{model}" for verb in verbs])
        group.permissions.set(wanted)
    return group


def _after_migrate(sender, using="default", **kwargs):
    # post_migrate is sent once per app, in INSTALLED_APPS order, and a flush has emptied the
    # permissions table too: only at the moderation app's turn (after accounts, statuses and
    # categories) do the permissions the group needs exist again.
    if getattr(sender, "label", None) != "moderation":
        return
    ensure_moderators_group(using)


def connect():
    from django.db.models.signals import post_migrate

    post_migrate.connect(_after_migrate, dispatch_uid="moderation.ensure_moderators_group")
