"""The SelfCommunity face of the community app: preferences, features, custom menus, users."""
