"""What a source system's records mean, as values: the municipality's units and declarative definitions."""
