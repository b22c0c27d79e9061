"""Inquiry events, service events and the Kafka messages that carry them; the KOMHEN code table; personal data."""
