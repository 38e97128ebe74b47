"""What the directory holds about a person (see `agora.accounts.holdings`): the offices
they work for."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

declare(
    Holding(
        model="directory.OfficeMembership",
        person="user",
        kind="office_memberships",
        about=_("The offices you work for, your role and title there."),
        columns=("office__name_en", "role", "title", "created_at"),
        leave=Leave.ERASE,
    ),
)
