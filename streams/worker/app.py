"""The Faust application: one agent that hands batches of input records to the pipeline.

The agent stays thin (decode nothing, count nothing itself): it turns Faust events into
Records and awaits Pipeline.process. Partition assignment signals keep the pipeline's
set of owned partitions in step with the consumer group. The worker's web server serves
/metrics (Prometheus), /health and `/`, the status report of the last 28 days.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import faust
from faust.types import TP
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, ProcessCollector, disable_created_metrics

from streams.broker.clients import BrokerWatch, quiet_kafka_client_logs, ssl_context
from streams.broker.reading import KafkaPartitionReader
from streams.broker.snapshot_topic import KafkaSnapshotLog
from streams.broker.topics import ensure_topics
from streams.contract.identifiers import ALL_DEPARTMENTS
from streams.documents.report_inputs import load_reference, load_units
from streams.documents.settings import KafkaConnection, Settings
from streams.documents.targets import load_target_files
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.summaries import GlobalView, summaries_of
from streams.domain.counting.totals import newest_event
from streams.domain.counting.windows import local_day
from streams.domain.events.message_time import LOG_APPEND_TIME
from streams.domain.events.messages import InputRecord, encode_dead_letter
from streams.domain.measures.targets import TargetFile
from streams.generators.status.live import SOURCE_COUNTED, SOURCE_IN_PART, LiveInputs, Page, live_page
from streams.telemetry import logs
from streams.telemetry.collectors import (
    FigureKeeper,
    PipelineMetrics,
    RestoreCollector,
    SnapshotMetrics,
    TargetCollector,
    TargetProgress,
    WorkerCollector,
    register_state,
)
from streams.telemetry.exposition import exposition
from streams.telemetry.labels import DepartmentLabels, SourceLabels
from streams.worker.faust_transport import App
from streams.worker.pipeline import Pipeline, compact_settled_days
from streams.worker.snapshotting import Snapshots

log = logging.getLogger(__name__)
PRUNE_INTERVAL_S = 3600.0
BROKER_CHECK_INTERVAL_S = 5.0
COMPACT_INTERVAL_S = 60.0
SUMMARY_BACKOFF = 4.0  # after a round of summaries that took t seconds, the next waits 4t


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


STALLED_AFTER_S = 60.0  # records waiting this long without one counted: the partition is stalled


def health_status(*, restoring: bool, reachable: bool, joined: bool, stalled: bool = False) -> str:
    """/health's one-word summary; "joining" until the group gave this worker its first assignment;
    "stalled" when an owned partition has had records waiting for a minute without counting one."""
    if stalled:
        return "stalled"
    if restoring:
        return "restoring"
    if not reachable:
        return "degraded"
    return "ok" if joined else "joining"


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
            log.info("the whole municipality is up to date with the summaries topic")


@dataclass
class Worker:
    """What the wiring functions share: the Faust app, its topics, the pipeline and the views of state."""

    settings: Settings
    app: faust.App
    registry: CollectorRegistry
    pipeline: Pipeline
    reader: KafkaPartitionReader
    global_view: GlobalView
    snapshots: Snapshots | None = None
    stopping: bool = False  # a clean stop has begun: no more summaries, one last snapshot
    summary_lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one round of summaries at a time

    def municipality_view(self) -> Aggregation | None:
        """The whole municipality is exported by one worker, the owner of input partition 0, once it is whole."""
        return self.global_view.aggregation if self.exports_municipality and self.view_whole else None

    @property
    def exports_municipality(self) -> bool:
        return 0 in self.pipeline.slots

    lag: Callable[[], dict[tuple[str, int], int]] = dict  # set by setup_metrics: records not yet counted
    view_sync: ViewSync = field(default_factory=lambda: ViewSync())

    @property
    def view_whole(self) -> bool:
        return self.view_sync.whole

    def topic(self, name: str, **options: Any) -> faust.TopicT:
        return self.app.topic(name, key_serializer="raw", value_serializer="raw", **options)


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
        consumer_max_fetch_size=8 * 1024 * 1024,
        stream_buffer_maxsize=max(4096, settings.batch_max),
    )


def create_app(settings: Settings, registry: CollectorRegistry | None = None) -> tuple[faust.App, Pipeline]:
    """Build the Faust app and the pipeline it feeds, with metrics in `registry`."""
    registry = registry if registry is not None else CollectorRegistry()
    app = faust_app(settings)
    dead_letters = app.topic(settings.dead_letter_topic, key_serializer="raw", value_serializer="raw")

    async def send_dead_letter(key: bytes | None, record: dict[str, Any]) -> None:
        await dead_letters.send(key=key, value=encode_dead_letter(record))

    reader = KafkaPartitionReader(settings.input_topic)
    targets = load_target_files(settings.target_files)
    departments = department_labels(settings, targets)
    metrics = PipelineMetrics(registry, sources=SourceLabels(settings.source_list), departments=departments)
    snapshots = Snapshots(
        settings,
        KafkaSnapshotLog(settings.connection, settings.snapshot_topic, fetch_max_wait_ms=settings.fetch_max_wait_ms),
        reader,
        SnapshotMetrics(registry),
    )
    pipeline = Pipeline(settings, metrics, reader, send_dead_letter, snapshots)
    worker = Worker(
        settings,
        app,
        registry,
        pipeline,
        reader,
        GlobalView(Aggregation(settings.tz, settings.retention_days)),
        snapshots,
    )
    setup_counting(worker)
    setup_summaries(worker)
    state = setup_metrics(worker, targets, departments)
    setup_maintenance(worker, state)
    setup_snapshots(worker)
    setup_health(worker)
    setup_report_page(worker, state)
    setup_logging(worker)
    return app, pipeline


def setup_counting(w: Worker) -> None:
    """The agent hands batches of records to the pipeline; assignments tell it which partitions it owns."""
    settings, pipeline = w.settings, w.pipeline
    inquiries = w.topic(settings.topic, partitions=settings.partitions)

    @w.app.agent(inquiries, name="count-inquiries")
    async def count_inquiries(stream: faust.StreamT[bytes]) -> None:
        batches = cast("faust.Stream[bytes]", stream).take_events  # declared on Stream, not on StreamT
        async for events in batches(settings.batch_max, within=settings.batch_within_s):
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
                await pipeline.process(records)
            except Exception:
                # Records are handled one by one inside; this is a fault around them (a lost lock, a broker
                # error while reading a gap). The agent keeps running: what was not counted is read again as
                # a gap with the next batch, and a partition that stays behind shows as stalled.
                log.exception(
                    "counting a batch of %d records failed; it is read again with the next batch", len(records)
                )

    async def on_assigned(sender: Any, assigned: set[Any], **kwargs: Any) -> None:
        """Faust sends the whole new assignment: own exactly that from now on."""
        owned = {tp.partition for tp in assigned if tp.topic == settings.topic}
        log.info("assigned partitions %s of %s", sorted(owned), settings.topic)
        pipeline.assign(owned)

    w.app.on_partitions_assigned.connect(on_assigned)  # type: ignore[arg-type]  # mode's stub misses async receivers


async def publish_changed_summaries(w: Worker) -> None:
    """Publish the buckets that changed since the last round, so every worker's global view follows.

    A clean stop interrupts a round: what was not sent stays marked changed, the last snapshot
    lists it, and the next owner of the partition publishes it.
    """
    summary_topic = w.topic(w.settings.summary_topic)
    async with w.summary_lock:
        restored = w.pipeline.joined and not w.pipeline.restoring
        failed = False
        for aggregation in w.pipeline.aggregations():
            changed = aggregation.take_changed()
            if not changed:
                continue
            sent, order = [], sorted(changed)
            try:
                for i, bucket in enumerate(order):
                    if w.stopping:
                        aggregation.unpublished(set(order[i:]))
                        break
                    for key, value in summaries_of(aggregation, {bucket}):
                        sent.append(await summary_topic.send(key=key, value=value))
                await asyncio.gather(*sent)
                aggregation.published(changed)
            except Exception:
                failed = True
                aggregation.unpublished(changed)  # sent again on the next round (or by the next owner)
                if w.stopping:
                    return
                log.exception("publishing %d summaries failed; will retry", len(changed))
        if not failed:
            w.view_sync.published(at=time.monotonic(), restored=restored)  # every restored bucket is on the topic


def setup_summaries(w: Worker) -> None:
    """Publish changed buckets to the summaries topic, and follow it into the global view."""

    pace = {"next": 0.0}

    @w.app.timer(w.settings.summary_interval_s)
    async def publish_summaries() -> None:
        """Publish the buckets that changed, so every worker's global view follows.

        With many departments (a national deployment catching up) a round can take seconds; the
        next one waits SUMMARY_BACKOFF times as long, so summaries take at most about a fifth of the
        worker's time and counting and /metrics stay responsive. Nothing is lost: changed buckets
        wait in `changed`.
        """
        began = time.monotonic()
        if w.stopping or began < pace["next"]:
            return  # stopping: the producer stops soon and the last snapshot lists what was not published
        await publish_changed_summaries(w)
        pace["next"] = time.monotonic() + SUMMARY_BACKOFF * (time.monotonic() - began)

    @w.app.task
    async def follow_summaries() -> None:
        while True:
            try:
                polled_at = time.monotonic()
                async for chunk in w.reader.follow(w.settings.summary_topic, idle=True):
                    if not chunk:  # nothing new since the poll began: the view holds all that was on the topic
                        w.view_sync.fetched_nothing(polled_at=polled_at)
                    for record in chunk:
                        w.global_view.apply(record.key, record.value)
                    polled_at = time.monotonic()  # the generator fetches again when resumed
            except Exception:
                log.exception("following %s failed; retrying in 5 s", w.settings.summary_topic)
                await asyncio.sleep(5)

    @w.app.service
    class ReaderCloser(faust.Service):
        async def on_stop(self) -> None:
            await w.reader.close()


def department_labels(settings: Settings, targets: tuple[TargetFile, ...]) -> DepartmentLabels:
    """The label budget of departments; those named in target scopes and KOMHEN_DEPARTMENTS are declared."""
    scoped = {(tf.municipality, d) for tf in targets for t in tf.targets for d in t.scope if d != ALL_DEPARTMENTS}
    return DepartmentLabels(
        max_departments=settings.series_budget.departments,
        max_municipalities=settings.max_municipalities,
        declared=scoped | set(settings.department_list),
        declared_municipalities={tf.municipality for tf in targets},
    )


def setup_metrics(w: Worker, targets: tuple[TargetFile, ...], departments: DepartmentLabels) -> FigureKeeper:
    """Collectors of state, targets and the worker itself, served at /metrics."""
    settings, pipeline, registry = w.settings, w.pipeline, w.registry
    # A counter's `_created` series doubles komhen_inquiries_total (a series per department and
    # channel) and nothing reads it: Prometheus takes a counter's start from its resets.
    disable_created_metrics()
    state = FigureKeeper(
        pipeline.aggregations,
        clock=settings.clock,
        municipality_view=w.municipality_view,
        departments=departments,
        league_min_inquiries=settings.league_min_inquiries,
        department_series=settings.series_budget.series,
    )
    register_state(registry, state.current)
    registry.register(TargetCollector(TargetProgress(targets, w.municipality_view, state.reference_day).current))

    def consumer_lag() -> dict[tuple[str, int], int]:
        """High-watermark (as the consumer last fetched it) minus what the state covers."""
        lag = {}
        for partition, slot in list(pipeline.slots.items()):
            if slot.next_offset is None:
                continue
            try:
                highwater = w.app.consumer.highwater(TP(settings.topic, partition))
            except Exception:  # not fetched yet, or mid-rebalance: no figure rather than a wrong one
                continue
            lag[(settings.topic, partition)] = max(0, (highwater or 0) - slot.next_offset)
        return lag

    registry.register(
        WorkerCollector(
            lambda: len(pipeline.slots),
            lambda: len(pipeline.restoring),
            lambda: sum(s.restored_records for s in list(pipeline.slots.values())),
            consumer_lag,
            stalled=lambda: stalled_partitions(w, consumer_lag()),
        )
    )
    w.lag = consumer_lag
    ProcessCollector(registry=registry)

    @w.app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        return web.bytes(exposition(registry), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    return state


def stalled_partitions(w: Worker, lag: Mapping[tuple[str, int], int]) -> dict[tuple[str, int], float]:
    """Seconds each owned partition has had records waiting without counting one."""
    now = time.monotonic()
    topic = w.settings.topic
    return {
        (topic, partition): slot.stalled_for(lag.get((topic, partition)), now)
        for partition, slot in list(w.pipeline.slots.items())
    }


def setup_maintenance(w: Worker, state: FigureKeeper) -> None:
    """Drop buckets past the retention every hour; seal settled days every minute."""

    @w.app.timer(PRUNE_INTERVAL_S)
    async def prune() -> None:
        aggregations = w.pipeline.aggregations()
        ref = state.reference_time(aggregations)
        if ref is not None:
            dropped = sum(a.prune(local_day(ref, w.settings.tz)) for a in aggregations)
            if dropped:
                log.info("dropped %d day buckets older than %d days", dropped, w.settings.retention_days)

    @w.app.timer(COMPACT_INTERVAL_S)
    async def compact() -> None:
        """Seal yesterday's and older days: counts and identities into compact arrays."""
        for aggregation in w.pipeline.aggregations():
            compact_settled_days(aggregation)


def setup_logging(w: Worker) -> None:
    """Faust sets up its own log handlers when the worker starts: they get the rate limit too."""

    @w.app.task
    async def limit_repeated_log_lines() -> None:
        logs.install()


def setup_snapshots(w: Worker) -> None:
    """Snapshots of the owned partitions: every KOMHEN_SNAPSHOT_INTERVAL_S and at a clean stop.

    A clean stop (SIGTERM, SIGINT) writes the last snapshot (with the summaries not yet
    published) before the consumer leaves the group, so the next owner starts from it at once.
    """
    pipeline, settings = w.pipeline, w.settings
    if w.snapshots is None:
        return
    snapshots: Snapshots = w.snapshots
    w.registry.register(RestoreCollector(lambda: snapshots.figures(pipeline.slots)))

    async def on_revoked(sender: Any, revoked: set[Any], **kwargs: Any) -> None:
        """Writes in flight must not commit once another worker may own their partition."""
        snapshots.revoked()
        try:
            async with asyncio.timeout(settings.session_timeout_s / 2):
                async with snapshots.writing:
                    pass
        except TimeoutError:
            log.warning("a snapshot write was still running at a rebalance; it will not commit")

    w.app.on_partitions_revoked.connect(on_revoked)  # type: ignore[arg-type]  # mode's stub misses async receivers

    @w.app.service
    class SnapshotWriter(faust.Service):
        """Writes snapshots while the worker runs, and once more when it stops."""

        async def on_stop(self) -> None:
            w.stopping = True
            async with w.summary_lock:  # a round of summaries in flight stops; the snapshot lists the rest
                pass
            if settings.snapshots:
                started = asyncio.get_running_loop().time()
                written = await snapshots.write_all(pipeline.slots)
                log.info(
                    "stopping: snapshot of partitions %s written (%d bytes, %.1f s)",
                    sorted(p for p, s in pipeline.slots.items() if s.ready.is_set()),
                    written,
                    asyncio.get_running_loop().time() - started,
                )
            await snapshots.close()

        @faust.Service.task
        async def _periodic(self) -> None:
            if not settings.snapshots:
                return
            while not self.should_stop:
                with contextlib.suppress(TimeoutError):  # or at once after a full replay: no snapshot yet
                    await asyncio.wait_for(snapshots.wanted.wait(), timeout=settings.snapshot_interval_s)
                snapshots.wanted.clear()
                if not self.should_stop and not w.stopping:
                    await snapshots.write_all(pipeline.slots)


def setup_health(w: Worker) -> None:
    """/health: one word for load balancers and people, and the figures behind it; a broker watch."""
    pipeline = w.pipeline
    broker = BrokerWatch(w.settings.bootstrap_servers, log)

    @w.app.timer(BROKER_CHECK_INTERVAL_S)
    async def watch_broker() -> None:
        await broker.check()

    @w.app.page("/health")
    async def health_page(web: Any, request: Any) -> Any:
        restoring = pipeline.restoring
        newest = newest_event(pipeline.aggregations())
        reachable = await broker.check()
        stalled = sorted(p for (_, p), s in stalled_partitions(w, w.lag()).items() if s >= STALLED_AFTER_S)
        catching_up = w.exports_municipality and not w.view_whole  # `_all` is not whole yet: not exported
        body = {
            "status": health_status(
                restoring=bool(restoring) or catching_up,
                reachable=reachable,
                joined=pipeline.joined,
                stalled=bool(stalled),
            ),
            "broker": "reachable" if reachable else "unreachable",
            "events": dict(pipeline.metrics.outcomes),  # received by this process since it started
            "partitions": sorted(pipeline.slots),
            "restoring": restoring,
            "stalled": stalled,
            "municipality": ("whole" if w.view_whole else "catching_up") if w.exports_municipality else "not_exported",
            "newest_event": newest.isoformat() if newest else None,
            **restore_health(w),
        }
        return web.json(body, status=200)


def setup_report_page(w: Worker, state: FigureKeeper) -> None:
    """`/`: the status report of the last 28 days, from the whole municipality's view (every worker follows it)."""
    settings = w.settings
    inputs = LiveInputs(
        targets=load_target_files(settings.target_files),
        units=load_units(Path(settings.report_units)) if settings.report_units else None,
        reference=load_reference(Path(settings.report_reference)) if settings.report_reference else None,
        league_min_inquiries=settings.league_min_inquiries,
    )
    cache: dict[object, Page] = {}

    @w.app.page("/")
    async def status_page(web: Any, request: Any) -> Any:
        view = w.global_view.aggregation
        whole = bool(view.buckets)
        aggregations = [view] if whole else w.pipeline.aggregations()
        ref = state.reference_time(aggregations)
        ref_day = None if ref is None else local_day(ref, settings.tz)
        municipality = request.query.get("kommune") or None
        key = (municipality, ref_day, whole, tuple((id(a), a.version) for a in aggregations))
        page = cache.get(key)
        if page is None:
            source = SOURCE_COUNTED if whole else SOURCE_IN_PART
            page = live_page(
                aggregations,
                municipality=municipality,
                ref_day=ref_day,
                inputs=inputs,
                now=datetime.now(settings.tz),
                source=source,
            )
            cache.clear()
            cache[key] = page
        return web.html(page.html, status=page.status)


def restore_health(w: Worker) -> dict[str, Any]:
    """/health's restore figures per owned partition: path (snapshot, full_replay, none), events, bytes."""
    if w.snapshots is None:
        return {}
    figures = w.snapshots.figures(w.pipeline.slots)
    return {
        "restore": {
            str(p): {"path": f.path, "reason": f.reason, "events": f.events, "snapshot_bytes": f.snapshot_bytes}
            for p, f in figures.items()
        },
        "snapshots": {
            "interval_s": w.settings.snapshot_interval_s,
            "written": {
                str(p): datetime.fromtimestamp(f.snapshot_at, UTC).isoformat()
                for p, f in figures.items()
                if f.snapshot_at is not None
            },
            "behind": {str(p): f.behind for p, f in figures.items() if f.behind is not None},
        },
    }


def run_worker(settings: Settings, loglevel: str) -> int:
    """Create the topics if needed and count until SIGINT or SIGTERM."""
    quiet_kafka_client_logs()
    ensure_topics(settings)
    app, _ = create_app(settings)
    worker = faust.Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()
    return 0
