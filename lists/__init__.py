"""Lists (Mastodon's List and ListAccount): an account's named sets of the accounts it follows,
each read as a timeline of its own, and, when exclusive, kept out of its owner's home."""
