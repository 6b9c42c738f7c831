"""The SelfCommunity face of notifications."""
