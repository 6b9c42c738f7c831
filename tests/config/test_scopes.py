"""The scopes of config/scopes.py: the one catalogue the OAuth provider offers, the families the
views require (none naming a scope no token could hold), and the parent-covers-child rule."""

from django.conf import settings
from django.urls import URLResolver, get_resolver

from config import scopes


def _routed_views() -> dict[str, type]:
    """Every view class a URL of the project reaches, by dotted name."""
    found: dict[str, type] = {}

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
                continue
            view = getattr(pattern.callback, "cls", None) or getattr(
                pattern.callback, "view_class", None)
            if view is not None:
                found[f"{view.__module__}.{view.__qualname__}"] = view

    walk(get_resolver().url_patterns)
    return found


def _unknown(views: dict[str, type], known) -> list[str]:
    return [f"{name} {action}: {scope}"
            for name, view in sorted(views.items())
            for action, family in getattr(view, "required_scopes", {}).items()
            for scope in family if scope not in known]


def test_every_view_requires_only_scopes_the_provider_knows():
    views = _routed_views()
    with_scopes = [name for name, view in views.items() if getattr(view, "required_scopes", None)]
    # Both dialects' statuses, the accounts, media, categories and moderation faces.
    assert {"statuses.mastodon.views.StatusViewSet", "statuses.selfcommunity.views.StatusViewSet",
            "statuses.selfcommunity.comments.CommentViewSet",
            "accounts.mastodon.views.AccountViewSet", "media.mastodon.views.MediaViewSet",
            "moderation.selfcommunity.views.ModerationViewSet"} <= set(with_scopes)
    assert _unknown(views, settings.OAUTH2_PROVIDER["SCOPES"]) == []


def test_a_view_naming_an_unknown_scope_is_reported():
    class Planted:
        required_scopes = {"flags": ("read", "read:reports", "read:statuses")}

    assert _unknown({"planted.Planted": Planted}, settings.OAUTH2_PROVIDER["SCOPES"]) == [
        "planted.Planted flags: read:reports"]


def test_every_family_names_known_scopes():
    families = {name: value for name, value in vars(scopes).items()
                if name.isupper() and isinstance(value, tuple)}
    assert {"READ_STATUSES", "WRITE_STATUSES", "VOTE", "FOLLOW_WRITE_MUTES"} <= set(families)
    assert {name: [s for s in family if s not in scopes.MASTODON_SCOPES]
            for name, family in families.items()} == dict.fromkeys(families, [])


def test_the_provider_offers_the_declared_catalogue():
    assert settings.MASTODON_SCOPES is scopes.MASTODON_SCOPES
    assert settings.OAUTH2_PROVIDER["SCOPES"] is scopes.MASTODON_SCOPES
    assert scopes.MASTODON_SCOPES["read:statuses"] == "read statuses"
    assert scopes.MASTODON_SCOPES["write:media"] == "write media"
    assert scopes.MASTODON_SCOPES["admin:read"] == "read all data on the server"
    assert len(scopes.MASTODON_SCOPES) == 7 + 11 + 13


def test_a_parent_covers_its_children_but_no_admin_scope():
    assert scopes.scopes_cover({"read"}, scopes.READ_FAVOURITES)
    assert scopes.scopes_cover({"read:statuses"}, scopes.READ_STATUSES)
    assert not scopes.scopes_cover({"read:accounts"}, scopes.READ_STATUSES)
    assert not scopes.scopes_cover({"write"}, scopes.READ_STATUSES)
    assert scopes.scopes_cover({"follow"}, scopes.FOLLOW_WRITE_MUTES)
    assert not scopes.scopes_cover({"read", "write"}, ("admin:read",))
    expanded = scopes.expand_scopes(["read"])
    assert "read:statuses" in expanded and "read:bookmarks" in expanded
    assert "admin:read" not in expanded and "write:statuses" not in expanded
