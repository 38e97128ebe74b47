"""`agora petitions export [--format csv|json] [--output DIR]`: the published petitions as
open data (agora.petitions.export): counts, thresholds, responses, debates, signatures by
area, and only the names signers chose to show."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agora.petitions import export


class Command(BaseCommand):
    help = "Petitions as open data."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        command = actions.add_parser("export", help="Write the published petitions as CSV or JSON.")
        command.add_argument(
            "--format",
            choices=("csv", "json"),
            help="one format (default: JSON on standard output, both formats into --output)",
        )
        command.add_argument(
            "--output", help="a folder to write petitions.csv and petitions.json into"
        )

    def handle(self, *args, action, format=None, output=None, **options):
        if output is None:
            self.stdout.write(export.as_text(format or "json"), ending="")
            return
        folder = Path(output)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        folder.mkdir(parents=True, exist_ok=True)
        for name in [format] if format else ["csv", "json"]:
            path = folder / f"petitions.{name}"
            with path.open("w", encoding="utf-8", newline="") as out:
                written = (export.write_csv if name == "csv" else export.write_json)(out)
            self.stdout.write(f"Wrote {written} petitions to {path}")
