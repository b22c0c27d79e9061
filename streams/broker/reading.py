"""Reads topics directly with aiokafka: partitions to rebuild state, summaries to follow.

Faust delivers live records from the committed offset on; what lies below it is read
here, in large chunks, at the Kafka client's own speed. Never relies on high-watermarks
(some Kafka-compatible brokers report them wrongly): reading ends at a known offset.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition

from streams.broker.clients import client_options
from streams.config import Settings
from streams.domain.aggregation import Aggregation
from streams.domain.messages import InputRecord
from streams.domain.summaries import GlobalView

log = logging.getLogger(__name__)
MAX_EMPTY_POLLS = 30  # one second each: then the records below `end` no longer exist


class KafkaPartitionReader:
    """PartitionReader over the input topic of `settings`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._offsets: AIOKafkaConsumer | None = None
        self._offsets_lock = asyncio.Lock()

    async def committed(self, partition: int) -> int | None:
        """The consumer group's committed offset: where Faust resumes live delivery."""
        async with self._offsets_lock:  # restores of several partitions start at once
            if self._offsets is None:
                consumer = AIOKafkaConsumer(
                    group_id=self.settings.group_id, enable_auto_commit=False, **client_options(self.settings)
                )
                await consumer.start()
                self._offsets = consumer
        result: int | None = await self._offsets.committed(TopicPartition(self.settings.topic, partition))
        return result

    async def bounds(self, partition: int) -> tuple[int, int]:
        """The first offset and the end offset (one past the last record) of an input partition now."""
        tp = TopicPartition(self.settings.topic, partition)
        consumer = AIOKafkaConsumer(enable_auto_commit=False, **client_options(self.settings))
        await consumer.start()
        try:
            begin = (await consumer.beginning_offsets([tp]))[tp]
            end = (await consumer.end_offsets([tp]))[tp]
            return int(begin), int(end)
        finally:
            await consumer.stop()

    async def first_record_from(self, partition: int, offset: int, wait_s: float = 3.0) -> InputRecord | None:
        """The first input record at or after `offset`, or None if none came within `wait_s`."""
        tp = TopicPartition(self.settings.topic, partition)
        consumer = AIOKafkaConsumer(
            enable_auto_commit=False, auto_offset_reset="earliest", **client_options(self.settings)
        )
        await consumer.start()
        try:
            consumer.assign([tp])
            consumer.seek(tp, offset)
            batches = await consumer.getmany(tp, timeout_ms=int(wait_s * 1000), max_records=1)
            for m in batches.get(tp, []):
                return InputRecord(partition, m.offset, m.timestamp, m.key, m.value)
            return None
        finally:
            await consumer.stop()

    async def read(self, partition: int, start: int | None, end: int) -> AsyncGenerator[list[InputRecord], None]:
        """Yield records of `partition` from `start` (None: the beginning) up to `end`, exclusive."""
        tp = TopicPartition(self.settings.topic, partition)
        consumer = AIOKafkaConsumer(
            enable_auto_commit=False,
            fetch_max_bytes=16 * 1024 * 1024,
            max_partition_fetch_bytes=8 * 1024 * 1024,
            fetch_max_wait_ms=self.settings.fetch_max_wait_ms,
            **client_options(self.settings),
        )
        await consumer.start()
        try:
            consumer.assign([tp])
            if start is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, start)
            empty = 0
            while await consumer.position(tp) < end:
                batches = await consumer.getmany(tp, timeout_ms=1000, max_records=10_000)
                messages = batches.get(tp, [])
                if not messages:
                    empty += 1
                    if empty >= MAX_EMPTY_POLLS:
                        log.error(
                            "partition %d: records below offset %d are no longer on the topic; "
                            "counts restored from what remains (check the topic's retention.ms)",
                            partition,
                            end,
                        )
                        return
                    continue
                empty = 0
                chunk = [
                    InputRecord(partition, m.offset, m.timestamp, m.key, m.value) for m in messages if m.offset < end
                ]
                if chunk:
                    yield chunk
        finally:
            await consumer.stop()

    async def follow(self, topic: str) -> AsyncGenerator[list[InputRecord], None]:
        """Yield every record of every partition of `topic`, from the start, forever."""
        consumer = AIOKafkaConsumer(
            enable_auto_commit=False, fetch_max_wait_ms=self.settings.fetch_max_wait_ms, **client_options(self.settings)
        )
        await consumer.start()
        try:
            partitions = [TopicPartition(topic, p) for p in range(self.settings.partitions)]
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            while True:
                batches = await consumer.getmany(timeout_ms=500, max_records=10_000)
                for tp, messages in batches.items():
                    yield [InputRecord(tp.partition, m.offset, m.timestamp, m.key, m.value) for m in messages]
        finally:
            await consumer.stop()

    async def snapshot(self, topic: str, idle_s: float = 2.0) -> AsyncIterator[list[InputRecord]]:
        """Every record of `topic` now on the broker: reads until nothing new came for `idle_s`."""
        follower = self.follow(topic)
        timeout = max(idle_s, 15.0)  # the first wait includes connecting
        try:
            while True:
                try:
                    chunk = await asyncio.wait_for(anext(follower), timeout=timeout)
                except TimeoutError:
                    return
                timeout = idle_s
                yield chunk
        finally:
            await follower.aclose()

    async def close(self) -> None:
        if self._offsets is not None:
            await self._offsets.stop()
            self._offsets = None


async def counted_state(settings: Settings) -> Aggregation:
    """The counted state of all workers, as the summaries topic holds it now."""
    view = GlobalView(Aggregation(settings.tz, settings.retention_days))
    reader = KafkaPartitionReader(settings)
    async for chunk in reader.snapshot(settings.summary_topic):
        for record in chunk:
            view.apply(record.key, record.value)
    return view.aggregation
