"""Demo people for a first start: an administrator, a moderator, three officials (made
institutional accounts by the directory's demo), four residents and two political accounts (a
councillor and a party group), loaded into an empty database (or beside existing accounts
with `force`)."""

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from agora.accounts import services
from agora.accounts.kinds import AccountKind
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
    (
        "elena_ortiz",
        "Elena Ortiz",
        Role.RESIDENT,
        True,
        "public",
        "es",
        "Centro",
        "Concejala del distrito Centro. Councillor for Centro.",
    ),
    (
        "civic_group",
        "Civic Union group",
        Role.RESIDENT,
        False,
        "public",
        "es",
        "City Hall",
        "The Civic Union group in the city council. Grupo municipal Unión Cívica.",
    ),
]

# Political accounts of the demo (handle -> what the account is, shown beside the badge).
# The institutional ones are the offices' accounts, made so by the directory's demo once
# they act for their offices.
DEMO_POLITICAL = {
    "elena_ortiz": "Councillor, Centro district · Civic Union",
    "civic_group": "Party group in the city council",
}


@transaction.atomic
def load_demo_people(*, force: bool = False) -> str:
    if User.objects.exists() and not force:
        return "Accounts exist already; demo data not loaded."
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
        if handle in DEMO_POLITICAL:
            services.set_kind(
                user, kind=AccountKind.POLITICAL, by=administrator, detail=DEMO_POLITICAL[handle]
            )
    return f"Loaded {len(DEMO_PEOPLE)} demo accounts. Password: {DEMO_PASSWORD}"
