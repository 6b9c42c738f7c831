"""The two forms of the visibility rule (SQL for lists, Python for one status) agree everywhere,
and both say what section B of the behaviour spec says."""

import itertools

import pytest
from django.utils import timezone

from accounts.models import Account, Visibility
from config import errors
from statuses.models import Mention, Status
from statuses.selectors.single import status_get_visible
from statuses.selectors.visibility import visible_to
from tests.factories import AccountFactory, BlockFactory, FollowFactory, TagFactory

RELATIONS = ["anonymous", "author", "follower", "pending", "mentioned", "blocked", "stranger",
             "holder", "blocked_holder", "moderator", "staff"]

# What the spec says, for a kept, uncollapsed status of an available author.
EXPECTED = {
    Visibility.PUBLIC: {"anonymous", "author", "follower", "pending", "mentioned", "stranger",
                        "holder", "moderator", "staff"},
    Visibility.UNLISTED: {"anonymous", "author", "follower", "pending", "mentioned", "stranger",
                          "holder", "moderator", "staff"},
    # "blocked" also follows the author: a block has no extra effect on private (item 28).
    Visibility.PRIVATE: {"author", "follower", "mentioned", "blocked"},
    Visibility.DIRECT: {"author", "mentioned"},
    Visibility.LIMITED: {"author", "mentioned"},
}


@pytest.fixture
def world(db):
    author = AccountFactory(username="author")
    viewers = {
        "anonymous": None,
        "author": author,
        "follower": AccountFactory(username="follower"),
        "pending": AccountFactory(username="pending"),
        "mentioned": AccountFactory(username="mentioned"),
        "blocked": AccountFactory(username="blocked"),
        "stranger": AccountFactory(username="stranger"),
        # Hold the `user` tag that addressed statuses are addressed to.
        "holder": AccountFactory(username="holder"),
        "blocked_holder": AccountFactory(username="blocked_holder"),
        # Moderators (the group, or staff) see collapsed statuses they could otherwise see.
        "moderator": AccountFactory(username="moderator"),
        "staff": AccountFactory(username="staff", is_staff=True),
    }
    from django.contrib.auth.models import Group

    viewers["moderator"].groups.add(Group.objects.get(name="Moderators"))
    tag = TagFactory(type="user", name="audience")
    tag.holders.add(viewers["holder"], viewers["blocked_holder"])
    BlockFactory(account=author, target=viewers["blocked_holder"])
    FollowFactory(account=viewers["follower"], target=author, accepted=True)
    FollowFactory(account=viewers["pending"], target=author, accepted=False)
    FollowFactory(account=viewers["blocked"], target=author, accepted=True)
    BlockFactory(account=author, target=viewers["blocked"])
    return author, viewers, tag


def _python_sees(status, viewer) -> bool:
    try:
        status_get_visible(status_id=status.pk, viewer=viewer)
        return True
    except errors.NotFound:
        return False


# An addressed status (SelfCommunity `addressing`, stored as private) reaches its author, the
# accounts it mentions and the holders of its tags whom the author does not block; followers
# without the tag do not see it.
ADDRESSED = {"author", "mentioned", "holder"}


@pytest.mark.parametrize("visibility", [*list(Visibility), "addressed"])
def test_sql_and_python_rules_agree_with_the_spec(world, visibility):
    author, viewers, tag = world
    addressed = visibility == "addressed"
    if addressed:
        visibility = Visibility.PRIVATE
    for collapsed, deleted, suspended in itertools.product([False, True], repeat=3):
        Account.objects.filter(pk=author.pk).update(
            suspended_at=timezone.now() if suspended else None
        )
        status = Status.objects.create(
            account=author, text="x", visibility=visibility, collapsed=collapsed,
            deleted_at=timezone.now() if deleted else None, addressed=addressed,
        )
        if addressed:
            status.addressing.add(tag)
        Mention.objects.create(status=status, account=viewers["mentioned"])
        for name, viewer in viewers.items():
            sql = visible_to(viewer).filter(pk=status.pk).exists()
            python = _python_sees(status, viewer)
            case = (visibility.label, addressed, name, collapsed, deleted, suspended)
            assert sql == python, case
            if deleted or suspended:
                expected = False
            else:
                expected = name in (ADDRESSED if addressed else EXPECTED[visibility])
                if collapsed:
                    expected = name == "author" or (expected and name in ("moderator", "staff"))
            assert python == expected, case
