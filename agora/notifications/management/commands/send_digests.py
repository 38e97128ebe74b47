"""Queue the daily notification digest for the worker; run it once a day (cron, a timer)."""

from django.core.management.base import BaseCommand

from agora.notifications.tasks import send_daily_digests


class Command(BaseCommand):
    help = "Queue the daily notification digest emails for the background worker."

    def handle(self, *args, **options):
        send_daily_digests.enqueue()
        self.stdout.write("Digest queued.")
