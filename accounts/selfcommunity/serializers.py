"""SelfCommunity User (spec 2.5), rendered as a plain dict."""

from django.utils import timezone

from config import instance

DEFAULT_AVATAR = "/avatars/original/missing.png"


def iso(value) -> str | None:
    """DRF's datetime rendering: the server's time zone, ISO 8601, "Z" for UTC."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def serialize_user(account) -> dict:
    deleted = not account.is_active or account.suspended_at is not None
    return {
        "id": account.pk,
        "username": account.username,
        "real_name": "" if deleted else account.display_name,
        "avatar": instance.absolute(account.avatar.url if account.avatar and not deleted
                                    else DEFAULT_AVATAR),
        "ext_id": account.ext_id,
        "followings_counter": account.following_count,
        "followers_counter": account.followers_count,
        # Columns of the account row (statuses/services/authored.py keeps them): no query.
        "posts_counter": account.posts_count,
        "discussions_counter": account.discussions_count,
        "statuses_counter": account.statuses_count,
        "polls_counter": account.polls_count,
        "categories_counter": 0,
        "connection_status": None,
        "date_joined": iso(account.date_joined),
        "bio": "" if deleted else account.note,
        "location": account.location,
        "location_lat_lng": None,
        "position_lat_lng": None,
        "date_of_birth": account.date_of_birth.isoformat() if account.date_of_birth else None,
        "description": account.description,
        "gender": account.gender or "Unspecified",
        "website": account.website,
        "cover": instance.absolute(account.header.url) if account.header and not deleted
        else None,
        # A user's tags address statuses to them; they are not published here.
        "tags": [],
        "reputation": account.reputation,
        "community_badge": False,
        "reg_approved": True,
        "deleted": deleted,
        "company_name": None,
        "company_role": None,
    }
