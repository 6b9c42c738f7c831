"""OAuth2 glue for django-oauth-toolkit: per-app scope limits (the scopes and their hierarchy are
config/scopes.py) and PKCE as Mastodon accepts it."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauthlib.oauth2 import Server
from oauthlib.oauth2.rfc6749 import errors

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


class InvalidCodeChallengeMethodError(errors.OAuth2Error):
    """Doorkeeper's answer to a PKCE method Mastodon does not accept (its
    `pkce_code_challenge_methods` is S256 alone): sent back to the client's redirect URI."""

    error = "invalid_code_challenge_method"
    description = "The code_challenge_method must be S256."


# The PKCE methods accepted, advertised by /.well-known/oauth-authorization-server.
CODE_CHALLENGE_METHODS = ("S256",)


def _s256_only(request) -> dict:
    """A code_challenge must say S256: oauthlib would take a missing method as `plain`, and
    Doorkeeper refuses both."""
    if request.code_challenge is not None and (
        request.code_challenge_method not in CODE_CHALLENGE_METHODS
    ):
        raise InvalidCodeChallengeMethodError(request=request)
    return {}


class MastodonOAuthServer(Server):
    """oauthlib's all-grants server whose authorization-code grant accepts PKCE as Mastodon
    does (S256 only). The check runs after the client and its redirect URI are validated, so
    the refusal goes back to the client like every other authorization error."""

    def __init__(self, request_validator, *args, **kwargs):
        super().__init__(request_validator, *args, **kwargs)
        self.auth_grant.custom_validators.pre_auth.append(_s256_only)
