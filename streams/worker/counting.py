"""Counting as services: the agent that hands batches of input records to the pipeline, the
partitions the consumer group assigns, what waits on them; and the upkeep of the counted state.

The agent stays thin (decode nothing, count nothing itself): it turns Faust events into
records and awaits Pipeline.process. Partition assignment signals keep the pipeline's set
of owned partitions in step with the consumer group.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

import faust
from faust.types import TP
from mode import Service

from streams.broker.reading import KafkaPartitionReader
from streams.contract.texts import Line
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.windows import local_day
from streams.domain.events.message_time import LOG_APPEND_TIME
from streams.domain.events.messages import InputRecord, encode_dead_letter
from streams.worker.pipeline import Pipeline, compact_settled_days
from streams.worker.service_settings import CountingSettings

log = logging.getLogger(__name__)
PRUNE_INTERVAL_S = 3600.0
COMPACT_INTERVAL_S = 60.0

ReferenceTime = Callable[[list[Aggregation]], datetime | None]  # the end of every window, for these aggregations


class DeadLetterTopic:
    """The pipeline's DeadLetterSink: the dead-letter topic of the Faust app. A send returns once the broker
    took the letter, and fails after `timeout_s` (the pipeline counts it in dead_letters_unwritten)."""

    def __init__(self, app: faust.App, topic: str, timeout_s: float) -> None:
        self.topic = app.topic(topic, key_serializer="raw", value_serializer="raw")
        self.timeout_s = timeout_s

    async def send(self, key: bytes | None, record: dict[str, Any]) -> None:
        async with asyncio.timeout(self.timeout_s):
            delivered = await self.topic.send(key=key, value=encode_dead_letter(record))
            await delivered


class Counting(Service):
    """The agent `count-inquiries` and the partitions it owns; the reader it restores them with is
    closed when counting stops, after every other service that reads with it."""

    def __init__(
        self, app: faust.App, settings: CountingSettings, pipeline: Pipeline, reader: KafkaPartitionReader
    ) -> None:
        super().__init__()
        self.app = app
        self.settings = settings
        self.pipeline = pipeline
        self.reader = reader
        inquiries = app.topic(
            settings.topic, partitions=settings.partitions, key_serializer="raw", value_serializer="raw"
        )
        app.agent(inquiries, name="count-inquiries")(self.count)
        app.on_partitions_assigned.connect(self.on_assigned)  # type: ignore[arg-type]  # mode's stub misses async receivers

    async def count(self, stream: faust.StreamT[bytes]) -> None:
        """Hand each batch of records to the pipeline."""
        batches = cast("faust.Stream[bytes]", stream).take_events  # declared on Stream, not on StreamT
        async for events in batches(self.settings.batch_max, within=self.settings.batch_within_s):
            records = [
                InputRecord(
                    e.message.partition,
                    e.message.offset,
                    int(e.message.timestamp * 1000),
                    e.message.key,
                    e.message.value,
                    e.message.timestamp_type == LOG_APPEND_TIME,
                )
                for e in events
            ]
            try:
                await self.pipeline.process(records)
            except Exception:
                # Records are handled one by one inside; this is a fault around them (a lost lock, a broker
                # error while reading a gap). The agent keeps running: what was not counted is read again as
                # a gap with the next batch, and a partition that stays behind shows as stalled.
                log.exception(Line("log.batch_failed", n=len(records)))

    async def on_assigned(self, sender: Any, assigned: set[Any], **kwargs: Any) -> None:
        """Faust sends the whole new assignment: own exactly that from now on."""
        owned = {tp.partition for tp in assigned if tp.topic == self.settings.topic}
        log.info(Line("log.assigned", partitions=", ".join(str(p) for p in sorted(owned)), topic=self.settings.topic))
        self.pipeline.assign(owned)

    def lag(self) -> dict[tuple[str, int], int]:
        """Records not yet counted: the high-watermark (as the consumer last fetched it) minus what the state covers."""
        topic, lag = self.settings.topic, {}
        for partition, slot in list(self.pipeline.slots.items()):
            if slot.next_offset is None:
                continue
            try:
                highwater = self.app.consumer.highwater(TP(topic, partition))
            except Exception:  # not fetched yet, or mid-rebalance: no figure rather than a wrong one
                continue
            lag[(topic, partition)] = max(0, (highwater or 0) - slot.next_offset)
        return lag

    def stalled(self) -> dict[tuple[str, int], float]:
        """Seconds each owned partition has had records waiting without counting one."""
        lag, now, topic = self.lag(), time.monotonic(), self.settings.topic
        return {
            (topic, partition): slot.stalled_for(lag.get((topic, partition)), now)
            for partition, slot in list(self.pipeline.slots.items())
        }

    async def on_stop(self) -> None:
        await self.reader.close()


class Upkeep(Service):
    """Drops day buckets past the retention every hour; seals settled days every minute."""

    def __init__(self, settings: CountingSettings, pipeline: Pipeline, reference_time: ReferenceTime) -> None:
        super().__init__()
        self.settings = settings
        self.pipeline = pipeline
        self.reference_time = reference_time

    @Service.timer(PRUNE_INTERVAL_S)
    async def prune(self) -> None:
        aggregations = self.pipeline.aggregations()
        ref = self.reference_time(aggregations)
        if ref is not None:
            dropped = sum(a.prune(local_day(ref, self.settings.tz)) for a in aggregations)
            if dropped:
                log.info(Line("log.dropped_days", n=dropped, days=self.settings.retention_days))

    @Service.timer(COMPACT_INTERVAL_S)
    async def compact(self) -> None:
        """Seal yesterday's and older days: counts and identities into compact arrays."""
        for aggregation in self.pipeline.aggregations():
            compact_settled_days(aggregation)
