"""`agora proposals export DIR [--process SLUG]`: the proposals of published processes as
open data, `DIR/proposals.csv` and `DIR/proposals.json` (see `proposals.opendata`)."""

from django.core.management.base import BaseCommand, CommandError

from agora.processes.models import Process
from agora.proposals import opendata


class Command(BaseCommand):
    help = "Work with proposals: export them as open data."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        exporting = actions.add_parser(
            "export", help="Write proposals.csv and proposals.json into a folder."
        )
        exporting.add_argument("directory")
        exporting.add_argument("--process", help="only this process (its slug)")

    def handle(self, *args, action, **options):
        process = None
        if options["process"]:
            process = Process.objects.filter(slug=options["process"], is_published=True).first()
            if process is None:
                raise CommandError(f"No published process {options['process']}.")
        count = opendata.export(options["directory"], process=process)
        self.stdout.write(f"Wrote {count} proposals to {options['directory']}.")
