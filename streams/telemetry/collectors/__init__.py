"""Collectors that turn state into Prometheus families at scrape time."""
