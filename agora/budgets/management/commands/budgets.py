"""`agora budgets tally FILE.pb --rule RULE [--minimum-votes N] [--json]`: count a Pabulib
file without touching the database (see agora/budgets/tally.py).
`agora budgets import FILE.pb --process SLUG [--rule RULE] [--minimum-votes N]`: store it as a
closed budget of that process, with its projects and ballots, counted.
`agora budgets export ID [--format pabulib|results|ballots] [--output FILE]`: write a counted
budget out, its ballots without names (see agora/budgets/export.py)."""

import json

from django.core.management.base import BaseCommand, CommandError

from agora.budgets import counting, export, pabulib, services, tally
from agora.budgets.models import Budget
from agora.processes.models import Process


class Command(BaseCommand):
    help = "Work with participatory budgets."
    # Counting a file needs no URL map, API or admin.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        tally.arguments(
            actions.add_parser("tally", help="Count a Pabulib file by one of Agora's rules.")
        )
        importing = actions.add_parser(
            "import", help="Store a Pabulib file as a closed, counted budget of a process."
        )
        importing.add_argument("file", help="a Pabulib .pb file")
        importing.add_argument("--process", required=True, help="the process's slug")
        importing.add_argument("--rule", choices=counting.RULES, default="equal-shares")
        importing.add_argument("--minimum-votes", type=int, default=0)
        importing.add_argument("--title", default="", help="in English (default: the file's)")
        importing.add_argument("--title-es", default="", help="in Spanish")
        exporting = actions.add_parser(
            "export", help="Write a counted budget in Pabulib's format or as CSV."
        )
        exporting.add_argument("budget", type=int, help="the budget's id")
        exporting.add_argument(
            "--format", choices=("pabulib", "results", "ballots"), default="pabulib"
        )
        exporting.add_argument("--output", default="", help="a file (default: the output)")

    def handle(self, *args, action, **options):
        if action == "import":
            self.import_file(options)
        elif action == "export":
            self.export_budget(options)
        elif action == "tally":
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

    def import_file(self, options):
        process = Process.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(f"No process with the slug {options['process']}.")
        try:
            budget = services.import_election(
                options["file"],
                process=process,
                rule=options["rule"],
                minimum_votes=options["minimum_votes"],
                title_en=options["title"],
                title_es=options["title_es"],
            )
        except pabulib.PabulibError as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        funded = len(budget.result["winners"])
        self.stdout.write(
            f"Imported as budget {budget.pk}: {budget.projects.count()} projects, "
            f"{budget.ballots.count()} ballots; {funded} funded by {budget.rule}. "
            f"Result: {budget.get_absolute_url()}"
        )

    def export_budget(self, options):
        budget = Budget.objects.filter(pk=options["budget"]).first()
        if budget is None or budget.result is None:
            raise CommandError(f"No counted budget with the id {options['budget']}.")
        writers = {
            "pabulib": export.pabulib_text,
            "results": export.results_csv,
            "ballots": export.ballots_csv,
        }
        text = writers[options["format"]](budget)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
