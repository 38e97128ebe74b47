"""`agora budgets tally FILE.pb --rule RULE [--minimum-votes N] [--json]`: count a Pabulib
file without touching the database (see agora/budgets/tally.py)."""

import json

from django.core.management.base import BaseCommand, CommandError

from agora.budgets import pabulib, tally


class Command(BaseCommand):
    help = "Work with participatory budgets."
    # Counting a file needs no URL map, API or admin.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        tally.arguments(
            actions.add_parser("tally", help="Count a Pabulib file by one of Agora's rules.")
        )

    def handle(self, *args, action, **options):
        if action == "tally":
            try:
                result = tally.tally_file(
                    options["file"], options["rule"], minimum_votes=options["minimum_votes"]
                )
            except pabulib.PabulibError as error:
                raise CommandError(f"{tally.REFUSED} {error}") from error
            if options["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                for line in tally.describe(result):
                    self.stdout.write(line)
