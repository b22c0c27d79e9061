"""The worker's wiring: which services the app starts, in which order, and what they serve."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from streams.documents.settings import Settings
from streams.worker.app import create_app
from streams.worker.counting import Counting, Upkeep
from streams.worker.health import Health
from streams.worker.service_settings import WorkerSettings
from streams.worker.snapshot_writer import SnapshotWriter
from streams.worker.summaries import Summaries
from streams.worker.web import WebPages


def test_the_app_starts_the_services_in_order_and_stops_the_snapshot_writer_before_summaries_and_counting() -> None:
    async def scenario() -> tuple[list[type], set[str], list[str]]:
        app, _ = create_app(Settings(bootstrap_servers="127.0.0.1:9"))
        services = [type(s) for s in app._extra_services]  # started in this order, stopped in reverse
        return services, set(app.web.views), sorted(app.agents)

    services, pages, agents = asyncio.run(scenario())
    assert services == [Counting, Upkeep, Summaries, SnapshotWriter, Health, WebPages]
    assert pages == {"/", "/health", "/metrics"}
    assert agents == ["count-inquiries"]


def test_each_service_is_given_only_the_settings_it_reads() -> None:
    settings = replace(
        Settings(bootstrap_servers="kafka:9092", topic="henvendelser"), snapshot_interval_s=600, session_timeout_s=30
    )
    config = WorkerSettings.of(settings)
    assert (config.input.name, config.input.connection.bootstrap_servers) == ("henvendelser", "kafka:9092")
    assert config.dead_letter_topic == "henvendelser-dlq"
    assert (config.counting.topic, config.summaries.topic, config.snapshots.topic) == (
        "henvendelser",
        "henvendelser-summaries",
        "henvendelser-snapshots",
    )
    assert (config.snapshots.interval_s, config.snapshots.enabled, config.snapshots.rebalance_wait_s) == (600, True, 15)
    assert (config.health.bootstrap_servers, config.health.snapshot_interval_s) == ("kafka:9092", 600)
    assert not WorkerSettings.of(replace(settings, snapshot_interval_s=0, input_retention_days=407)).snapshots.enabled
