"""SelfCommunity Comment and CommentSummary (spec 2.8) rendered as plain dicts, and the comment
bodies parsed with DRF's field messages."""

from rest_framework import serializers

from accounts.selfcommunity.serializers import iso, serialize_user
from categories.selfcommunity.serializers import serialize_reaction
from statuses.selfcommunity.serializers import TEXT_MAX_LENGTH
from statuses.status_page import ContributionDetails, Dialect, StatusPage

# What a Comment shows of a page: SelfCommunity's details, no cached rendering.
COMMENTS = Dialect(key=None, details=True)


def _summary(comment, details: ContributionDetails, tree, users: dict) -> dict:
    author = users.get(comment.account_id)
    if author is None:
        author = users[comment.account_id] = serialize_user(comment.account)
    voted = details.voted.get(comment.pk)
    root = comment.thread_root_id or comment.pk
    # Under the key of the contribution's type, as SelfCommunity's comment: `post`,
    # `discussion` or `status`.
    kind = tree.status_types.get(root, "status")
    return {
        "id": comment.pk,
        "type": "comment",
        kind: {"id": root, "slug": tree.status_slugs.get(root, "")},
        "author": author,
        "added_at": iso(comment.created_at),
        "last_edited_at": iso(comment.edited_at),
        "html": comment.sc_html,
        "summary": comment.summary,
        "deleted": comment.deleted_at is not None,
        "collapsed": comment.collapsed,
        "parent": tree.parent.get(comment.pk),
        "in_reply_to": tree.in_reply_to.get(comment.pk),
        "comment_count": tree.comment_count.get(comment.pk, 0),
        "vote_count": comment.likes_count,
        "reactions_count": [{"reaction": serialize_reaction(reaction), "count": count}
                            for reaction, count in details.reactions.get(comment.pk, ())],
        "voted": comment.pk in details.voted,
        "reaction": serialize_reaction(voted) if voted is not None else None,
        "flag_count": comment.flags_count,
    }


def nested_shown(tree) -> list:
    """The latest nested comments the tree shows under its comments (their page is loaded with
    the comments')."""
    return [c for shown in tree.latest.values() for c in shown]


def serialize_comments(comments, tree, page: StatusPage) -> list[dict]:
    """Comments with their latest nested comments, from their tree
    (statuses.selectors.comments.comment_tree) and the page of both."""
    details = page.details
    users: dict = {}
    rendered = []
    for comment in comments:
        data = _summary(comment, details, tree, users)
        data["latest_comments"] = [_summary(c, details, tree, users)
                                   for c in tree.latest.get(comment.pk, ())]
        rendered.append(data)
    return rendered


class _OptionalId(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
                         default=None, **kwargs)


class CommentCreateSerializer(serializers.Serializer):
    """POST /api/v2/comment/: the contribution commented (exactly one of `status`, `post`,
    `discussion`), `text` (HTML), `parent`, `in_reply_to`."""

    status = _OptionalId()
    post = _OptionalId()
    discussion = _OptionalId()
    text = serializers.CharField(trim_whitespace=False, max_length=TEXT_MAX_LENGTH)
    parent = _OptionalId()
    in_reply_to = _OptionalId()

    def validate(self, attrs):
        given = [k for k in CONTRIBUTION_KEYS if attrs.get(k) is not None]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"status": ["Give exactly one of status, post and discussion."]})
        attrs["kind"] = given[0]
        return attrs


# The keys naming the contribution a comment is under, one per contribution type.
CONTRIBUTION_KEYS = ("status", "post", "discussion")


class CommentUpdateSerializer(serializers.Serializer):
    """PUT /api/v2/comment/{id}/: `text`."""

    text = serializers.CharField(trim_whitespace=False, max_length=TEXT_MAX_LENGTH)
