"""`agora worker`: run background tasks from the database queue.

A thin name over django-tasks-db's worker, so administrators have one command to remember. It
stops cleanly on SIGTERM (the task in hand finishes) and `--batch` runs what is waiting, then
exits, which is what tests and cron jobs use. A long-running worker first runs the periodic jobs
the apps declare (`periodic_jobs` on their AppConfig), such as queueing the next daily
notification digest (`AGORA_DIGEST_HOUR`)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from agora.site.registry import declared


class Command(BaseCommand):
    help = "Run background tasks (emails, notifications) from the database queue."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run waiting tasks, then exit")
        parser.add_argument(
            "--queue", action="append", dest="queues", help="queue to take tasks from (repeatable)"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args, batch=False, queues=None, interval=1.0, **options):
        queue_names = ",".join(queues) if queues else "*"
        arguments = ["--queue-name", queue_names, "--interval", str(interval), "--no-reload"]
        if batch:
            arguments += ["--batch", "--no-startup-delay"]
        else:
            for job in declared.periodic_jobs():
                message = job()
                if message:
                    self.stdout.write(message)
        call_command("db_worker", *arguments, verbosity=options.get("verbosity", 1))
