"""Showing statuses and comments in SelfCommunity's shape: the page loader
(statuses/selectors/page.py) reads what a page needs in a fixed number of statements, then the
pure serializers render it."""

from django.utils import timezone

from statuses.selectors.comments import comment_tree
from statuses.selectors.page import status_page_load
from statuses.selfcommunity.comment_serializers import COMMENTS, nested_shown, serialize_comments
from statuses.selfcommunity.serializers import (
    SELFCOMMUNITY,
    serialize_status_of_type,
    serialize_statuses,
)


def show_statuses(statuses, viewer) -> list[dict]:
    statuses = list(statuses)
    return serialize_statuses(statuses, status_page_load(statuses, viewer=viewer,
                                                         dialect=SELFCOMMUNITY))


def show_status(status, viewer) -> dict:
    return show_statuses([status], viewer)[0]


def show_created(status, viewer) -> dict:
    """A status this request has just written, from what the write holds in memory: only a
    share needs a statement (whether its author may still see the shared status)."""
    page = status_page_load([status], viewer=viewer, dialect=SELFCOMMUNITY, written=True)
    return serialize_status_of_type(status, page, {}, timezone.now())


def show_comments(comments, viewer) -> list[dict]:
    """Comments with their latest nested comments, in a fixed number of statements."""
    comments = list(comments)
    tree = comment_tree(comments, viewer)
    page = status_page_load(comments + nested_shown(tree), viewer=viewer, dialect=COMMENTS)
    return serialize_comments(comments, tree, page)
