"""Mastodon's List entity (REST::ListSerializer), rendered as a plain dict: pure, no query."""

from lists.models import RepliesPolicy


def serialize_list(lst) -> dict:
    return {
        "id": str(lst.pk),
        "title": lst.title,
        "replies_policy": RepliesPolicy(lst.replies_policy).label,
        "exclusive": lst.exclusive,
    }
