"""A moderator made the way grant_moderator makes one."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import AccountFactory


@pytest.fixture
def moderator(db):
    account = AccountFactory(username="mod", is_staff=True)
    account.groups.add(Group.objects.get(name="Moderators"))
    return type(account).objects.get(pk=account.pk)
