"""The Mastodon face of media."""
