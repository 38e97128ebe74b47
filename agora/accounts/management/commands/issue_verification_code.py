"""`agora issue_verification_code --by HANDLE`: print a one-time code that makes the account
redeeming it a verified resident (for letters and desk visits). The code is shown only here."""

from django.core.management.base import BaseCommand, CommandError

from agora.accounts import services
from agora.accounts.models import User


class Command(BaseCommand):
    help = "Issue a one-time resident verification code."

    def add_arguments(self, parser):
        parser.add_argument("--by", required=True, help="handle of the issuing administrator")
        parser.add_argument("--note", default="", help="for whom or why")
        parser.add_argument("--days", type=int, default=30, help="days the code stays valid")

    def handle(self, *args, by, note, days, **options):
        try:
            administrator = User.objects.get_by_handle(by)
        except User.DoesNotExist:
            raise CommandError(f"No account @{by}.") from None
        try:
            code = services.issue_verification_code(by=administrator, note=note, valid_days=days)
        except Exception as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Verification code (valid {days} days, shown once):")
        self.stdout.write(code)
