"""A proposal's image: re-encoded by core's image helper, with its description required, and
served through the proposal (so it is as hidden as the proposal is)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agora.proposals import services
from agora.proposals.models import Proposal
from tests.helpers import signed_in
from tests.proposals.conftest import proposals_process


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def a_png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 1000), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("bench.png", buffer.getvalue(), content_type="image/png")


def test_an_image_needs_its_description_and_is_reencoded(town, media, client):
    process = proposals_process(town)
    with pytest.raises(ValidationError) as refused:
        services.propose(process, by=town.verified, title="Bench", body="Here.", image=a_png())
    assert "image_alt" in refused.value.message_dict
    assert not Proposal.objects.exists()
    proposal = services.propose(
        process,
        by=town.verified,
        title="Bench",
        body="Here.",
        image=a_png(),
        image_alt="A green bench by the river",
    )
    with Image.open(proposal.image.path) as stored:
        assert max(stored.size) == 2048
    served = client.get(f"/proposals/{proposal.pk}/image/")
    assert served.status_code == 200 and served["Content-Type"] in ("image/png", "image/jpeg")
    page = signed_in(town.verified).get(proposal.get_absolute_url()).content.decode()
    assert 'alt="A green bench by the river"' in page
    Proposal.objects.filter(pk=proposal.pk).update(moderation_state="hidden")
    assert client.get(f"/proposals/{proposal.pk}/image/").status_code == 404
