"""The snapshot topic on Kafka: send records to one partition and learn their offsets, read ranges back.

Partition p of `<topic>-snapshots` holds the snapshots of input partition p (the record
formats and why they survive compaction: streams/domain/counting/snapshot_format.py). Records are sent with
an explicit partition, never by key hash, and each step's records are acknowledged by the
broker (acks=all) before the caller sends the next step: the head is only written once
everything it points at is stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition

from streams.broker.clients import client_options
from streams.broker.consumers import start_bulk_consumer, start_consumer
from streams.contract.texts import Line
from streams.documents.settings import KafkaConnection

log = logging.getLogger(__name__)

# The largest snapshot record: a department-day with about a million events. The snapshot topic
# is created with this max.message.bytes (streams/broker/topics.py); records stay far below it.
MAX_RECORD_BYTES = 16 * 1024 * 1024
MAX_EMPTY_POLLS = 10  # one second each: the records below the end offset taken at the start are gone

SnapshotRecord = tuple[int, bytes | None, bytes | None]  # offset, key, value


class KafkaSnapshotLog:
    """SnapshotLog (streams/worker/snapshotting.py) on the snapshot topic `topic`."""

    def __init__(self, connection: KafkaConnection, topic: str, *, fetch_max_wait_ms: int) -> None:
        self.connection = connection
        self.topic = topic
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self._producer: AIOKafkaProducer | None = None
        self._producer_lock = asyncio.Lock()
        self._offsets: AIOKafkaConsumer | None = None
        self._offsets_lock = asyncio.Lock()

    async def _started_producer(self) -> AIOKafkaProducer:
        async with self._producer_lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    acks="all",
                    linger_ms=5,
                    max_batch_size=1024 * 1024,
                    max_request_size=MAX_RECORD_BYTES + 64 * 1024,
                    request_timeout_ms=60_000,
                    **client_options(self.connection),
                )
                await producer.start()
                self._producer = producer
            return self._producer

    async def send(self, partition: int, records: list[tuple[bytes, bytes | None]]) -> list[int]:
        """Send records to `partition` in order; return their offsets once the broker acknowledged all."""
        if not records:
            return []
        producer = await self._started_producer()
        futures = [await producer.send(self.topic, value=v, key=k, partition=partition) for k, v in records]
        return [metadata.offset for metadata in await asyncio.gather(*futures)]

    async def bounds(self, partition: int) -> tuple[int, int]:
        """The first offset and the end offset (one past the last record) of the partition now."""
        tp = TopicPartition(self.topic, partition)
        async with self._offsets_lock:  # one client for every partition's offsets, kept
            if self._offsets is None:
                self._offsets = await start_consumer(self.connection)
            begin = (await self._offsets.beginning_offsets([tp]))[tp]
            end = (await self._offsets.end_offsets([tp]))[tp]
        return int(begin), int(end)

    async def read(self, partition: int, start: int, end: int) -> AsyncIterator[list[SnapshotRecord]]:
        """Yield the records of `partition` from `start` up to `end` (exclusive), in chunks."""
        if start >= end:
            return
        tp = TopicPartition(self.topic, partition)
        consumer = await start_bulk_consumer(  # a partition's fetch holds two of the largest records
            self.connection,
            fetch_max_wait_ms=self.fetch_max_wait_ms,
            fetch_max_bytes=4 * MAX_RECORD_BYTES,
            max_partition_fetch_bytes=2 * MAX_RECORD_BYTES,
        )
        try:
            consumer.assign([tp])
            consumer.seek(tp, start)
            empty = 0
            while await consumer.position(tp) < end:
                messages = (await consumer.getmany(tp, timeout_ms=1000, max_records=20_000)).get(tp, [])
                if not messages:
                    empty += 1
                    if empty >= MAX_EMPTY_POLLS:
                        position = await consumer.position(tp)
                        log.warning(
                            Line(
                                "log.snapshot_records_missing",
                                partition=str(partition),
                                start=str(position),
                                end=str(end),
                            )
                        )
                        return
                    continue
                empty = 0
                chunk = [(m.offset, m.key, m.value) for m in messages if m.offset < end]
                if chunk:
                    yield chunk
        finally:
            await consumer.stop()

    async def close(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()
        if self._offsets is not None:
            consumer, self._offsets = self._offsets, None
            await consumer.stop()
