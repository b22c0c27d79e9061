"""The 98 municipalities and their departments."""
