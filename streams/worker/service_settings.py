"""The small settings of the worker's services, all derived from Settings here, in one place.

Each service takes the few values it reads, frozen: what a service depends on shows in its
constructor, and a test builds one without the forty fields of Settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from streams.documents.settings import InputTopic, KafkaConnection, Settings
from streams.documents.source_registry import source_registry
from streams.domain.organisation.source_registry import SourceRegistry


@dataclass(frozen=True)
class CountingSettings:
    """What counting reads: the input topic and its batches, the state's time zone and retention, and
    what a message may be (its size, its age, and which municipalities its source may write for)."""

    topic: str
    partitions: int
    batch_max: int
    batch_within_s: float
    tz: ZoneInfo
    retention_days: int
    too_old_after: timedelta | None
    max_message_bytes: int
    sources: SourceRegistry


@dataclass(frozen=True)
class SummarySettings:
    """The summaries topic, how often changed buckets go to it, and the global view's time zone and retention."""

    topic: str
    interval_s: float
    tz: ZoneInfo
    retention_days: int
    input_partitions: int  # where each municipality's inquiries are counted (messages are keyed by municipality)


@dataclass(frozen=True)
class SnapshotSettings:
    """The snapshot topic, how often snapshots are written (0: never), what a loaded snapshot becomes."""

    topic: str
    interval_s: float
    tz: ZoneInfo
    retention_days: int
    input_retention_days: int  # named in the log line of a snapshot that cannot be used
    rebalance_wait_s: float  # how long a rebalance waits for a write in flight
    bootstrap_servers: str  # a stop writes no last snapshot when they do not answer
    stop_wait_s: float  # how long a stop waits for the round of summaries in flight, and for the last snapshot

    @property
    def enabled(self) -> bool:
        return self.interval_s > 0


@dataclass(frozen=True)
class HealthSettings:
    """Which brokers /health watches, and the snapshot interval it reports and judges staleness by."""

    bootstrap_servers: str
    snapshot_interval_s: float


@dataclass(frozen=True)
class TopicWatchSettings:
    """How often the worker looks for topics the broker lost, and how long a write to the broker may take.

    Both follow the session timeout: the consumer group notices a lost broker within it, so looking
    twice as often has the topics back before the group counts again; a dead letter or a last snapshot
    that the broker has not taken within it is not taken (counted, logged) rather than holding counting
    or a stop for the Kafka client's own timeout (Faust's producer waits 20 minutes)."""

    bootstrap_servers: str
    interval_s: float
    write_timeout_s: float

    @classmethod
    def of(cls, s: Settings) -> TopicWatchSettings:
        return cls(s.bootstrap_servers, max(1.0, s.session_timeout_s / 2), s.session_timeout_s)


@dataclass(frozen=True)
class MetricsSettings:
    """The window clock and what /metrics exports: the label budget, the league, the series per department."""

    clock: str
    league_min_inquiries: int
    department_series: str  # full | lean, as the series budget says (Settings.series_budget)
    sources: tuple[str, ...]
    departments: tuple[tuple[str, str], ...]  # declared municipality/department pairs
    max_departments: int  # per municipality, as the series budget holds
    max_municipalities: int


@dataclass(frozen=True)
class WebSettings:
    """The status report at `/`: the time zone its days end in."""

    tz: ZoneInfo


@dataclass(frozen=True)
class WorkerSettings:
    """Every service's settings, and the Kafka clients' topics."""

    input: InputTopic
    dead_letter_topic: str
    counting: CountingSettings
    summaries: SummarySettings
    snapshots: SnapshotSettings
    health: HealthSettings
    topics: TopicWatchSettings
    metrics: MetricsSettings
    web: WebSettings

    @property
    def connection(self) -> KafkaConnection:
        return self.input.connection

    @classmethod
    def of(cls, s: Settings) -> WorkerSettings:
        """The one place where the worker reads Settings (besides Faust's own configuration); the sources
        registry is read here too, so a worker holds every record to the file it started with."""
        return cls(
            input=s.input_topic,
            dead_letter_topic=s.dead_letter_topic,
            counting=CountingSettings(
                topic=s.topic,
                partitions=s.partitions,
                batch_max=s.batch_max,
                batch_within_s=s.batch_within_s,
                tz=s.tz,
                retention_days=s.retention_days,
                too_old_after=s.too_old_after,
                max_message_bytes=s.max_message_bytes,
                sources=source_registry(s),
            ),
            summaries=SummarySettings(s.summary_topic, s.summary_interval_s, s.tz, s.retention_days, s.partitions),
            snapshots=SnapshotSettings(
                topic=s.snapshot_topic,
                interval_s=s.snapshot_interval_s,
                tz=s.tz,
                retention_days=s.retention_days,
                input_retention_days=s.input_retention_days,
                rebalance_wait_s=s.session_timeout_s / 2,
                bootstrap_servers=s.bootstrap_servers,
                # a stop ends within this twice and Faust's own leave (a broker that went away holds every write)
                stop_wait_s=s.session_timeout_s,
            ),
            health=HealthSettings(s.bootstrap_servers, s.snapshot_interval_s),
            topics=TopicWatchSettings.of(s),
            metrics=MetricsSettings(
                clock=s.clock,
                league_min_inquiries=s.league_min_inquiries,
                department_series=s.series_budget.series,
                sources=tuple(s.source_list),
                departments=tuple(s.department_list),
                max_departments=s.series_budget.departments,
                max_municipalities=s.max_municipalities,
            ),
            web=WebSettings(s.tz),
        )
