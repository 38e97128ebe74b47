"""The demo directory, loaded once per test class that asks for it."""

from django.test import TestCase

from agora.directory import services
from agora.directory.demo import DEMO_DIRECTORY
from agora.directory.models import Area, Office, Topic


class DemoDirectoryTestCase(TestCase):
    """A test class whose tests all see the demo directory of Villaverde, imported once."""

    @classmethod
    def setUpTestData(cls):
        services.import_directory_file(DEMO_DIRECTORY)

    @staticmethod
    def area(slug: str) -> Area:
        return Area.objects.get(slug=slug)

    @staticmethod
    def office(slug: str) -> Office:
        return Office.objects.get(slug=slug)

    @staticmethod
    def topic(slug: str) -> Topic:
        return Topic.objects.get(slug=slug)
