"""`agora import_directory FILE`: load or update the directory from a CSV or JSON Lines file
(docs/directory-import.md). Nothing is written unless every line is valid."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agora.accounts.models import User
from agora.directory import services
from agora.directory.importer import DirectoryFileError


class Command(BaseCommand):
    help = "Import the directory from a CSV or JSON Lines file; all of it or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--by", default="", help="the handle of the administrator doing the import (audit log)"
        )

    def handle(self, *args, file: Path, by: str = "", **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        actor = None
        if by:
            try:
                actor = User.objects.get_by_handle(by)
            except User.DoesNotExist:
                raise CommandError(f"--by: there is no account @{by}.") from None
        try:
            counts = services.import_directory_file(file, by=actor)
        except DirectoryFileError as error:
            raise CommandError(
                f"{file}: nothing imported, {len(error.errors)} problem(s):\n{error}"
            ) from None
        summary = ", ".join(f"{count} {what}" for what, count in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Imported {file.name}: {summary or 'nothing'}."))
