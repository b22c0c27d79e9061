"""Reads topics directly with aiokafka: partitions to rebuild state, summaries to follow.

Faust delivers live records from the committed offset on; what lies below it is read
here, in large chunks, at the Kafka client's own speed. A restore ends at the committed
offset; a snapshot (export, reports) at the end offsets the topic had when it started, so
it ends under live traffic. Either gives up after MAX_EMPTY_POLLS empty polls, should a
broker report an offset it cannot deliver.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition

from streams.broker.consumers import start_bulk_consumer, start_consumer
from streams.contract.errors import UnusableInput
from streams.contract.texts import Line, text
from streams.documents.reference import code_table
from streams.documents.settings import InputTopic, Settings
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.summaries import GlobalView
from streams.domain.events.message_time import LOG_APPEND_TIME
from streams.domain.events.messages import InputRecord

log = logging.getLogger(__name__)
MAX_EMPTY_POLLS = 30  # one second each: then the records below `end` no longer exist


class MissingTopic(UnusableInput):
    """A topic a command reads does not exist (yet)."""


class KafkaPartitionReader:
    """PartitionReader over the input topic; it also reads the other topics of the pipeline (the same partitions)."""

    def __init__(self, input_topic: InputTopic) -> None:
        self.input = input_topic
        self._offsets: AIOKafkaConsumer | None = None
        self._offsets_lock = asyncio.Lock()

    async def committed(self, partition: int) -> int | None:
        """The consumer group's committed offset: where Faust resumes live delivery."""
        async with self._offsets_lock:  # restores of several partitions start at once
            if self._offsets is None:
                self._offsets = await start_consumer(self.input.connection, group_id=self.input.group_id)
        result: int | None = await self._offsets.committed(TopicPartition(self.input.name, partition))
        return result

    async def bounds(self, partition: int) -> tuple[int, int]:
        """The first offset and the end offset (one past the last record) of an input partition now."""
        tp = TopicPartition(self.input.name, partition)
        consumer = await start_consumer(self.input.connection)
        try:
            begin = (await consumer.beginning_offsets([tp]))[tp]
            end = (await consumer.end_offsets([tp]))[tp]
            return int(begin), int(end)
        finally:
            await consumer.stop()

    async def first_record_from(self, partition: int, offset: int, wait_s: float = 3.0) -> InputRecord | None:
        """The first input record at or after `offset`, or None if none came within `wait_s`."""
        tp = TopicPartition(self.input.name, partition)
        consumer = await start_consumer(self.input.connection, auto_offset_reset="earliest")
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
        tp = TopicPartition(self.input.name, partition)
        consumer = await start_bulk_consumer(self.input.connection, fetch_max_wait_ms=self.input.fetch_max_wait_ms)
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
                        log.error(Line("log.records_gone", partition=str(partition), offset=str(end)))
                        return
                    continue
                empty = 0
                chunk = [
                    InputRecord(partition, m.offset, m.timestamp, m.key, m.value, m.timestamp_type == LOG_APPEND_TIME)
                    for m in messages
                    if m.offset < end
                ]
                if chunk:
                    yield chunk
        finally:
            await consumer.stop()

    async def follow(self, topic: str, *, idle: bool = False) -> AsyncGenerator[list[InputRecord], None]:
        """Yield every record of every partition of `topic`, from the start, forever.

        With `idle`, also yield an empty list after a fetch that found nothing new: the follower has
        read everything the broker held when that fetch began (end offsets are not asked for: some
        Kafka-compatible brokers report them wrongly).
        """
        consumer = await start_consumer(self.input.connection, fetch_max_wait_ms=self.input.fetch_max_wait_ms)
        try:
            partitions = [TopicPartition(topic, p) for p in range(self.input.partitions)]
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            while True:
                batches = await consumer.getmany(timeout_ms=500, max_records=10_000)
                if idle and not any(batches.values()):
                    yield []
                for tp, messages in batches.items():
                    yield [InputRecord(tp.partition, m.offset, m.timestamp, m.key, m.value) for m in messages]
        finally:
            await consumer.stop()

    async def snapshot(self, topic: str) -> AsyncIterator[list[InputRecord]]:
        """Every record of `topic` that was on it when called, from its beginning, partition by partition.

        The end is fixed at the start, so the read ends while workers keep publishing (the
        summaries topic grows every second under live traffic): the end offsets the broker
        reports then, and, for a broker that reports them late (the embedded Tansu was seen to
        leave out a partition's newest record for seconds), the records after them that were
        written before the start (by their timestamp), until a fetch finds nothing more or finds a
        record written after the start. Raises MissingTopic if the topic does not exist.
        """
        started_ms = int(time.time() * 1000)
        consumer = await start_bulk_consumer(self.input.connection, fetch_max_wait_ms=self.input.fetch_max_wait_ms)
        try:
            if topic not in await consumer.topics():
                raise MissingTopic(
                    text("kafka.no_summaries", topic=topic, servers=self.input.connection.bootstrap_servers)
                )
            partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
            ends = await consumer.end_offsets(partitions)
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            wait_ms = max(300, 3 * self.input.fetch_max_wait_ms)  # a fetch that finds nothing returns sooner
            for tp in partitions:
                async for chunk in self._until_start(consumer, tp, ends[tp], started_ms, wait_ms):
                    yield chunk
        finally:
            await consumer.stop()

    async def _until_start(
        self, consumer: AIOKafkaConsumer, tp: TopicPartition, end: int, started_ms: int, wait_ms: int
    ) -> AsyncIterator[list[InputRecord]]:
        empty = 0
        while True:
            batches = await consumer.getmany(tp, timeout_ms=wait_ms, max_records=10_000)
            messages = batches.get(tp, [])
            if not messages:
                if await consumer.position(tp) >= end:
                    return  # the reported end, and nothing written before the start after it
                empty += 1
                if empty * wait_ms >= MAX_EMPTY_POLLS * 1000:
                    log.error(Line("log.records_missing", partition=str(tp), offset=str(end)))
                    return
                continue
            empty = 0
            chunk: list[InputRecord] = []
            for m in messages:
                if m.offset >= end and m.timestamp > started_ms:
                    if chunk:
                        yield chunk
                    return  # written after the start
                chunk.append(InputRecord(tp.partition, m.offset, m.timestamp, m.key, m.value))
            yield chunk

    async def close(self) -> None:
        if self._offsets is not None:
            await self._offsets.stop()
            self._offsets = None


async def counted_state(settings: Settings) -> Aggregation:
    """The counted state of all workers, as the summaries topic held it when called (see snapshot)."""
    view = GlobalView(Aggregation(settings.tz, settings.retention_days), code_table())
    reader = KafkaPartitionReader(settings.input_topic)
    async for chunk in reader.snapshot(settings.summary_topic):
        for record in chunk:
            view.apply(record.key, record.value)
    return view.aggregation
