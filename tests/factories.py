"""Factories for test data. Accounts are built the way sign-up leaves them: a confirmed
primary email address and the first verification level."""

import factory
from allauth.account.models import EmailAddress

from agora.accounts.models import User, Verification

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    handle = factory.Sequence(lambda n: f"person{n}")
    display_name = factory.Faker("name")
    verification = Verification.EMAIL_CONFIRMED

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def confirmed_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
