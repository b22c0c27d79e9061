"""The worker's wiring: which services the app starts, in which order, and what they serve."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from types import SimpleNamespace
from typing import Any, cast

from streams.broker.topics import TopicLook
from streams.documents.settings import Settings
from streams.worker.app import create_app
from streams.worker.counting import Counting, Upkeep
from streams.worker.health import Health
from streams.worker.service_settings import WorkerSettings
from streams.worker.snapshot_writer import SnapshotWriter
from streams.worker.summaries import Summaries
from streams.worker.topic_keeper import TopicKeeper
from streams.worker.web import WebPages


def test_the_app_starts_the_services_in_order_and_stops_the_snapshot_writer_before_summaries_and_counting() -> None:
    async def scenario() -> tuple[list[type], set[str], list[str]]:
        app, _ = create_app(Settings(bootstrap_servers="127.0.0.1:9"))
        services = [type(s) for s in app._extra_services]  # started in this order, stopped in reverse
        return services, set(app.web.views), sorted(app.agents)

    services, pages, agents = asyncio.run(scenario())
    assert services == [Counting, Upkeep, Summaries, TopicKeeper, SnapshotWriter, Health, WebPages]
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
    assert (config.snapshots.bootstrap_servers, config.snapshots.stop_wait_s) == ("kafka:9092", 30)
    assert (config.topics.bootstrap_servers, config.topics.interval_s, config.topics.write_timeout_s) == (
        "kafka:9092",
        15,
        30,
    )
    assert not WorkerSettings.of(replace(settings, snapshot_interval_s=0, input_retention_days=407)).snapshots.enabled


class FakeSummaries:
    """What TopicKeeper reads of Summaries: the topic's name, whether the view is whole, and the republish."""

    def __init__(self) -> None:
        self.settings = SimpleNamespace(topic="henvendelser-summaries")
        self.view_whole = True
        self.published_again: list[bool] = []

    def publish_again(self, *, topic_lost: bool) -> None:
        self.published_again.append(topic_lost)
        self.view_whole = False


def test_lost_topics_make_health_degraded_until_the_view_is_whole_again() -> None:
    settings = WorkerSettings.of(Settings(bootstrap_servers="kafka:9092", topic="henvendelser")).topics
    summaries = FakeSummaries()
    snapshots = SimpleNamespace(wanted=asyncio.Event())
    keeper = TopicKeeper(settings, cast(Any, None), cast(Any, summaries), cast(Any, snapshots))
    assert keeper.reason() == ""
    keeper.seen(TopicLook(missing=("henvendelser-summaries",), created=("henvendelser-summaries",)))
    assert summaries.published_again == [True] and snapshots.wanted.is_set()
    assert keeper.reason() == (
        "emnerne henvendelser-summaries forsvandt med brokerens data; udgiver alle opsummeringer igen"
    )
    summaries.view_whole = True
    assert keeper.reason() == ""
    keeper.seen(TopicLook(replaced=("henvendelser",)))
    assert summaries.published_again == [True, False]  # the input topic only: the view is rebuilt from the topic


def test_topics_that_cannot_be_created_keep_health_degraded_with_the_sentence_why() -> None:
    settings = WorkerSettings.of(Settings(bootstrap_servers="kafka:9092", topic="henvendelser")).topics
    keeper = TopicKeeper(
        settings, cast(Any, None), cast(Any, FakeSummaries()), cast(Any, SimpleNamespace(wanted=asyncio.Event()))
    )
    keeper.seen(
        TopicLook(missing=("henvendelser-dlq",), problem="topics henvendelser-dlq are missing and cannot be created")
    )
    assert keeper.reason() == "topics henvendelser-dlq are missing and cannot be created"
    keeper.seen(TopicLook())
    assert keeper.reason() == "emnerne henvendelser-dlq forsvandt med brokerens data; udgiver alle opsummeringer igen"
