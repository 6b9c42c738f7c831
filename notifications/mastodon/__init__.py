"""The Mastodon face of notifications and markers."""
