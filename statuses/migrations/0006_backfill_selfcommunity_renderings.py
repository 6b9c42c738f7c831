"""Statuses written before SelfCommunity's renderings existed get them."""

from django.db import migrations


def backfill(apps, schema_editor):
    from statuses import html_text
    from statuses.services.posting import sc_renderings_for_plain

    Status = apps.get_model("statuses", "Status")
    Account = apps.get_model("accounts", "Account")
    for status in Status.objects.filter(sc_html="").exclude(html="").iterator():
        ids = [pair[0] for pair in status.mention_data]
        ext_ids = dict(Account.objects.filter(pk__in=ids).values_list("pk", "ext_id"))
        targets = [(pk, name, ext_ids.get(pk)) for pk, name in status.mention_data]
        status.sc_html, status.summary, status.slug = sc_renderings_for_plain(
            html=status.html, text=status.text, mentions=targets
        )
        status.save(update_fields=["sc_html", "summary", "slug"])
    del html_text


class Migration(migrations.Migration):
    dependencies = [("statuses", "0005_selfcommunity_fields"), ("accounts", "0001_initial")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
