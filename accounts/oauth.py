"""OAuth2 glue for django-oauth-toolkit: Mastodon's scope hierarchy and per-app scope limits."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes


def expand_scopes(scopes: list[str] | set[str]) -> set[str]:
    """A parent scope (`read`) grants every child (`read:statuses`)."""
    granted = set(scopes)
    for name in settings.MASTODON_SCOPES:
        parent = name.split(":", 1)[0]
        if ":" in name and parent in granted and not name.startswith("admin:"):
            granted.add(name)
    return granted


def scopes_cover(granted: set[str], required: tuple[str, ...]) -> bool:
    """Doorkeeper's any-of check, with the parent covering its children."""
    for scope in required:
        if scope in granted:
            return True
        if ":" in scope and not scope.startswith("admin:") and scope.split(":", 1)[0] in granted:
            return True
    return False


class ApplicationScopes(BaseScopes):
    """An app may obtain only the scopes it registered with."""

    def get_all_scopes(self):
        return dict(settings.MASTODON_SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        if application is None:
            return list(settings.MASTODON_SCOPES)
        return sorted(expand_scopes(application.scope_list) & set(settings.MASTODON_SCOPES))

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return list(settings.OAUTH2_PROVIDER["DEFAULT_SCOPES"])


class MastodonOAuth2Validator(OAuth2Validator):
    """Mastodon clients send credentials in the body and ask for no scope at all (meaning `read`)."""

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        return ["read"]
