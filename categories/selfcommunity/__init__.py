"""The SelfCommunity face of categories, tags and reactions."""
