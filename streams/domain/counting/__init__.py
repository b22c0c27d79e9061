"""The counting state: day buckets, rolling windows, identities counted once, summaries and snapshots as bytes."""
