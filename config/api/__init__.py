"""Plumbing shared by the two API dialects: token authentication, scopes, errors, paging."""
