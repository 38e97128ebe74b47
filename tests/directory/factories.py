"""Factories for directory entries."""

import factory

from agora.directory.models import Area, Authority, Office, Responsibility, Topic


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    slug = factory.Sequence(lambda n: f"authority-{n}")
    name_en = factory.Sequence(lambda n: f"Authority {n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    slug = factory.Sequence(lambda n: f"area-{n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")
    kind = "district"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    slug = factory.Sequence(lambda n: f"office-{n}")
    name_en = factory.Sequence(lambda n: f"Office {n}")
    authority = factory.SubFactory(AuthorityFactory)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    topic = factory.SubFactory(TopicFactory)
    area = factory.SubFactory(AreaFactory)
    office = factory.SubFactory(OfficeFactory)
