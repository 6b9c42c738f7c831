"""The one notification store both dialects read: written by the services in the act's transaction."""
