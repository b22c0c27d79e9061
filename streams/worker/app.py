"""The Faust application: the worker's services, wired.

Counting (streams/worker/counting.py) hands batches of input records to the pipeline;
summaries publish what changed and follow every worker's summaries into the global view;
snapshots are written every interval and at a clean stop; /health, /metrics and `/` (the
status report of the last 28 days) are served from them. Each service takes its own small
settings (streams/worker/service_settings.py) and the services it reads.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, cast

import faust
from mode import Service
from prometheus_client import CollectorRegistry

from streams.broker.clients import ssl_context
from streams.broker.reading import KafkaPartitionReader
from streams.broker.snapshot_topic import KafkaSnapshotLog
from streams.broker.topics import TopicWatch, bounded_admin
from streams.documents.report_inputs import load_reference, load_units
from streams.documents.settings import KafkaConnection, Settings
from streams.documents.snapshot_keys import load_snapshot_keys
from streams.documents.source_registry import describe
from streams.documents.targets import load_target_files
from streams.generators.status.live import LiveInputs
from streams.telemetry import logs
from streams.telemetry.collectors import PipelineMetrics, SnapshotMetrics
from streams.telemetry.labels import SourceLabels
from streams.worker.counting import Counting, DeadLetterTopic, Upkeep
from streams.worker.faust_transport import App
from streams.worker.health import Health
from streams.worker.pipeline import Pipeline
from streams.worker.service_settings import WorkerSettings
from streams.worker.snapshot_writer import SnapshotWriter
from streams.worker.snapshotting import Snapshots
from streams.worker.summaries import Summaries
from streams.worker.topic_keeper import TopicKeeper
from streams.worker.web import WebPages, department_labels, register_metrics

log = logging.getLogger(__name__)


def _credentials(connection: KafkaConnection) -> Any:
    if connection.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=connection.sasl_username,
            password=connection.sasl_password,
            mechanism=connection.sasl_mechanism,
            ssl_context=ssl_context(connection),
        )
    if connection.security_protocol == "SSL":
        return faust.SSLCredentials(ssl_context(connection))
    return None


# aiokafka sends one batch per partition at a time: with Faust's 16 KiB a summary round of 20,000 changed buckets
# (~330 bytes each) took some 400 round trips. With this and the summaries sent straight to the producer
# (worker/summaries.py), the whole municipality follows a flood of 20,000 departments 10.5 s after the last
# publish, not 28-44 s (tests/benchmarks/department_flood.py, 2026-12-07). Under a broker's default 1 MB per batch.
PRODUCER_BATCH_BYTES = 256 * 1024


def faust_app(settings: Settings) -> faust.App:
    """The Faust app: in-memory store (state is rebuilt from the input topic), consumer settings from config."""
    brokers = ";".join(f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(","))
    return App(
        settings.group_id,
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
        broker=brokers,
        broker_credentials=_credentials(settings.connection),
        store="memory://",
        topic_partitions=settings.partitions,
        topic_allow_declare=False,
        table_standby_replicas=0,
        web_host=settings.web_host,  # only names the host in URLs
        web_bind=settings.web_host,  # what the server listens on (Faust's default is 0.0.0.0)
        web_port=settings.web_port,
        web_in_thread=False,
        datadir=settings.data_dir,
        broker_session_timeout=settings.session_timeout_s,
        broker_rebalance_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=min(3.0, settings.session_timeout_s / 5),
        consumer_auto_offset_reset="earliest",
        producer_max_request_size=settings.max_message_bytes + 100_000,
        producer_max_batch_size=PRODUCER_BATCH_BYTES,
        consumer_max_fetch_size=8 * 1024 * 1024,
        stream_buffer_maxsize=max(4096, settings.batch_max),
    )


def create_app(settings: Settings, registry: CollectorRegistry | None = None) -> tuple[faust.App, Pipeline]:
    """The Faust app with the worker's services, and the pipeline they share; metrics in `registry`."""
    config = WorkerSettings.of(settings)
    sources = config.counting.sources
    (log.warning if sources.is_open else log.info)(describe(sources))
    registry = registry if registry is not None else CollectorRegistry()
    app = faust_app(settings)
    reader = KafkaPartitionReader(config.input)
    snapshot_log = KafkaSnapshotLog(
        config.connection, config.snapshots.topic, fetch_max_wait_ms=config.input.fetch_max_wait_ms
    )
    targets = load_target_files(settings.target_files)
    departments = department_labels(config.metrics, targets)
    metrics = PipelineMetrics(registry, sources=SourceLabels(list(config.metrics.sources)), departments=departments)
    keys = load_snapshot_keys(settings)
    snapshots = Snapshots(config.snapshots, snapshot_log, reader, SnapshotMetrics(registry), keys=keys)
    pipeline = Pipeline(
        config.counting,
        metrics,
        reader,
        DeadLetterTopic(app, config.dead_letter_topic, config.topics.write_timeout_s).send,
        snapshots,
    )
    counting = Counting(app, config.counting, pipeline, reader)
    summaries = Summaries(app, config.summaries, pipeline, reader)
    state = register_metrics(registry, config.metrics, departments, targets, counting, summaries, snapshots)
    inputs = LiveInputs(
        targets=targets,
        units=load_units(Path(settings.report_units)) if settings.report_units else None,
        reference=load_reference(Path(settings.report_reference)) if settings.report_reference else None,
        league_min_inquiries=settings.league_min_inquiries,
    )
    topics = TopicKeeper(
        config.topics, TopicWatch(settings, admin=bounded_admin(config.topics.write_timeout_s)), summaries, snapshots
    )
    start_with(
        app,
        counting,
        Upkeep(config.counting, pipeline, state.reference_time),
        summaries,
        topics,
        SnapshotWriter(app, config.snapshots, snapshots, pipeline, summaries),
        Health(app, config.health, pipeline, counting, summaries, snapshots, topics),
        WebPages(app, config.web, registry, pipeline, summaries, state.reference_time, inputs),
    )
    app.task(limit_repeated_log_lines)
    return app, pipeline


def start_with(app: faust.App, *services: Service) -> None:
    """Start `services` with the app, in this order, once it has joined and recovered; the app stops
    them in the reverse order, before its consumer leaves the group."""
    for service in services:
        app.service(cast(type[Service], service))  # an instance is started as it is (App._prepare_subservice)


async def limit_repeated_log_lines() -> None:
    """Faust sets up its own log handlers when the worker starts: they get the rate limit too."""
    logs.install()


def run_worker(settings: Settings, loglevel: str) -> int:
    """Count until SIGINT or SIGTERM (`komhen worker` has created the topics)."""
    app, _ = create_app(settings)
    worker = faust.Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()
    return 0
