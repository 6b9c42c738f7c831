"""SelfCommunity's default set of reactions beside the default "Like" (id 1 on a new database);
moderators edit them in the admin afterwards."""

from django.db import migrations

REACTIONS = [
    ("Love", 2, "/static/reactions/love.svg"),
    ("Funny", 2, "/static/reactions/funny.svg"),
    ("Wow", 1, "/static/reactions/wow.svg"),
    ("Sad", -1, "/static/reactions/sad.svg"),
    ("Angry", -2, "/static/reactions/angry.svg"),
]


def create_set(apps, schema_editor):
    Reaction = apps.get_model("categories", "Reaction")
    default = Reaction.objects.filter(is_default=True).first()
    if default is not None and not default.image:
        default.image = "/static/reactions/like.svg"
        default.save(update_fields=["image"])
    for label, sentiment, image in REACTIONS:
        if not Reaction.objects.filter(label=label).exists():
            Reaction.objects.create(label=label, sentiment=sentiment, image=image, active=True)


class Migration(migrations.Migration):
    dependencies = [("categories", "0003_category_tag")]
    operations = [migrations.RunPython(create_set, migrations.RunPython.noop)]
