"""KOMHEN counting-week export files: read as events, or counted straight into day buckets."""
