"""What SelfCommunity's React UI reads before it renders: the community's preferences and
features, its custom menus, and each account's notification settings."""
