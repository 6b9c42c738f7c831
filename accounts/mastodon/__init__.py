"""The Mastodon face of accounts: apps, instance, accounts endpoints."""
