"""The first wording of the house rules (`agora.moderation.house_rules`)."""

from django.db import migrations

from agora.moderation.house_rules import publish


def publish_rules(apps, schema_editor):
    publish(apps.get_model("moderation", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(publish_rules, migrations.RunPython.noop)]
