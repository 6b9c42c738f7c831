"""What a Mastodon client reads about the instance beyond statuses: per-account preferences,
custom emojis, announcements and nodeinfo."""
