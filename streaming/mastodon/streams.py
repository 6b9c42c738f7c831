"""The streams a connection may subscribe to (Mastodon's `channelNameToIds`): the groups each
listens on, the name its frames carry, and what it drops."""

from dataclasses import dataclass

from channels.db import database_sync_to_async

from config.params import parse_id
from lists.models import UserList
from streaming import groups
from streaming.mastodon.auth import Session, StreamError, check_scopes

# The event-stream paths and their streams (`channelNameFromPath`), `only_media` aside.
SSE_PATHS = {
    "/api/v1/streaming/user": "user",
    "/api/v1/streaming/user/notification": "user:notification",
    "/api/v1/streaming/public": "public",
    "/api/v1/streaming/public/local": "public:local",
    "/api/v1/streaming/public/remote": "public:remote",
    "/api/v1/streaming/hashtag": "hashtag",
    "/api/v1/streaming/hashtag/local": "hashtag:local",
    "/api/v1/streaming/direct": "direct",
    "/api/v1/streaming/list": "list",
}
_FALSE = {"0", "f", "F", "false", "FALSE", "off", "OFF"}


def truthy(value) -> bool:
    """Mastodon's `isTruthy`."""
    return bool(value) and value not in _FALSE


def name_from_path(path: str, query: dict[str, str]) -> str | None:
    name = SSE_PATHS.get(path)
    if name and name.startswith("public") and truthy(query.get("only_media")):
        name += ":media"
    return name


@dataclass(frozen=True)
class Stream:
    name: tuple  # the `stream` of its frames: ("hashtag", "Cats"), ("user",)
    groups: tuple[str, ...]
    only_media: bool = False
    # Whether its statuses are checked against blocks and mutes (every status stream is).
    statuses: bool = True

    @property
    def key(self) -> str:
        """Subscriptions are one per set of groups (Mastodon keys them by channel ids)."""
        return ";".join(self.groups) + (":media" if self.only_media else "") + "|" + self.name[0]


def resolve(session: Session, name, params: dict) -> Stream:
    """The stream `name` with `params` (`tag`, `list`) for this session, after its scopes; a
    StreamError as Mastodon words it otherwise."""
    if isinstance(name, list):  # `firstParam`
        name = name[0] if name else None
    check_scopes(session, name if isinstance(name, str) else None)
    account = session.viewer.pk
    if name == "user":
        names = [groups.home(account)]
        if session.in_scope("read", "read:notifications"):
            names.append(groups.notifications(account))
        return Stream(("user",), tuple(names))
    if name == "user:notification":
        return Stream(("user:notification",), (groups.notifications(account),), statuses=False)
    if name in ("public", "public:local", "public:media", "public:local:media"):
        # Every status here is local: the federated and local timelines are one.
        return Stream((name,), (groups.PUBLIC,), only_media=name.endswith(":media"))
    if name in ("public:remote", "public:remote:media"):
        # No remote statuses exist here: a valid subscription that never receives anything.
        return Stream((name,), (), only_media=name.endswith(":media"))
    if name == "direct":
        return Stream(("direct",), (groups.direct(account),), statuses=False)
    if name in ("hashtag", "hashtag:local"):
        tag = params.get("tag")
        if isinstance(tag, list):
            tag = tag[0] if tag else None
        if not tag:
            raise StreamError(400, "Missing tag name parameter")
        group = groups.hashtag(str(tag))
        return Stream((name, tag), (group,) if group else ())
    if name == "list":
        list_id = params.get("list")
        if isinstance(list_id, list):
            list_id = list_id[0] if list_id else None
        if not list_id:
            raise StreamError(400, "Missing list name parameter")
        # Mastodon's authorizeListAccess: the reader's own list, or 401.
        list_id = parse_id(list_id)
        if list_id is None or not UserList.objects.filter(pk=list_id, account_id=account).exists():
            raise StreamError(401, "Not authorized to stream this list")
        return Stream(("list", str(list_id)), (groups.list_group(list_id),))
    raise StreamError(400, "Unknown stream type")


async def aresolve(session: Session, name, params: dict) -> Stream:
    """`resolve` from a connection's event loop: a list stream reads its list's owner."""
    first = name[0] if isinstance(name, list) and name else name
    if first == "list":
        return await database_sync_to_async(resolve)(session, name, params)
    return resolve(session, name, params)
