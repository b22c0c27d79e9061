"""Every input document read in one place: bounded reading, parse, validate against its schema, map to frozen values."""
