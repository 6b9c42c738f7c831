"""The Mastodon face of the streams: the WebSocket at /api/v1/streaming, the server-sent events
under it, and each event rendered for its reader as the REST API renders it."""
