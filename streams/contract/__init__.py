"""What every layer may read: metric and label names, identifiers, the errors a person can fix, Danish numbers."""
