"""The HTTP ingest for source systems that cannot speak Kafka, and what keeps it from being starved."""
