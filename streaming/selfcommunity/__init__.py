"""SelfCommunity's live notification socket (`/ws/notify?subscribe-user`), the face react-core
opens, on the streaming process's engine (streaming.publisher, streaming.groups)."""
