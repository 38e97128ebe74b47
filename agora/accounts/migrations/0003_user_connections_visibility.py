from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_handle_help_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="connections_visibility",
            field=models.CharField(
                choices=[
                    ("public", "Everyone who can see my profile"),
                    ("members", "Members who are signed in"),
                    ("connections", "My connections only"),
                    ("nobody", "Nobody but me"),
                ],
                default="public",
                max_length=16,
                verbose_name="who can see my followers, following and connections",
            ),
        ),
    ]
