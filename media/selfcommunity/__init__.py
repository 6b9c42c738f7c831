"""The SelfCommunity face of media."""
