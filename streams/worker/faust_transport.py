"""Faust's aiokafka transport with the one consumer setting Faust does not expose, and a clean leave.

Faust creates its worker consumer with `fetch_max_wait_ms=1500` fixed. A broker may hold a
fetch that found nothing new for that long, and the embedded Tansu broker holds it the full
time even when records arrive meanwhile: the worker then idles while its input grows
(measured: 0.9 s gaps, and about 30 % of the end-to-end throughput). These subclasses change
that value, to `Settings.fetch_max_wait_ms`.

A stopping consumer leaves its group so the others (or the next start) rebalance at once.
aiokafka only sends LeaveGroup from generation 1 on (Kafka numbers generations from 1);
Tansu starts at 0, so the first member of a group stayed in it until its session timed out
and the next start waited ~13 s for a second rebalance. `leave_group` leaves from 0 on. And a
consumer whose Kafka has gone away still stops (ConsumerThread.on_thread_stop).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, ClassVar, cast

import aiokafka
import faust
from aiokafka.errors import KafkaError
from aiokafka.protocol.group import LeaveGroupRequest
from faust.tables import TableManager as TableManagerBase
from faust.transport.drivers import aiokafka as driver
from faust.types import ConsumerT, TransportT
from faust.web.drivers.aiohttp import Web

from streams.contract.texts import Line
from streams.worker.web_server import guarded_web

log = logging.getLogger(__name__)


async def leave_group(coordinator: Any) -> None:
    """aiokafka's GroupCoordinator._maybe_leave_group, also for generation 0 (Tansu's first)."""
    if coordinator.generation >= 0 and coordinator.member_id and coordinator._group_instance_id is None:
        try:
            await coordinator._send_req(LeaveGroupRequest(coordinator.group_id, coordinator.member_id))
        except KafkaError as exc:
            log.warning(Line("log.leave_failed", error=str(exc)))
        else:
            log.info(Line("log.left_group", group=coordinator.group_id))
    coordinator.reset_generation()


class ConsumerThread(driver.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        consumer._fetch_max_wait_ms = cast(App, self.app).fetch_max_wait_ms  # read when its fetcher starts
        return consumer

    async def on_thread_stop(self) -> None:
        coordinator = getattr(self._consumer, "_coordinator", None)
        if coordinator is not None:  # consumer.stop() closes the coordinator, which calls this to leave
            coordinator._maybe_leave_group = lambda: leave_group(coordinator)
        try:
            await super().on_thread_stop()
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # this stop itself is cancelled
            # aiokafka's Fetcher.close awaits the fetch tasks it cancels; one cancelled in its retry backoff
            # (Kafka went away) raises CancelledError out of consumer.stop(), before the client is closed:
            # the thread never said it stopped, and the worker waited 60 s for it on SIGTERM.
            log.info(Line("log.consumer_stopped_offline"))
            if self._consumer is not None:
                await self._consumer._client.close()


class Consumer(driver.Consumer):
    def _new_consumer_thread(self) -> driver.AIOKafkaConsumerThread:
        return ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class Transport(driver.Transport):
    Consumer: ClassVar[type[ConsumerT]] = Consumer


class TableManager(TableManagerBase):
    """Faust's table manager without the 1 s pause it takes before it lets the consumer subscribe (time for
    tables defined late to register). This app defines no Faust tables (a partition's state is its own, restored
    from snapshots and the input), so every start, restart and rebalance of a worker began 1 s later for nothing."""

    async def on_start(self) -> None:  # Faust's, less the pause: a table defined later is refused, loudly
        if not self.should_stop:
            await self._update_channels()
            await self.recovery.start()


class App(faust.App):
    """A Faust app whose worker consumer waits at most `fetch_max_wait_ms` on an empty fetch, whose web
    server is guarded (streams/worker/web_server.py), and whose start does not pause for tables it has not."""

    def __init__(self, *args: Any, fetch_max_wait_ms: int, **kwargs: Any) -> None:
        self.fetch_max_wait_ms = fetch_max_wait_ms
        super().__init__(*args, TableManager=TableManager, **kwargs)

    def _new_transport(self) -> TransportT:
        return Transport(self.conf.broker_consumer, self)

    def _new_web(self) -> Web:
        return guarded_web()(self)
