"""GET /api/v1/statuses/:id reads the token and the status in one statement
(config/api/token_status.py): it must answer every kind of token exactly as the two-step
path does, and judge visibility for the token's own user."""

from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import AccessToken

from moderation import services as moderation
from statuses import services
from tests.factories import AccountFactory, FollowFactory


def tokens(make_token, alice, moderator):
    """Every kind of bearer string a caller can send."""
    revoked = make_token(alice)
    AccessToken.objects.filter(token=revoked).delete()  # deleting records it as revoked
    suspended = AccountFactory(username="gone")
    suspended_token = make_token(suspended)
    moderation.account_suspend(moderator=moderator, account=suspended)
    return {
        "user": make_token(alice),
        "expired": make_token(alice, expires_in=-10),
        "unknown": "no-such-token",
        "revoked": revoked,
        "app only": make_token(None),
        "wrong scope": make_token(alice, scopes="write"),
        "suspended user": suspended_token,
    }


def test_every_kind_of_token_gets_the_two_step_answer(mastodon, make_token, alice, moderator,
                                                      django_assert_max_num_queries):
    status = services.status_create(account=alice, text="public words")
    for name, raw in tokens(make_token, alice, moderator).items():
        client = mastodon.as_token(raw)
        combined = client.get(f"/api/v1/statuses/{status.pk}")
        # /context has the same scopes and the same optional token, through the plain
        # authentication: the reference for codes and error bodies.
        reference = client.get(f"/api/v1/statuses/{status.pk}/context")
        assert combined.status_code == reference.status_code, name
        if reference.status_code != 200:
            assert combined.json() == reference.json(), name
        else:
            assert combined.json()["id"] == str(status.pk)
            assert ("favourited" in combined.json()) is (name == "user"), name


def test_visibility_is_judged_for_the_tokens_own_user(mastodon, make_token, alice, bob, carol,
                                                      django_assert_num_queries, token_trip):
    private = services.status_create(account=carol, text="followers only", visibility="private")
    FollowFactory(account=alice, target=carol)
    follower = mastodon.as_token(make_token(alice))
    with django_assert_num_queries(1 + token_trip):
        response = follower.get(f"/api/v1/statuses/{private.pk}")
    assert response.status_code == 200 and response.json()["visibility"] == "private"
    stranger = mastodon.as_token(make_token(bob))
    with django_assert_num_queries(1 + token_trip):
        response = stranger.get(f"/api/v1/statuses/{private.pk}")
    assert response.status_code == 404 and response.json() == {"error": "Not Found"}
    mastodon.credentials()
    assert mastodon.get(f"/api/v1/statuses/{private.pk}").status_code == 404


def test_a_token_for_a_missing_status_is_404_in_one_query(mastodon, make_token, alice,
                                                           django_assert_num_queries, token_trip):
    client = mastodon.as_token(make_token(alice))
    with django_assert_num_queries(1 + token_trip):
        response = client.get("/api/v1/statuses/987654321")
    assert response.status_code == 404 and response.json() == {"error": "Not Found"}


def test_an_expired_token_never_sees_what_its_user_could(mastodon, make_token, alice, carol):
    private = services.status_create(account=carol, text="followers only", visibility="private")
    FollowFactory(account=alice, target=carol)
    raw = make_token(alice)
    AccessToken.objects.filter(token=raw).update(expires=timezone.now() - timedelta(seconds=1))
    response = mastodon.as_token(raw).get(f"/api/v1/statuses/{private.pk}")
    assert response.status_code in (401, 404)
    assert "followers only" not in response.content.decode()
