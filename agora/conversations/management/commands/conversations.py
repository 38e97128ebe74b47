"""`agora conversations analyze DIR [--json] [--meta IDS]`: the opinion map of a Pol.is
open-data export.
`agora conversations import DIR --owner HANDLE --question TEXT`: store an export as a new
conversation. `agora conversations export ID DIR`: write a conversation in that format."""

import json

from django.core.management.base import BaseCommand, CommandError

from agora.accounts.models import User
from agora.conversations import opendata, services
from agora.conversations.models import Conversation


class Command(BaseCommand):
    help = "Work with Pol.is-style conversations."
    # Reading, storing and writing exports needs no URL map, API or admin: the system checks
    # (which import them all) cost more than analysing 10,000 people's votes.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        analyze = actions.add_parser(
            "analyze",
            help="Compute groups, representative statements and consensus from an export.",
        )
        analyze.add_argument(
            "directory", help="folder with comments.csv, votes.csv, participants-votes.csv"
        )
        analyze.add_argument("--json", action="store_true", help="print the result as JSON")
        analyze.add_argument(
            "--meta", type=opendata.statement_ids, default=[], help=opendata.META_HELP
        )
        importing = actions.add_parser("import", help="Store an export as a new conversation.")
        importing.add_argument("directory")
        importing.add_argument("--owner", required=True, help="handle of the owning account")
        importing.add_argument("--question", required=True)
        exporting = actions.add_parser("export", help="Write a conversation as an export.")
        exporting.add_argument("conversation", type=int)
        exporting.add_argument("directory")

    def handle(self, *args, action, **options):
        if action == "analyze":
            self.analyze(options["directory"], as_json=options["json"], meta=options["meta"])
        elif action == "import":
            export = self.read(options["directory"])
            try:
                owner = User.objects.get_by_handle(options["owner"])
            except User.DoesNotExist as error:
                raise CommandError(f"No account with the handle {options['owner']}.") from error
            conversation = services.import_conversation(
                export, owner=owner, question=options["question"]
            )
            self.stdout.write(f"Imported as conversation {conversation.pk}.")
        elif action == "export":
            conversation = Conversation.objects.filter(pk=options["conversation"]).first()
            if conversation is None:
                raise CommandError(f"No conversation {options['conversation']}.")
            services.export_conversation(conversation, options["directory"])
            self.stdout.write(f"Wrote {options['directory']}.")

    def read(self, directory):
        try:
            return opendata.read_export(directory)
        except opendata.ExportError as error:
            raise CommandError(f"{opendata.REFUSED}\n{error}") from error

    def analyze(self, directory, *, as_json, meta):
        try:
            described = opendata.analyze_directory(directory, meta=meta)
        except opendata.ExportError as error:
            raise CommandError(f"{opendata.REFUSED}\n{error}") from error
        if as_json:
            self.stdout.write(json.dumps(described, ensure_ascii=False))
        else:
            for line in opendata.describe(described):
                self.stdout.write(line)
