"""Every case gets a reference: added empty, filled for the cases there are, then made unique
(0004), in two migrations so that PostgreSQL alters the table after the rows are written."""

from django.db import migrations, models

import agora.cases.models.case


def give_references(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    taken = set()
    for pk in Case.objects.filter(reference__isnull=True).values_list("pk", flat=True).iterator():
        reference = agora.cases.models.case.new_reference()
        while reference in taken:
            reference = agora.cases.models.case.new_reference()
        taken.add(reference)
        Case.objects.filter(pk=pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_follows_comments_holidays_media_url")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="reference",
            field=models.CharField(max_length=9, null=True, editable=False),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
    ]
