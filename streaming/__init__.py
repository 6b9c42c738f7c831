"""Mastodon's streaming API on Django Channels: what the services announce on commit goes to the
channel layer's groups (publisher.py), and each connection shows its reader what that reader may
see (the `mastodon` face)."""
