"""Every aiokafka consumer the project reads topics with, set up in one place.

A module of its own because the readers (reading.py: the input and summaries topics;
snapshot_topic.py: the snapshots) each opened their consumers alike, and differ only in how much
one fetch may bring. A consumer here never commits offsets (those are Faust's, or no one's) and
connects with the shared client options (TLS, SASL).
"""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer

from streams.broker.clients import client_options
from streams.documents.settings import KafkaConnection

MiB = 1024 * 1024
# A range read in bulk (a partition to restore, a topic to snapshot): large fetches, few round trips.
BULK_FETCH_BYTES = 16 * MiB
BULK_PARTITION_FETCH_BYTES = 8 * MiB


async def start_consumer(connection: KafkaConnection, **options: Any) -> AIOKafkaConsumer:
    """A started consumer that commits nothing; `options` are aiokafka's own (group_id, auto_offset_reset …)."""
    consumer = AIOKafkaConsumer(enable_auto_commit=False, **options, **client_options(connection))
    await consumer.start()
    return consumer


async def start_bulk_consumer(
    connection: KafkaConnection,
    *,
    fetch_max_wait_ms: int,
    fetch_max_bytes: int = BULK_FETCH_BYTES,
    max_partition_fetch_bytes: int = BULK_PARTITION_FETCH_BYTES,
) -> AIOKafkaConsumer:
    """A started consumer for reading a range of records in bulk: large fetches, the configured fetch wait."""
    return await start_consumer(
        connection,
        fetch_max_bytes=fetch_max_bytes,
        max_partition_fetch_bytes=max_partition_fetch_bytes,
        fetch_max_wait_ms=fetch_max_wait_ms,
    )
