"""`agora seed`: demo data for a first start. Does nothing when accounts already exist, so
`make run` can call it every time."""

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management.base import BaseCommand
from django.db import transaction

from agora.accounts import services
from agora.accounts.models import Role, User

DEMO_PASSWORD = "agora-demo-2026"  # noqa: S105 - documented in the README, demo only
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo only

# (handle, display name, role, verified, visibility, language, area, bio)
DEMO_PEOPLE = [
    ("admin", "Site administrator", Role.ADMINISTRATOR, True, "members", "en", "", ""),
    (
        "moderator",
        "Community moderator",
        Role.MODERATOR,
        True,
        "public",
        "en",
        "",
        "I look after the house rules here.",
    ),
    (
        "roads_office",
        "Ana Ruiz · Roads and Mobility",
        Role.OFFICIAL,
        True,
        "public",
        "es",
        "City Hall",
        "Official of the Roads and Mobility office: streets, lights, traffic signs.",
    ),
    (
        "waste_office",
        "Tomás Vidal · Waste and Cleaning",
        Role.OFFICIAL,
        True,
        "public",
        "es",
        "City Hall",
        "Official of the Waste and Cleaning office: collection, bins, street cleaning.",
    ),
    (
        "housing_office",
        "Grace Okafor · Housing",
        Role.OFFICIAL,
        True,
        "public",
        "en",
        "City Hall",
        "Official of the Housing office: social housing, rent aid, building permits.",
    ),
    (
        "maria",
        "María López",
        Role.RESIDENT,
        True,
        "public",
        "es",
        "Centro",
        "Neighbour in Centro. Cyclist, gardener, always asking about bike lanes.",
    ),
    (
        "sam",
        "Sam Patel",
        Role.RESIDENT,
        False,
        "members",
        "en",
        "Riverside",
        "Parent of two, Riverside school council.",
    ),
    ("lucia", "Lucía Gómez", Role.RESIDENT, False, "private", "es", "Norte", ""),
    ("jonas", "jonas", Role.RESIDENT, False, "public", "en", "Old Town", "New in town."),
]


class Command(BaseCommand):
    help = "Load demo accounts into an empty database (skipped when accounts exist)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="seed even if accounts exist")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if User.objects.exists() and not force:
            self.stdout.write("Accounts exist already; demo data not loaded.")
            self._seed_directory()
            return
        administrator = None
        for handle, name, role, verified, visibility, language, area, bio in DEMO_PEOPLE:
            email = f"{handle}@agora.example"
            user = User.objects.create_user(email, handle, DEMO_PASSWORD)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            services.mark_email_confirmed(user)
            services.update_profile(
                user,
                display_name=name,
                bio=bio,
                home_area=area,
                preferred_language=language,
                profile_visibility=visibility,
            )
            if role == Role.ADMINISTRATOR:
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
                administrator = user
            services.change_role(user, role=role, by=administrator)
            if verified:
                services.verify_resident(user, by=administrator)
            if user.requires_two_factor:
                TOTP.activate(user, DEMO_TOTP_SECRET)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(DEMO_PEOPLE)} demo accounts. Password: {DEMO_PASSWORD}"
            )
        )
        self._seed_directory()

    def _seed_directory(self):
        """The demo directory of offices, loaded when the directory is empty, and demo cases,
        loaded when there are none."""
        from agora.directory.demo import load_demo_directory

        message = load_demo_directory()
        if message:
            self.stdout.write(self.style.SUCCESS(message))

        from agora.cases.demo import load_demo_cases
        from agora.conversations.demo import load_demo_conversation
        from agora.social.demo import load_demo_social

        for load in (load_demo_cases, load_demo_social, load_demo_conversation):
            message = load()
            if message:
                self.stdout.write(self.style.SUCCESS(message))
