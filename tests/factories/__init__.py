"""factory-boy factories for the test suite."""

import factory
import factory.random
from factory.django import DjangoModelFactory

from accounts.models import Account, Application, Block, Follow, Mute

factory.Faker._DEFAULT_LOCALE = "en_US"
factory.random.reseed_random(20261122)


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("password")


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    name = factory.Sequence(lambda n: f"Test app {n}")
    redirect_uris = "urn:ietf:wg:oauth:2.0:oob"
    client_type = Application.CLIENT_CONFIDENTIAL
    authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    scopes = "read write follow push"
    website = "https://app.example"


class FollowFactory(DjangoModelFactory):
    class Meta:
        model = Follow

    account = factory.SubFactory(AccountFactory)
    target = factory.SubFactory(AccountFactory)
    accepted = True


class BlockFactory(DjangoModelFactory):
    class Meta:
        model = Block

    account = factory.SubFactory(AccountFactory)
    target = factory.SubFactory(AccountFactory)


class MuteFactory(DjangoModelFactory):
    class Meta:
        model = Mute

    account = factory.SubFactory(AccountFactory)
    target = factory.SubFactory(AccountFactory)


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = "categories.Category"

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = "categories.Tag"

    type = "user"
    name = factory.Sequence(lambda n: f"tag{n}")
