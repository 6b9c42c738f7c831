"""Project configuration and the plumbing shared by both API dialects."""
