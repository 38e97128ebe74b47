"""Fill the monthly counts from the reports, decisions and appeals already there."""

from django.db import migrations


def fill(apps, schema_editor):
    from agora.moderation import figures

    models = (
        apps.get_model("moderation", "Report"),
        apps.get_model("moderation", "Decision"),
        apps.get_model("moderation", "Appeal"),
    )
    figures.recount(models=models, count_model=apps.get_model("moderation", "MonthlyCount"))


class Migration(migrations.Migration):
    dependencies = [("moderation", "0010_monthly_counts")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
