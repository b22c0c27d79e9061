"""Create the topics the pipeline needs, explicitly, with the configured partitions.

Brokers that auto-create topics choose their own partition count, and a worker whose
topic layout differs from what it expects would place departments wrongly; so topics
are created up front and an existing topic with another partition count is an error.
The input topic keeps its records for the counting retention: the worker rebuilds its
state from it after a restart or a rebalance.
"""

from __future__ import annotations

import logging

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from streams.broker.clients import BrokerUnavailable, client_options
from streams.config import Settings
from streams.errors import UnusableInput

log = logging.getLogger(__name__)
DAY_MS = 24 * 3600 * 1000


class TopicLayoutError(UnusableInput):
    """An existing topic does not have the layout the pipeline needs."""


def ensure_topics(settings: Settings) -> None:
    """Create the input and dead-letter topics if missing; check partitions if present."""
    admin = _admin(settings)
    try:
        retention_ms = str((settings.retention_days + 7) * DAY_MS)
        wanted = {
            settings.topic: NewTopic(
                settings.topic,
                settings.partitions,
                settings.replication_factor,
                # The broker stamps each record's arrival: event time is judged against a time no producer
                # can forge (domain/message_time.py; a broker that ignores it gets a bounded fallback).
                topic_configs={"retention.ms": retention_ms, "message.timestamp.type": "LogAppendTime"},
            ),
            settings.dead_letter_topic: NewTopic(
                settings.dead_letter_topic,
                settings.partitions,
                settings.replication_factor,
                topic_configs={"retention.ms": retention_ms},
            ),
        }
        wanted[settings.summary_topic] = NewTopic(
            settings.summary_topic,
            settings.partitions,
            settings.replication_factor,
            topic_configs={"cleanup.policy": "compact"},
        )
        existing = set(admin.list_topics())
        missing = [t for name, t in wanted.items() if name not in existing]
        if missing:
            try:
                admin.create_topics(missing)
                log.info("created topics %s", ", ".join(t.name for t in missing))
            except TopicAlreadyExistsError:
                pass  # another worker created them at the same moment
        for description in admin.describe_topics([settings.topic]):
            count = len(description["partitions"])
            if count != settings.partitions:
                raise TopicLayoutError(
                    f"topic {settings.topic} has {count} partitions but KOMHEN_PARTITIONS is {settings.partitions}; "
                    "set KOMHEN_PARTITIONS to match (changing the count of an existing topic moves departments "
                    "between partitions)"
                )
    finally:
        admin.close()


def _admin(settings: Settings) -> KafkaAdminClient:
    try:
        return KafkaAdminClient(client_id="komhen-admin", **client_options(settings))
    except KafkaError as exc:
        raise BrokerUnavailable(
            f"no Kafka broker answers at {settings.bootstrap_servers} (KAFKA_BOOTSTRAP_SERVERS: {type(exc).__name__}); "
            "start Kafka, or check the address and port"
        ) from None
