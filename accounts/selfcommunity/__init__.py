"""The SelfCommunity face of accounts."""
