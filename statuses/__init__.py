"""Statuses: the shared Status model and everything hanging off it."""
