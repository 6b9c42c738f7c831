"""Mastodon's Tag (with `history`) and Trends::Link (a PreviewCard with `history`) entities of
the trends lists."""

from config.instance import tags_base_url
from statuses.mastodon.serializers import serialize_card


def serialize_trending_tag(hashtag, history: list) -> dict:
    """Mastodon's Tag: `id`, `name`, `url`, `history` (`following` and `featuring`, which
    Mastodon adds for a signed-in reader, are left out until followed tags exist here)."""
    return {"id": str(hashtag.pk), "name": hashtag.name, "url": tags_base_url() + hashtag.name,
            "history": history}


def serialize_trending_link(card, history: list) -> dict:
    return {**serialize_card(card), "history": history}


def serialize_suggestion(account_json: dict, friends_of_friends: bool) -> dict:
    """Mastodon 4.3+'s Suggestion: the deprecated `source` and the `sources` it maps from."""
    if friends_of_friends:
        return {"source": "past_interactions", "sources": ["friends_of_friends"],
                "account": account_json}
    return {"source": "global", "sources": ["most_followed"], "account": account_json}
