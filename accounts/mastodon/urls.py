"""Routes of the Mastodon accounts face. Instance answers with and without a trailing slash
because Mastodon.py asks for `/api/v1/instance/`. Fixed paths under /api/v1/accounts/ come before
the `accounts/:id` pattern, which would otherwise swallow them."""

from django.urls import path, re_path

from accounts.mastodon.views import (
    AccountViewSet,
    AppViewSet,
    BlockMuteListViewSet,
    EndorsementViewSet,
    FollowRequestViewSet,
    InstanceViewSet,
    ProfileImageViewSet,
    RegistrationViewSet,
)

urlpatterns = [
    path("api/v1/apps", AppViewSet.as_view({"post": "create"}), name="mastodon-apps"),
    path(
        "api/v1/apps/verify_credentials",
        AppViewSet.as_view({"get": "verify_credentials"}),
        name="mastodon-apps-verify",
    ),
    re_path(r"^api/v1/instance/?$", InstanceViewSet.as_view({"get": "v1"}), name="instance-v1"),
    re_path(r"^api/v2/instance/?$", InstanceViewSet.as_view({"get": "v2"}), name="instance-v2"),
    path(
        "api/v1/accounts/verify_credentials",
        AccountViewSet.as_view({"get": "verify_credentials"}),
        name="mastodon-verify-credentials",
    ),
    path(
        "api/v1/accounts/update_credentials",
        AccountViewSet.as_view({"patch": "update_credentials"}),
        name="mastodon-update-credentials",
    ),
    path(
        "api/v1/accounts/relationships",
        AccountViewSet.as_view({"get": "relationships"}),
        name="mastodon-relationships",
    ),
    *[
        re_path(
            rf"^api/v1/accounts/(?P<pk>[^/.]+)/{action}$",
            AccountViewSet.as_view({"post": action}),
            name=f"mastodon-account-{action}",
        )
        for action in ("follow", "unfollow", "block", "unblock", "mute", "unmute", "note",
                       "pin", "unpin", "remove_from_followers")
    ],
    # Mastodon 4.4 renamed pin/unpin to endorse/unendorse and kept both.
    *[
        re_path(
            rf"^api/v1/accounts/(?P<pk>[^/.]+)/{alias}$",
            AccountViewSet.as_view({"post": action}),
            name=f"mastodon-account-{alias}",
        )
        for alias, action in (("endorse", "pin"), ("unendorse", "unpin"))
    ],
    *[
        re_path(
            rf"^api/v1/accounts/(?P<pk>[^/.]+)/{action}$",
            AccountViewSet.as_view({"get": action}),
            name=f"mastodon-account-{action}",
        )
        for action in ("followers", "following", "identity_proofs", "endorsements")
    ],
    path(
        "api/v1/accounts/familiar_followers",
        AccountViewSet.as_view({"get": "familiar_followers"}),
        name="mastodon-familiar-followers",
    ),
    path("api/v1/accounts", RegistrationViewSet.as_view({"post": "create"}),
         name="mastodon-register"),
    *[
        path(f"api/v1/profile/{kind}", ProfileImageViewSet.as_view({"delete": kind}),
             name=f"mastodon-profile-{kind}")
        for kind in ("avatar", "header")
    ],
    path("api/v1/endorsements", EndorsementViewSet.as_view({"get": "list"}),
         name="mastodon-endorsements"),
    path("api/v1/blocks", BlockMuteListViewSet.as_view({"get": "blocks"}), name="mastodon-blocks"),
    path("api/v1/mutes", BlockMuteListViewSet.as_view({"get": "mutes"}), name="mastodon-mutes"),
    path(
        "api/v1/follow_requests",
        FollowRequestViewSet.as_view({"get": "list"}),
        name="mastodon-follow-requests",
    ),
    *[
        re_path(
            rf"^api/v1/follow_requests/(?P<account_id>[^/.]+)/{action}$",
            FollowRequestViewSet.as_view({"post": action}),
            name=f"mastodon-follow-request-{action}",
        )
        for action in ("authorize", "reject")
    ],
    re_path(
        r"^api/v1/accounts/(?P<pk>[^/.]+)$",
        AccountViewSet.as_view({"get": "retrieve"}),
        name="mastodon-account",
    ),
]
