"""`agora retention`: apply the retention rules now (the worker runs them daily)."""

from django.core.management.base import BaseCommand

from agora.privacy.services import apply_retention


class Command(BaseCommand):
    help = (
        "Remove what the retention rules no longer allow: expired exports, deletions past "
        "their grace period, unconfirmed accounts, old network ranges."
    )

    def handle(self, *args, **options):
        for what, count in apply_retention().items():
            self.stdout.write(f"{count} {what}")
