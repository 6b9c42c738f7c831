"""Conversations: each participant's view of the direct statuses of a thread (Mastodon's
AccountConversation)."""
