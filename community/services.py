"""Writes of the community app: an account's SelfCommunity notification settings."""

import re

from django.db import transaction

from accounts.models import Account
from community.models import SETTING_FIELDS, UserSettings
from config import errors


def user_settings_update(*, account: Account, changes: dict) -> UserSettings:
    """Apply `changes` (setting name -> value) to the account's settings, all or none: a
    value that is not one of its setting's choices is refused (naming it) before anything is
    written. Other keys are ignored, as a DRF serializer ignores fields it does not have."""
    cleaned = {}
    for name in SETTING_FIELDS:
        if name not in changes:
            continue
        value = changes[name]
        field = UserSettings._meta.get_field(name)
        number = _integer(value)
        allowed = [choice for choice, _ in field.choices]
        if number is None or number not in allowed:
            raise errors.Invalid(f'"{value}" is not a valid choice.', code="invalid_choice",
                                 field=name)
        cleaned[name] = number
    with transaction.atomic():
        settings, _ = UserSettings.objects.select_for_update().get_or_create(
            account_id=account.pk)
        if cleaned:
            for name, number in cleaned.items():
                setattr(settings, name, number)
            settings.save(update_fields=list(cleaned))
    return settings


INTEGER_TEXT = re.compile(r"-?[0-9]{1,6}", re.ASCII)


def _integer(value) -> int | None:
    """An integer, or the text of one (a form body); None for anything else (booleans too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and INTEGER_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    return None
