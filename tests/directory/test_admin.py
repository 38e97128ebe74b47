"""Administrators maintain the directory in the admin: every list and form opens and finds
what it searches for."""

from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from agora.accounts.models import Role
from tests.directory.conftest import DemoDirectoryTestCase
from tests.factories import UserFactory

MODELS = ["authority", "office", "area", "topic", "responsibility", "officemembership"]


class DirectoryAdminTests(DemoDirectoryTestCase):
    def setUp(self):
        administrator = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
        TOTP.activate(administrator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        self.client = Client()
        self.client.force_login(administrator)

    def test_every_directory_list_and_add_form_opens(self):
        for model in MODELS:
            listing = self.client.get(f"/admin/directory/{model}/")
            assert listing.status_code == 200, model
            assert 'id="changelist"' in listing.content.decode(), model
            form = self.client.get(f"/admin/directory/{model}/add/")
            assert form.status_code == 200, model
            assert f'id="{model}_form"' in form.content.decode(), model

    def test_searching_offices_and_topics_finds_them_in_either_language(self):
        offices = self.client.get("/admin/directory/office/", {"q": "Alumbrado"}).content.decode()
        assert "Public Lighting Unit" in offices
        topics = self.client.get("/admin/directory/topic/", {"q": "farola"}).content.decode()
        assert "Street lighting" in topics

    def test_an_office_change_form_opens_with_its_officials(self):
        office = self.office("roads-mobility")
        response = self.client.get(f"/admin/directory/office/{office.pk}/change/")
        assert response.status_code == 200
        assert "Roads and Mobility" in response.content.decode()
