"""Media: filled in by its own issue; present so the layout of DESIGN.md holds from the start."""
