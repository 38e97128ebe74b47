# The worker looks for tasks left running by a worker that died (`agora worker`); this partial
# index keeps that a read of the few running rows, however many finished tasks are kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_worker_heartbeats'),
        ('django_tasks_database', '0021_conditional_partial_index_ordering'),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX core_tasks_running ON django_tasks_database_dbtaskresult (id) "
            "WHERE status = 'RUNNING'",
            "DROP INDEX core_tasks_running",
        ),
    ]
