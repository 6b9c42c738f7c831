"""The SelfCommunity face of statuses (its own issue)."""
