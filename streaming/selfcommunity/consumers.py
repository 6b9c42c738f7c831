"""The WebSocket react-core opens at `wss://<portal host>/ws/notify?subscribe-user`.

react-core (0.7.0-alpha.23, `useSCWebSocket`) sends the access token as the only subprotocol,
prefixed `__` (`WS_SUB_PROTOCOL_PREFIX`); a browser drops a connection whose handshake does not
echo a subprotocol it offered, so the accepted one is echoed. An `Authorization: Bearer` header
is read too (for clients other than browsers). No token, or one that is not a live user token
with `read` (or `read:notifications`), is refused at the handshake (401, as the Mastodon
socket). The socket hears the reader's notification group and ends when the token is revoked.

react-core's WSClient sends a heartbeat text every 5 s and closes the socket for good after
three that were not echoed, so each is echoed; anything else a client sends is ignored."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from config.api.streams import MISSING_SCOPES, StreamError, session_for
from streaming import groups
from streaming.selfcommunity import messages
from streaming.sockets import query_of, refuse

SUBPROTOCOL_PREFIX = "__"
HEARTBEAT = "--1a61c1de89b75ddfbb684b8d224ee3ae--"
FACILITY = "subscribe-user"
UNKNOWN_FACILITY = "Unknown subscription: ask for subscribe-user"


def offered_token(headers: dict[bytes, bytes], subprotocols: list[str]) -> tuple[str | None,
                                                                               str | None]:
    """(the raw token, the subprotocol that carried it, to echo) of a handshake."""
    for protocol in subprotocols:
        if protocol.startswith(SUBPROTOCOL_PREFIX) and len(protocol) > len(SUBPROTOCOL_PREFIX):
            return protocol[len(SUBPROTOCOL_PREFIX):], protocol
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    if authorization.startswith("Bearer "):
        return authorization[7:].strip() or None, None
    return None, None


def _session(raw: str | None):
    session = session_for(raw)
    if not session.in_scope("read", "read:notifications"):
        raise StreamError(401, MISSING_SCOPES)
    return session


class NotifyConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.joined: list[str] = []
        if FACILITY not in query_of(self.scope):
            await refuse(self, 400, UNKNOWN_FACILITY)
            return
        raw, protocol = offered_token(dict(self.scope.get("headers", [])),
                                      self.scope.get("subprotocols") or [])
        try:
            self.session = await database_sync_to_async(_session)(raw)
        except StreamError as exc:
            await refuse(self, exc.status, exc.message)
            return
        await self.accept(subprotocol=protocol)
        for group in (groups.notifications(self.session.viewer.pk),
                      groups.token(self.session.token_id)):
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.append(group)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data == HEARTBEAT:
            await self.send(text_data=HEARTBEAT)

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def stream_event(self, message):
        """An event of the reader's groups: `kill` (the token was revoked) ends the socket; a
        notification is rendered for the reader, or not sent."""
        if message.get("event") == "kill":
            await self.close()
            return
        frame = await database_sync_to_async(messages.render)(self.session.viewer, message)
        if frame is not None:
            await self.send(text_data=frame)
