"""The groups a status's events go to (the publisher's generous choice; each connection decides
again for its reader): the author's and accepted followers' homes, and the public and hashtag
streams for a public status only."""

import pytest
from django.utils import timezone

from accounts.models import Follow
from statuses import services
from streaming import groups
from streaming.publisher import status_audience

pytestmark = pytest.mark.django_db


def test_a_public_status_goes_home_to_accepted_followers_and_to_public_and_its_hashtags(
        alice, bob, carol):
    Follow.objects.create(account=bob, target=alice)
    Follow.objects.create(account=carol, target=alice, accepted=False)
    status = services.status_create(account=alice, text="#Cats and #dogs", visibility="public")
    assert status_audience(status.pk) == [
        groups.home(alice.pk), groups.home(bob.pk), groups.PUBLIC,
        groups.hashtag("cats"), groups.hashtag("dogs")]
    assert groups.hashtag("#Cats") == groups.hashtag("cats")


@pytest.mark.parametrize("visibility", ["unlisted", "private", "direct"])
def test_other_audiences_never_go_to_public_streams(visibility, alice, bob):
    Follow.objects.create(account=bob, target=alice)
    status = services.status_create(account=alice, text="@bob #cats", visibility=visibility)
    assert status_audience(status.pk) == [groups.home(alice.pk), groups.home(bob.pk)]


def test_a_silenced_author_and_a_reblog_stay_off_public_streams(alice, bob, carol):
    Follow.objects.create(account=carol, target=bob)
    Follow.objects.create(account=alice, target=bob, show_reblogs=False)
    original = services.status_create(account=alice, text="boost me", visibility="public")
    wrapper = services.status_reblog(account=bob, status_id=original.pk)
    # A follower who turned reblogs off does not get them.
    assert status_audience(wrapper.pk) == [groups.home(bob.pk), groups.home(carol.pk)]
    type(alice).objects.filter(pk=alice.pk).update(silenced_at=timezone.now())
    quiet = services.status_create(account=alice, text="quietly", visibility="public")
    assert groups.PUBLIC not in status_audience(quiet.pk)
    assert status_audience(123456789) == []


def test_a_public_tagged_status_goes_home_to_the_tags_followers(alice, bob, carol):
    from statuses.models import Hashtag, TagFollow
    from tests.factories import AccountFactory

    dave = AccountFactory(username="dave")
    Follow.objects.create(account=bob, target=alice)
    for account, name in ((bob, "cats"), (carol, "cats"), (carol, "dogs"), (dave, "birds")):
        TagFollow.objects.create(account=account,
                                 hashtag=Hashtag.objects.get_or_create(name=name)[0])
    status = services.status_create(account=alice, text="#Cats and #dogs", visibility="public")
    assert status_audience(status.pk) == [
        groups.home(alice.pk), groups.home(bob.pk), groups.PUBLIC,
        groups.hashtag("cats"), groups.hashtag("dogs"), groups.home(carol.pk)]
    # Not for an unlisted one, nor a reblog.
    quiet = services.status_create(account=alice, text="#cats", visibility="unlisted")
    assert groups.home(carol.pk) not in status_audience(quiet.pk)
    wrapper = services.status_reblog(account=dave, status_id=status.pk)
    assert groups.home(carol.pk) not in status_audience(wrapper.pk)
