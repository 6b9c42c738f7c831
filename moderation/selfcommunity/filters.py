"""The query parameters of SelfCommunity's moderation lists: the queue of flagged and moderated
contributions, a contribution's flags, and its moderation status. DRF's wording throughout
(config/api/selfcommunity_filters.py): a value outside a choice is `"x" is not a valid choice.`
(`invalid_choice`)."""

from config.api.filters import ParamsFilterSet
from config.api.selfcommunity_filters import (
    ChoiceFilter,
    IntegerChoiceFilter,
    IntegerFilter,
    PageFilterSet,
    TextFilter,
)
from moderation import selectors
from statuses.models import FlagType


def _ordering_name(value: str) -> str:
    """`order_by` names an ordering, descending with leading `-`."""
    return value.lstrip("-")


class ContributionsFilterSet(PageFilterSet):
    """GET /api/v2/moderation/contribution/: the queue, newest flag first by default."""

    contribution_type = ChoiceFilter(choices=selectors.CONTRIBUTION_TYPES)
    min_flags = IntegerFilter(min_value=0)
    contribution_id = IntegerFilter(min_value=1)
    author = TextFilter()
    flagged_by = TextFilter()
    content = TextFilter()
    moderation_status = ChoiceFilter(choices=selectors.MODERATION_STATUSES)
    order_by = ChoiceFilter(choices=selectors.ORDERINGS, default="-last_flagged_at",
                            normalize=_ordering_name)


class ContributionStatusFilterSet(ParamsFilterSet):
    """GET /api/v2/moderation/contribution/{id}/status/: which kind of contribution the id
    names."""

    contribution_type = ChoiceFilter(choices=selectors.CONTRIBUTION_TYPES, required=True)


class ContributionFlagsFilterSet(PageFilterSet):
    """GET /api/v2/moderation/contribution/{id}/flag/: the flags, of one type with
    `flag_type`."""

    contribution_type = ChoiceFilter(choices=selectors.CONTRIBUTION_TYPES, required=True)
    flag_type = IntegerChoiceFilter(choices=FlagType.values)
