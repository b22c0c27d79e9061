"""The ingest endpoint's own counters, on a registry of their own; labels carry no event content.

A module of its own so that what the endpoint tells operators is read in one place, apart from
how it answers requests.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge

from streams.contract.names import (
    INGEST_ACCEPTED,
    INGEST_CONNECTIONS_CLOSED,
    INGEST_CONNECTIONS_OPEN,
    INGEST_REJECTED,
    INGEST_REQUESTS,
    INGEST_UNCONFIRMED,
)


class IngestMetrics:
    """Counters of the ingest endpoint on their own registry; labels carry no event content."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.requests = Counter(INGEST_REQUESTS, "POST /v1/events requests by HTTP status", ["code"], registry=registry)
        self.accepted = Counter(
            INGEST_ACCEPTED, "events Kafka acknowledged, by the token's source", ["source"], registry=registry
        )
        self.rejected = Counter(
            INGEST_REJECTED,
            "invalid events, by the token's source and reason",
            ["source", "reason"],
            registry=registry,
        )
        self.unconfirmed = Counter(
            INGEST_UNCONFIRMED,
            "valid events answered with 503 (delivery not confirmed)",
            ["source"],
            registry=registry,
        )
        self.connections = Counter(
            INGEST_CONNECTIONS_CLOSED,
            "connections refused at the connection limit, or closed without complete request headers in time",
            ["why"],
            registry=registry,
        )
        self.open = Gauge(INGEST_CONNECTIONS_OPEN, "connections open now", registry=registry)
