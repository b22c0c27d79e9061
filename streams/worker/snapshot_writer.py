"""Snapshots as a service: a snapshot of the owned partitions every KOMHEN_SNAPSHOT_INTERVAL_S and
at a clean stop (how they are written and loaded: streams/worker/snapshotting.py).

A clean stop (SIGTERM, SIGINT) ends the rounds of summaries and writes the last snapshot (with the
summaries not yet published) before the consumer leaves the group, so the next owner starts from
it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import faust
from mode import Service

from streams.broker.clients import broker_reachable
from streams.contract.texts import Line
from streams.worker.pipeline import Pipeline
from streams.worker.service_settings import SnapshotSettings
from streams.worker.snapshotting import Snapshots
from streams.worker.summaries import Summaries

log = logging.getLogger(__name__)


class SnapshotWriter(Service):
    """Writes snapshots while the worker runs, and once more when it stops; a rebalance fences the writes in flight."""

    def __init__(
        self,
        app: faust.App,
        settings: SnapshotSettings,
        snapshots: Snapshots,
        pipeline: Pipeline,
        summaries: Summaries,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.snapshots = snapshots
        self.pipeline = pipeline
        self.summaries = summaries
        app.on_partitions_revoked.connect(self.on_revoked)  # type: ignore[arg-type]  # mode's stub misses async receivers

    async def on_revoked(self, sender: Any, revoked: set[Any], **kwargs: Any) -> None:
        """Writes in flight must not commit once another worker may own their partition."""
        self.snapshots.revoked()
        try:
            async with asyncio.timeout(self.settings.rebalance_wait_s):
                async with self.snapshots.writing:
                    pass
        except TimeoutError:
            log.warning(Line("log.snapshot_rebalance"))

    async def on_start(self) -> None:
        if self.settings.enabled and self.snapshots.keys.development:
            log.warning(Line("log.snapshot_development_key"))  # once: the snapshots it writes can be forged

    async def on_stop(self) -> None:
        # a round in flight stops; the snapshot lists the rest
        await self.summaries.stop_rounds(self.settings.stop_wait_s)
        if self.settings.enabled:
            await self.last_snapshot()
        await self.snapshots.close()

    async def last_snapshot(self) -> None:
        """The snapshot of a clean stop, when the broker answers, within `stop_wait_s`: without it the next owner
        restores from the previous snapshot and reads the rest of the input, which is slower, never wrong."""
        if not await broker_reachable(self.settings.bootstrap_servers):
            log.warning(Line("log.stop_no_kafka"))
            return
        slots = self.pipeline.slots
        started = asyncio.get_running_loop().time()
        try:
            async with asyncio.timeout(self.settings.stop_wait_s):
                written = await self.snapshots.write_all(slots)
        except TimeoutError:
            log.warning(Line("log.stop_snapshot_timeout", seconds=round(self.settings.stop_wait_s)))
            return
        log.info(
            Line(
                "log.stop_snapshot_written",
                partitions=", ".join(str(p) for p in sorted(p for p, s in slots.items() if s.ready.is_set())),
                size=written,
                seconds=asyncio.get_running_loop().time() - started,
            )
        )

    @Service.task
    async def _periodic(self) -> None:
        if not self.settings.enabled:
            return
        while not self.should_stop:
            with contextlib.suppress(TimeoutError):  # or at once after a full replay: no snapshot yet
                await asyncio.wait_for(self.snapshots.wanted.wait(), timeout=self.settings.interval_s)
            self.snapshots.wanted.clear()
            if not self.should_stop:
                await self.snapshots.write_all(self.pipeline.slots)
