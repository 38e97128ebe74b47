"""A GIN index for full-text search over post text. PostgreSQL only: SQLite searches by
substring and has no such index. The expression matches what `social.search` asks for."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS social_post_body_fts ON social_post "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(body, '')))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS social_post_body_fts")


class Migration(migrations.Migration):
    dependencies = [("social", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
