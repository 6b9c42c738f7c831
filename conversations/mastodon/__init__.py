"""The Mastodon face of conversations: /api/v1/conversations."""
