"""The Mastodon face of lists: /api/v1/lists, their accounts, an account's lists and the list
timeline."""
