"""OAuth2 glue for django-oauth-toolkit: per-app scope limits (the scopes and their hierarchy are
config/scopes.py)."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from config.scopes import expand_scopes


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
