"""Summaries as a service: each worker publishes the day buckets that changed in its partitions
to the summaries topic, and follows that topic into the global view of all workers (the whole
municipality, the report page).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date

import faust
from faust.types import RecordMetadata
from mode import Service

from streams.broker.reading import KafkaPartitionReader
from streams.broker.topics import input_partition_of
from streams.contract.texts import Line
from streams.documents.reference import code_table
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.summaries import GlobalView, summaries_of
from streams.domain.events.messages import InputRecord
from streams.worker.pipeline import Pipeline
from streams.worker.service_settings import SummarySettings

log = logging.getLogger(__name__)
SUMMARY_BACKOFF = 4.0  # after a round of summaries that took t seconds, the next waits 4t


@dataclass
class ViewSync:
    """When the global view is whole: it has read the summaries topic past everything this worker
    published once its partitions were restored. Until then the whole municipality is not exported
    and /health does not say `ok` on the worker that exports it.

    >>> sync = ViewSync()
    >>> sync.fetched_nothing(polled_at=1.0); sync.whole   # read all there was, but before the publish
    False
    >>> sync.published(at=2.0, restored=True); sync.fetched_nothing(polled_at=2.5); sync.whole
    True
    """

    published_at: float | None = None  # the end of the first publish after every partition was restored
    whole: bool = False

    def published(self, *, at: float, restored: bool) -> None:
        """A publish of every changed bucket ended at `at`; `restored`: no partition was restoring when it began."""
        if restored and self.published_at is None:
            self.published_at = at

    def fetched_nothing(self, *, polled_at: float) -> None:
        """A fetch of the summaries topic that began at `polled_at` found nothing new."""
        if not self.whole and self.published_at is not None and polled_at > self.published_at:
            self.whole = True
            log.info(Line("log.summaries_current"))


class Summaries(Service):
    """Publishes changed buckets every interval and follows the summaries topic into `view`.

    A clean stop ends the rounds first (`stop_rounds`): the last snapshot then lists what was not
    published, and the next owner of the partition publishes it.
    """

    def __init__(
        self, app: faust.App, settings: SummarySettings, pipeline: Pipeline, reader: KafkaPartitionReader
    ) -> None:
        super().__init__()
        self.settings = settings
        self.pipeline = pipeline
        self.reader = reader
        self.app = app
        self.view = GlobalView(Aggregation(settings.tz, settings.retention_days), code_table())
        self.sync = ViewSync()
        self.stopping = False  # a clean stop has begun: no more rounds
        self._round = asyncio.Lock()  # one round at a time
        self._next_round_at = 0.0
        self._own: set[tuple[int, int]] = set()  # (partition, offset) of summaries sent here, not yet read back
        self._unsure: list[InputRecord] = []  # read while a round was sending: judged once it has ended
        self.rewritten = 0  # buckets published again because the topic held a summary this worker did not write
        self._follow_again = asyncio.Event()  # the summaries topic was lost: follow the new one from its start

    @property
    def exports_municipality(self) -> bool:
        """The whole municipality is exported by one worker: the owner of input partition 0."""
        return 0 in self.pipeline.slots

    @property
    def view_whole(self) -> bool:
        return self.sync.whole

    def municipality_view(self) -> Aggregation | None:
        """The whole municipality, on the worker that exports it, once the view is whole."""
        return self.view.aggregation if self.exports_municipality and self.view_whole else None

    def publish_again(self, *, topic_lost: bool) -> None:
        """The broker lost topics of the pipeline: publish every bucket this worker counts again, and if the
        summaries topic was among them, build the global view anew from the topic that replaced it (until
        then the view is not whole, so the whole municipality is not exported and /health does not say ok)."""
        for aggregation in self.pipeline.aggregations():
            aggregation.publish_all()
        self.sync = ViewSync()
        if topic_lost:
            self.view.clear()
            self._own.clear()
            self._follow_again.set()

    async def stop_rounds(self, wait_s: float) -> None:
        """No more rounds; a round in flight stops, and what it did not send stays marked changed. A round
        that waits on a broker that went away is not waited for beyond `wait_s`."""
        self.stopping = True
        try:
            async with asyncio.timeout(wait_s):
                async with self._round:
                    pass
        except TimeoutError:
            log.warning(Line("log.summaries_stop_timeout", seconds=round(wait_s)))

    @Service.task
    async def _publish_every_interval(self) -> None:
        async for _ in self.itertimer(self.settings.interval_s, name="publish_summaries"):
            await self.publish_summaries()

    async def publish_summaries(self) -> None:
        """Publish the buckets that changed, so every worker's global view follows.

        With many departments (a national deployment catching up) a round can take seconds; the
        next one waits SUMMARY_BACKOFF times as long, so summaries take at most about a fifth of the
        worker's time and counting and /metrics stay responsive. Nothing is lost: changed buckets
        wait in `changed`.
        """
        began = time.monotonic()
        if self.stopping or began < self._next_round_at:
            return  # stopping: the producer stops soon and the last snapshot lists what was not published
        await self.publish_changed()
        self._next_round_at = time.monotonic() + SUMMARY_BACKOFF * (time.monotonic() - began)

    async def publish_changed(self) -> None:
        """One round: publish the buckets that changed since the last round."""
        async with self._round:
            restored = self.pipeline.joined and not self.pipeline.restoring
            failed = False
            for aggregation in self.pipeline.aggregations():
                changed = aggregation.take_changed()
                if not changed:
                    continue
                sent, order = [], sorted(changed)
                try:
                    for i, bucket in enumerate(order):
                        if self.stopping:
                            aggregation.unpublished(set(order[i:]))
                            break
                        for key, value in summaries_of(aggregation, {bucket}):
                            sent.append(await self._send(key, value))
                    written = await asyncio.gather(*sent)
                    self._own.update((meta.partition, meta.offset) for meta in written)
                    aggregation.published(changed)
                except Exception:
                    failed = True
                    aggregation.unpublished(changed)  # sent again on the next round (or by the next owner)
                    if self.stopping:
                        return
                    log.exception(Line("log.summaries_publish_failed", n=len(changed)))
            if not failed:
                self.sync.published(at=time.monotonic(), restored=restored)  # every restored bucket is on the topic
            unsure, self._unsure = self._unsure, []
            for record in unsure:
                self._judge(record)

    async def _send(self, key: bytes, value: bytes | None) -> Awaitable[RecordMetadata]:
        """Hand one summary to the producer; the future says where it was written. Straight to the producer,
        not through a Faust topic: Faust's bookkeeping per message made a round of 20,000 changed buckets take
        seconds (tests/benchmarks/department_flood.py), and the whole municipality waits for that round."""
        return await self.app.producer.send(self.settings.topic, key, value, None, None, None)

    @Service.task
    async def _follow(self) -> None:
        """Apply every record of the summaries topic to the global view, for as long as the worker runs."""
        while True:
            try:
                polled_at = time.monotonic()
                self._follow_again.clear()
                async with contextlib.aclosing(self.reader.follow(self.settings.topic, idle=True)) as chunks:
                    async for chunk in chunks:
                        if self._follow_again.is_set():
                            break  # its consumer stops; the loop starts over at the new topic's start
                        if not chunk:  # nothing new since the poll began: the view holds all that was on the topic
                            self.sync.fetched_nothing(polled_at=polled_at)
                        for record in chunk:
                            self.view.apply(record.key, record.value)
                            self._judge(record)
                        polled_at = time.monotonic()  # the generator fetches again when resumed
            except Exception:
                log.exception(Line("log.summaries_follow_failed", topic=self.settings.topic))
                await asyncio.sleep(5)

    def _judge(self, record: InputRecord) -> None:
        """A summary this worker did not write, of a municipality it counts, is overwritten by the bucket's
        own summary in the next round: the topic is compacted, so its newest record is what every reader
        (a restarted worker, `komhen export`, a report) takes. Judged once the view is whole (before
        that, every record read is older than this worker's start) and after the round that may have
        written it. Such a record is read at once, so one the view refuses is counted before the
        bucket's own summary replaces it."""
        if (record.partition, record.offset) in self._own:
            self._own.discard((record.partition, record.offset))
            return
        if not self.sync.whole or record.key is None:
            return
        if self._round.locked():
            self._unsure.append(record)
            return
        try:
            municipality, department, day = record.key.decode().split("/")
            bucket = ((municipality, department), date.fromisoformat(day).toordinal())
            partition = input_partition_of(municipality, self.settings.input_partitions)
        except (UnicodeDecodeError, ValueError):
            return  # not a summary's key: the view skipped it
        slot = self.pipeline.slots.get(partition)
        if slot is not None and slot.ready.is_set():
            self.view.read_pending(record.key, record.value)  # skipped, and counted, if no worker could write it
            slot.aggregation.changed.add(bucket)
            self.rewritten += 1
            if self.rewritten == 1 or self.rewritten % 1000 == 0:
                log.warning(Line("log.summaries_foreign", n=self.rewritten, newest=str(bucket)))
