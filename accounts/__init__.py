"""Accounts: the user model, relationships that decide visibility, and OAuth applications."""
