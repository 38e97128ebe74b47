"""`agora seed`: demo data for a first start, from every app that declares some (`demo_data` on
its AppConfig), in the order of INSTALLED_APPS. Each app loads its part only when it is missing,
so `make run` can call it every time."""

from django.core.management.base import BaseCommand
from django.db import transaction

from agora.site.registry import declared


class Command(BaseCommand):
    help = "Load demo data into an empty database (demo people are skipped when accounts exist)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="seed even if accounts exist")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        for load in declared.demo_loaders():
            message = load(force=force)
            if message:
                self.stdout.write(self.style.SUCCESS(message))
