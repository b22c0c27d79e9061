"""Every input document read in one place: bounded reading, parse, validate, map to frozen domain values."""
