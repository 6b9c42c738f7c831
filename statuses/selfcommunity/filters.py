"""The query parameters of the SelfCommunity status lists, one FilterSet a list: the status list,
search, uncommented, following, suspended, contributors, shares, shares_users, related, the
feeds, comments, votes and flags. DRF's wording throughout (config/api/selfcommunity_filters.py).
"""

from config.api.filters import ParamFilter
from config.api.selfcommunity_filters import (
    DRFField,
    IdFilter,
    MappedChoiceFilter,
    PageFilterSet,
    RefusedFilter,
    TextFilter,
)
from statuses.selectors import comments as comment_selectors

# `ordering` of the status list -> the selector's ordering.
ORDERINGS = {
    "added_at": ("created_at", "id"),
    "-added_at": ("-created_at", "-id"),
    "last_activity_at": ("last_activity_at", "id"),
    "-last_activity_at": ("-last_activity_at", "-id"),
}
OTHER_OBJECTS = "Only comments of statuses, posts and discussions are served here."


class StatusListFilterSet(PageFilterSet):
    """GET /api/v2/status/: an `ordering` it does not know is the default, as DRF's
    OrderingFilter ignores one."""

    ordering = MappedChoiceFilter(choices=ORDERINGS, default="-added_at")


class SearchFilterSet(PageFilterSet):
    """GET /api/v2/status/search/"""

    search = TextFilter()


class UncommentedFilterSet(PageFilterSet):
    """GET /api/v2/status/uncommented/"""


class FollowingFilterSet(PageFilterSet):
    """GET /api/v2/status/following/"""


class SuspendedFilterSet(PageFilterSet):
    """GET /api/v2/status/suspended/"""


class ContributorsFilterSet(PageFilterSet):
    """GET /api/v2/status/{id}/contributors/"""


class SharesFilterSet(PageFilterSet):
    """GET /api/v2/status/{id}/shares/"""


class SharesUsersFilterSet(PageFilterSet):
    """GET /api/v2/status/{id}/shares_users/"""


class RelatedFilterSet(PageFilterSet):
    """GET /api/v2/status/{id}/related/"""


class FeedFilterSet(PageFilterSet):
    """GET /api/v2/feed/ and /api/v2/feed/explore/"""


class CommentOrderingField(DRFField):
    """Comments' `ordering`: `added_at` (the default) or `connection`, `-` for descending,
    comma-combined; parts it does not know are ignored, as DRF's OrderingFilter ignores them."""

    def to_python(self, value):
        return comment_selectors.parse_ordering(value)


class CommentOrderingFilter(ParamFilter):
    field_class = CommentOrderingField


class CommentsFilterSet(PageFilterSet):
    """GET /api/v2/comment/?status= (or ?post=, ?discussion=): the comments of a contribution
    of that type (of a top-level comment's branch with `parent`). SelfCommunity also lists a
    user's comments, which this server does not: that parameter is refused, naming it."""

    user = RefusedFilter(message=OTHER_OBJECTS)
    status = IdFilter()
    post = IdFilter()
    discussion = IdFilter()
    parent = IdFilter()
    ordering = CommentOrderingFilter()


class VotesFilterSet(PageFilterSet):
    """GET /api/v2/status/{id}/vote/ and /api/v2/comment/{id}/vote/: `reaction` keeps the votes
    with that reaction."""

    reaction = IdFilter()


class PollVotesFilterSet(PageFilterSet):
    """GET /api/v2/{post,discussion}/{id}/poll/vote/: `choice` keeps the votes of that choice."""

    choice = IdFilter()


class FlagsFilterSet(PageFilterSet):
    """GET /api/v2/status/{id}/flag/ and /api/v2/comment/{id}/flag/ (moderators)."""
