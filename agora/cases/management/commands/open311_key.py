"""`agora open311_key NAME`: create an api_key for an Open311 application and print it once."""

from django.core.management.base import BaseCommand

from agora.cases.services import create_open311_key


class Command(BaseCommand):
    help = "Create an Open311 api_key for an application and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The application the key is for.")

    def handle(self, *args, name: str, **options):
        self.stdout.write(create_open311_key(name))
