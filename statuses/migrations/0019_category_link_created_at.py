"""A category's feeds, one page's cost on PostgreSQL: each status↔category link carries its
status's `created_at` and `last_activity_at` (columns Django's auto-created through model does
not know), indexed as (category, created_at DESC, status DESC) and (category, last_activity_at
DESC, status DESC), so the newest-first and the trending feed walk the category's links in the
feed's own order and stop after a page. Triggers keep the copies: a link takes its status's
times when written (whoever writes it: the services, `categories.add`, the seed's COPY), and a
status's links follow a change of its times (a comment moves its thread root's
`last_activity_at`). Elsewhere (SQLite) nothing: the selectors keep their portable shape there."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE statuses_status_categories ADD COLUMN created_at timestamp with time zone, "
    "ADD COLUMN last_activity_at timestamp with time zone",
    "UPDATE statuses_status_categories l SET created_at = s.created_at, "
    "last_activity_at = s.last_activity_at FROM statuses_status s WHERE s.id = l.status_id",
    """CREATE FUNCTION status_category_created_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT created_at, last_activity_at INTO NEW.created_at, NEW.last_activity_at
        FROM statuses_status WHERE id = NEW.status_id;
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER status_category_created_at BEFORE INSERT OR UPDATE OF status_id "
    "ON statuses_status_categories FOR EACH ROW EXECUTE FUNCTION status_category_created_at()",
    """CREATE FUNCTION status_created_at_to_categories() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE statuses_status_categories SET created_at = NEW.created_at,
        last_activity_at = NEW.last_activity_at WHERE status_id = NEW.id;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER status_created_at_to_categories AFTER UPDATE OF created_at, "
    "last_activity_at ON statuses_status FOR EACH ROW "
    "WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at "
    "OR OLD.last_activity_at IS DISTINCT FROM NEW.last_activity_at) "
    "EXECUTE FUNCTION status_created_at_to_categories()",
    "CREATE INDEX status_category_newest ON statuses_status_categories "
    "(category_id, created_at DESC, status_id DESC)",
    "CREATE INDEX status_category_active ON statuses_status_categories "
    "(category_id, last_activity_at DESC, status_id DESC)",
]

BACKWARD = [
    "DROP TRIGGER status_created_at_to_categories ON statuses_status",
    "DROP FUNCTION status_created_at_to_categories()",
    "DROP TRIGGER status_category_created_at ON statuses_status_categories",
    "DROP FUNCTION status_category_created_at()",
    # (dropping the columns drops their indexes)
    "ALTER TABLE statuses_status_categories DROP COLUMN created_at, "
    "DROP COLUMN last_activity_at",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('statuses', '0018_contribution_type'),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
