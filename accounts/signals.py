"""Remember revoked access tokens (see RevokedToken)."""

from django.db.models.signals import post_delete
from oauth2_provider.models import get_access_token_model


def remember_revoked(sender, instance, **kwargs):
    from accounts.models import RevokedToken

    if instance.token_checksum:
        RevokedToken.objects.get_or_create(token_checksum=instance.token_checksum)


def connect():
    post_delete.connect(remember_revoked, sender=get_access_token_model(),
                        dispatch_uid="accounts.remember_revoked")
