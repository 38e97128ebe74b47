"""`agora transparency report`: the transparency report's figures by half-year, as CSV."""

import csv

from django.core.management.base import BaseCommand

from agora.privacy import figures
from agora.privacy.models import Outcome, Requester


class Command(BaseCommand):
    help = "Write the transparency report of data requests by half-year as CSV."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["report"])

    def handle(self, *args, **options):
        writer = csv.writer(self.stdout)
        writer.writerow(
            [
                "half_year",
                "requests",
                *(f"requests_{kind}" for kind in Requester.values),
                *(f"outcome_{kind}" for kind in Outcome.values),
                "accounts_concerned",
                "under_order_not_to_tell",
                "exports",
                "deletions",
            ]
        )
        for half, counted in figures.by_half_year():
            by_requester = [counted["request"].get(kind, 0) for kind in Requester.values]
            writer.writerow(
                [
                    half,
                    sum(by_requester),
                    *by_requester,
                    *(counted["outcome"].get(kind, 0) for kind in Outcome.values),
                    sum(counted["accounts"].values()),
                    counted["gagged"].get("", 0),
                    counted["export"].get("", 0),
                    counted["deletion"].get("", 0),
                ]
            )
