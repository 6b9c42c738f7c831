"""The Mastodon face of statuses."""
