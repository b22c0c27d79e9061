"""The worker's Faust consumer uses Settings.fetch_max_wait_ms, not Faust's fixed 1500 ms."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from streams.documents.settings import Settings
from streams.worker.app import create_app
from streams.worker.faust_transport import Transport


def test_the_worker_consumer_waits_at_most_the_configured_time_on_an_empty_fetch() -> None:
    async def scenario() -> int:
        app, _ = create_app(replace(Settings(bootstrap_servers="127.0.0.1:9"), fetch_max_wait_ms=123))
        assert isinstance(app.transport, Transport)
        consumer = app.consumer._new_consumer_thread()._create_worker_consumer(app.transport)  # type: ignore[attr-defined]
        try:
            return int(consumer._fetch_max_wait_ms)
        finally:
            await consumer.stop()

    assert asyncio.run(scenario()) == 123
