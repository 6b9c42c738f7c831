"""Mastodon's Preferences, CustomEmoji, Announcement and Reaction entities as plain dicts, from
what the selectors read (no query here)."""

from urllib.parse import quote

from accounts.mastodon.serializers import datetime_ms
from config import instance


def serialize_preferences(preferences) -> dict:
    """REST::PreferencesSerializer (4.5: with `posting:default:quote_policy`)."""
    return {
        "posting:default:visibility": preferences.visibility,
        "posting:default:sensitive": preferences.sensitive,
        "posting:default:language": preferences.language,
        "posting:default:quote_policy": preferences.quote_policy,
        "reading:expand:media": preferences.expand_media,
        "reading:expand:spoilers": preferences.expand_spoilers,
        "reading:autoplay:gifs": preferences.autoplay_gifs,
    }


def emoji_urls(emoji) -> tuple[str, str]:
    return instance.absolute(emoji.image.url), instance.absolute(emoji.static_image.url)


def serialize_custom_emoji(emoji, *, with_category: bool = False) -> dict:
    """REST::CustomEmojiSerializer. `category` appears only where Mastodon loads it (the
    custom_emojis list) and only when the emoji has one."""
    url, static_url = emoji_urls(emoji)
    data = {"shortcode": emoji.shortcode, "url": url, "static_url": static_url,
            "visible_in_picker": emoji.visible_in_picker}
    if with_category and emoji.category is not None:
        data["category"] = emoji.category.name
    return data


def serialize_reaction(reaction, *, with_me: bool) -> dict:
    """REST::ReactionSerializer: `me` only for a user, `url`/`static_url` only for a custom
    emoji."""
    data = {"name": reaction.name, "count": reaction.count}
    if with_me:
        data["me"] = reaction.me
    if reaction.emoji is not None:
        data["url"], data["static_url"] = emoji_urls(reaction.emoji)
    return data


def serialize_announcement(announcement, page) -> dict:
    """REST::AnnouncementSerializer; `read` only for a user."""
    with_user = page.viewer_id is not None
    data = {
        "id": str(announcement.pk),
        "content": announcement.html,
        "starts_at": datetime_ms(announcement.starts_at),
        "ends_at": datetime_ms(announcement.ends_at),
        "all_day": announcement.all_day,
        "published_at": datetime_ms(announcement.published_at or announcement.created_at),
        "updated_at": datetime_ms(announcement.updated_at),
    }
    if with_user:
        data["read"] = announcement.pk in page.read
    data["mentions"] = [
        {"id": str(account.pk), "username": account.username,
         "url": instance.account_url(account.username), "acct": account.acct}
        for account in (page.mentions.get(pk) for pk in announcement.mention_ids)
        if account is not None]
    data["statuses"] = [
        {"id": str(pk), "url": instance.status_url(page.statuses[pk], pk)}
        for pk in announcement.status_ids if pk in page.statuses]
    data["tags"] = [{"name": name, "url": instance.tags_base_url() + quote(name, safe="")}
                    for name in announcement.tag_names]
    data["emojis"] = [serialize_custom_emoji(emoji)
                      for emoji in page.emojis.get(announcement.pk, ())]
    data["reactions"] = [serialize_reaction(r, with_me=with_user)
                         for r in page.reactions.get(announcement.pk, ())]
    return data



def serialize_rules(rules) -> list[dict]:
    """Mastodon's Rule: id, text and hint, in the server's order."""
    return [{"id": str(rule.pk), "text": rule.text, "hint": rule.hint} for rule in rules]
