"""`agora load_holidays AUTHORITY FILE`: add an authority's public holidays from a CSV file
(`date,name_en,name_es`), all or nothing, with the line of every problem."""

from django.core.management.base import BaseCommand, CommandError

from agora.cases.services import HolidayFileError, import_holidays
from agora.directory.models import Authority


class Command(BaseCommand):
    help = (
        "Add or update an authority's public holidays from a CSV file with the columns "
        "date (YYYY-MM-DD), name_en and name_es. Working days in service levels skip them."
    )

    def add_arguments(self, parser):
        parser.add_argument("authority", help="The authority's slug, e.g. villaverde.")
        parser.add_argument("file", help="The CSV file (UTF-8).")

    def handle(self, *args, authority: str, file: str, **options):
        found = Authority.objects.filter(slug=authority).first()
        if found is None:
            raise CommandError(f"There is no authority with the slug {authority!r}.")
        try:
            with open(file, encoding="utf-8", newline="") as lines:
                count = import_holidays(found, lines)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text.") from error
        except HolidayFileError as error:
            raise CommandError("Nothing was saved:\n" + "\n".join(error.problems)) from error
        self.stdout.write(f"{count} public holidays of {found.name_en} saved.")
