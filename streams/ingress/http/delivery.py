"""Delivery to Kafka for the ingest: one publisher for the process, sending from threads, each wait bounded.

A module of its own because it owns the endpoint's one promise (`202` only after Kafka
acknowledged every event) and the publisher's life: created in a thread on first need, dropped
after an error, closed at shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kafka.errors import KafkaError, KafkaTimeoutError

from streams.contract.texts import Line
from streams.documents.settings import Settings
from streams.ingress.publisher import Publisher, PublishError

log = logging.getLogger(__name__)

PublisherFactory = Callable[[Settings], Publisher]


class Delivery:
    """The one Publisher of the process, created in a thread on first need, sending from threads.

    kafka-python blocks; every call runs in a small thread pool so the event loop keeps serving,
    and each wait is bounded by `timeout_s`.
    """

    def __init__(self, settings: Settings, factory: PublisherFactory, timeout_s: float) -> None:
        self.settings = settings
        self.timeout_s = timeout_s
        self._factory = factory
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ingest-publish")
        self._publisher: Publisher | None = None
        self._connecting: asyncio.Future[Publisher] | None = None
        self.last_publish = "none"  # none | ok | failed

    @property
    def state(self) -> str:
        if self._publisher is not None:
            return "connected"
        return "connecting" if self._connecting is not None else "disconnected"

    def connect(self) -> asyncio.Future[Publisher]:
        """Start creating the publisher unless that is under way; several requests share one attempt."""
        if self._connecting is None:
            loop = asyncio.get_running_loop()
            self._connecting = loop.run_in_executor(self._executor, self._factory, self.settings)
            self._connecting.add_done_callback(self._connected)
        return self._connecting

    def _connected(self, future: asyncio.Future[Publisher]) -> None:
        self._connecting = None
        if future.cancelled():
            return
        exc = future.exception()
        if exc is None:
            self._publisher = future.result()
        else:
            log.warning(
                Line("log.kafka_unreachable", servers=self.settings.bootstrap_servers, error=type(exc).__name__)
            )

    async def send(self, valid: list[dict[str, Any]]) -> None:
        """Publish and wait for Kafka's acknowledgement of every event; raise PublishError otherwise."""
        publisher = self._publisher
        try:
            deadline = time.monotonic() + self.timeout_s
            if publisher is None:
                publisher = await asyncio.wait_for(asyncio.shield(self.connect()), self.timeout_s)
            loop = asyncio.get_running_loop()
            remaining = max(deadline - time.monotonic(), 0.1)
            await asyncio.wait_for(loop.run_in_executor(self._executor, publisher.send_valid, valid), remaining)
        except (PublishError, KafkaError, TimeoutError) as exc:
            self.last_publish = "failed"
            if not _timed_out(exc):
                self._discard(publisher)
            raise PublishError(f"Kafka did not confirm delivery within {self.timeout_s:g} s") from exc
        self.last_publish = "ok"

    def _discard(self, publisher: Publisher | None) -> None:
        """Drop a publisher that reported an error: after a broker restart kafka-python's idempotent producer
        can stay in a fatal state, so the next request starts a fresh one. (After a mere timeout it is kept:
        it reconnects by itself, and kafka-python cannot close a producer with unconfirmed records.)"""
        if publisher is not None and publisher is self._publisher:
            self._publisher = None
            self._executor.submit(Publisher.close, publisher)

    async def close(self) -> None:
        """Close the publisher; unconfirmed records were answered 503. One still being created is left to
        kafka-python's own exit handler rather than holding up the shutdown."""
        if self._publisher is not None:
            await asyncio.get_running_loop().run_in_executor(self._executor, Publisher.close, self._publisher)
        self._executor.shutdown(wait=False, cancel_futures=True)


def _timed_out(exc: BaseException) -> bool:
    cause = exc.__cause__ if isinstance(exc, PublishError) and exc.__cause__ is not None else exc
    return isinstance(cause, (KafkaTimeoutError, TimeoutError))
