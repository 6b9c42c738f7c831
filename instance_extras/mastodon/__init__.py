"""The Mastodon face of instance_extras: preferences, custom emojis, announcements, nodeinfo."""
