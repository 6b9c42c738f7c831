"""SelfCommunity's Preference, Feature, CustomMenu, user settings and the signed-in User
(SCUserType with `role` and `permission`), rendered as plain dicts."""

from accounts.selfcommunity.serializers import iso, serialize_user
from community.models import SETTING_FIELDS, PreferenceType
from config import instance

ADMIN_ROLE, MODERATOR_ROLE = "admin", "moderator"


def preference_value(preference):
    """The typed value (JSON booleans and numbers, as react-core tests them); a picture or link
    stored as a path on this server is made absolute, since the UI runs elsewhere."""
    try:
        value = preference.typed_value()
    except ValueError:
        # Only a row written around the admin's check can hold such text: the UI gets nothing
        # rather than a string it would read as true.
        return None
    if preference.type == PreferenceType.URL and value.startswith("/"):
        return instance.absolute(value)
    return value


def serialize_preference(preference) -> dict:
    return {"id": preference.pk, "section": preference.section, "name": preference.name,
            "value": preference_value(preference), "type": preference.type,
            "help": preference.help}


def serialize_feature(feature) -> dict:
    return {"id": feature.pk, "name": feature.name, "enabled": feature.enabled}


def serialize_menu_item(item) -> dict:
    return {"id": item.pk, "custom_menu": item.menu_id, "label": item.label, "url": item.url,
            "attrs": item.attrs, "order": item.order}


def serialize_menu(menu) -> dict:
    """`items` from `item_list` (community.selectors.attach_menu_items)."""
    return {"id": menu.pk, "name": menu.name,
            "items": [serialize_menu_item(item) for item in menu.item_list],
            "created_at": iso(menu.created_at), "updated_at": iso(menu.updated_at)}


def serialize_settings(settings) -> dict:
    return {name: getattr(settings, name) for name in SETTING_FIELDS}


def role_of(account) -> str | None:
    """SelfCommunity's role: superusers administer; staff and the Moderators group moderate
    (Account.is_moderator, moderation/roles.py)."""
    if account.is_superuser:
        return ADMIN_ROLE
    if account.is_moderator:
        return MODERATOR_ROLE
    return None


def permissions_of(account) -> dict:
    """What the UI may offer the account. Contributions and polls are open to everyone;
    moderation to moderators; groups, events, courses, live streams and videos have no
    endpoint on this server, so nobody may create them."""
    moderator = account.is_moderator
    return {
        "create_contribute": True,
        "create_poll": True,
        "upload_video": False,
        "create_group": False,
        "create_event": False,
        "create_course": False,
        "create_live_stream": False,
        "locality_filter": False,
        "moderate_contributions": moderator,
        "moderate_users": moderator,
        "manage_categories": moderator,
        "admin": account.is_superuser,
    }


def serialize_me(account, *, unseen_interactions: int) -> dict:
    """The signed-in user: the User every list shows, and what only its owner reads."""
    return {
        **serialize_user(account),
        "email": account.email,
        "email_isvalid": bool(account.email),
        "language": account.default_language or "en",
        "status": "a",
        "role": role_of(account),
        "permission": permissions_of(account),
        "unseen_interactions_counter": unseen_interactions,
        "unseen_notification_banners_counter": 0,
        "can_send_pm_to": False,
    }


def serialize_autocomplete(account) -> dict:
    """SCUserAutocompleteType: the few fields a mention list shows."""
    user = serialize_user(account)
    return {key: user[key] for key in ("id", "username", "real_name", "avatar", "ext_id")}
