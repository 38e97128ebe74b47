"""What petitions hold about a person (see `agora.accounts.holdings`): the petitions they
started, co-sponsored and signed. A petition and its signatures stay when a signer or its
author leaves: they count toward a threshold that others reached together."""

from django.utils.translation import gettext_lazy as _

from agora.accounts.holdings import Holding, Leave, declare

COUNTED = _("A signature counts toward the petition's thresholds; it stays, with no name.")
OFFICIAL = _("The petition's record is kept; the official's part is signed by the office.")

declare(
    Holding(
        model="petitions.Petition",
        person="author",
        kind="petitions",
        about=_("The petitions you started: what they ask, why, their state and response."),
        columns=(
            "id",
            "title",
            "asks",
            "why",
            "state",
            "signature_count",
            "created_at",
            "published_at",
            "closed_at",
            "response_body",
            "responded_at",
        ),
        leave=Leave.KEEP,
        reason=_(
            "A petition belongs to everyone who signed it; it stays, started by a former member."
        ),
    ),
    Holding(
        model="petitions.Petition",
        person="moderated_by",
        kind="petitions_moderated",
        about=_("Petitions you moderated."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=OFFICIAL,
    ),
    Holding(
        model="petitions.Petition",
        person="responded_by",
        kind="petitions_responded",
        about=_("Petitions you responded to, as an official."),
        export=False,
        leave=Leave.ANONYMISE,
        reason=OFFICIAL,
    ),
    Holding(
        model="petitions.CoSponsor",
        person="person",
        kind="petition_cosponsorships",
        about=_("The petitions you co-sponsored."),
        columns=("petition", "petition__title", "created_at"),
        leave=Leave.KEEP,
        reason=COUNTED,
    ),
    Holding(
        model="petitions.Signature",
        person="person",
        kind="petition_signatures",
        about=_("The petitions you signed, whether your name shows, and the network you used."),
        columns=(
            "petition",
            "petition__title",
            "show_name",
            "email_domain",
            "network",
            "created_at",
            "confirmed_at",
        ),
        leave=Leave.ANONYMISE,
        reason=COUNTED,
        scrub={"show_name": False, "email_domain": "", "network": ""},
    ),
    Holding(
        model="petitions.Invalidation",
        person="by",
        kind="signature_invalidations",
        about=_("Signatures you invalidated, as an administrator, and why."),
        export=False,
        leave=Leave.KEEP,
        reason=OFFICIAL,
    ),
)
