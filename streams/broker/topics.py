"""Create the topics the pipeline needs, explicitly, with the configured partitions.

Brokers that auto-create topics choose their own partition count, and a worker whose
topic layout differs from what it expects would place departments wrongly; so topics
are created up front and an existing topic with another partition count is an error.

The input topic keeps its records for KOMHEN_INPUT_RETENTION_DAYS: a worker restores its
state from the newest snapshot (`<topic>-snapshots`, compacted) and reads the input topic
only from the offset the snapshot covers. An existing topic keeps the retention it has
(lowering it is the operator's step, see docs/exact-counts.md); a worker says once when it differs.

A running worker also watches the topics (`TopicWatch`, run every half session timeout by
streams/worker/topic_keeper.py): a broker that lost its data (the embedded one keeps nothing
across a restart; a Kafka whose topics were deleted) has the pipeline's topics no more, or has
new ones of the same name (another topic id). The watch creates the missing ones again with the
layout topic_specs declares, or says in one sentence why it cannot (a cluster that declares its
topics and gives the worker no right to create them), and tells the worker which topics were
lost: it publishes every summary again, rebuilds its global view and says degraded on /health
until then (tests/integration/worker/test_reliability_broker_loss.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.partitioner.default import murmur2

from streams.broker.clients import BrokerUnavailable, client_options
from streams.broker.snapshot_topic import MAX_RECORD_BYTES
from streams.contract.errors import UnusableInput
from streams.contract.texts import Line, text
from streams.documents.settings import Settings
from streams.domain.events.inquiry import message_key

log = logging.getLogger(__name__)
DAY_MS = 24 * 3600 * 1000
SNAPSHOT_SEGMENT_MS = 6 * 3600 * 1000  # Kafka compacts only closed segments: close one every 6 hours


class TopicLayoutError(UnusableInput):
    """An existing topic does not have the layout the pipeline needs."""


@dataclass(frozen=True)
class TopicSpec:
    """A topic the pipeline needs: its name, partitions and the configuration it must have."""

    name: str
    partitions: int
    config: Mapping[str, str]


def topic_specs(settings: Settings) -> list[TopicSpec]:
    """Every topic of the pipeline, in one place: what ensure_topics creates, the compose file's kafka-init
    and the Kubernetes KafkaTopics declare."""
    return [
        # The broker stamps each record's arrival: event time is judged against a time no producer can forge
        # (domain/message_time.py; a broker that ignores it gets a bounded fallback).
        TopicSpec(
            settings.topic,
            settings.partitions,
            {"retention.ms": str(input_retention_ms(settings)), "message.timestamp.type": "LogAppendTime"},
        ),
        TopicSpec(
            settings.dead_letter_topic,
            settings.partitions,
            {"retention.ms": str((settings.retention_days + 7) * DAY_MS)},
        ),
        TopicSpec(settings.summary_topic, settings.partitions, {"cleanup.policy": "compact"}),
        # partition p holds the snapshots of input partition p
        TopicSpec(settings.snapshot_topic, settings.partitions, SNAPSHOT_TOPIC_CONFIG),
    ]


def faust_internal_topics(settings: Settings) -> list[TopicSpec]:
    """Faust's own topic: its leader assignor subscribes to `<app id>-__assignor-__leader` (one partition;
    faust/assignor/leader_assignor.py). The worker does not declare it (topic_allow_declare=False): a broker
    that auto-creates topics makes it, a cluster that declares its topics (Strimzi) must list it."""
    return [TopicSpec(f"{settings.group_id}-__assignor-__leader", 1, {})]


def ensure_topics(settings: Settings) -> None:
    """Create the pipeline's topics that are missing; check the partitions of the input and snapshot topics."""
    admin = _admin(settings)
    try:
        existing = set(admin.list_topics())
        if settings.topic in existing:
            check_input_retention(admin, settings)
        _create(admin, settings, [s for s in topic_specs(settings) if s.name not in existing])
        for description in admin.describe_topics([settings.topic, settings.snapshot_topic]):
            count = len(description["partitions"])
            if count != settings.partitions and _name(description) == settings.topic:
                raise TopicLayoutError(
                    text("kafka.partitions_input", topic=settings.topic, count=count, partitions=settings.partitions)
                )
            if count != settings.partitions:
                raise TopicLayoutError(
                    text(
                        "kafka.partitions_other",
                        topic=_name(description),
                        count=count,
                        input=settings.topic,
                        partitions=settings.partitions,
                    )
                )
    finally:
        admin.close()


def _create(admin: KafkaAdminClient, settings: Settings, specs: Iterable[TopicSpec]) -> list[str]:
    """Create topics of the pipeline with their specs; another worker creating them at the same moment is fine."""
    new = [NewTopic(s.name, s.partitions, settings.replication_factor, topic_configs=dict(s.config)) for s in specs]
    if not new:
        return []
    try:
        admin.create_topics(new)
        log.info(Line("log.topics_created", topics=", ".join(t.name for t in new)))
    except TopicAlreadyExistsError:
        pass  # another worker created them at the same moment
    return [t.name for t in new]


NO_TOPIC_ID = {"", "00000000-0000-0000-0000-000000000000", "AAAAAAAAAAAAAAAAAAAAAA"}  # a broker without topic ids


@dataclass(frozen=True)
class TopicLook:
    """What one look at the pipeline's topics found: those that vanished or were made anew since the last."""

    missing: tuple[str, ...] = ()  # not on the broker at this look
    created: tuple[str, ...] = ()  # of those, created again by this look
    replaced: tuple[str, ...] = ()  # there, but another topic than before (recreated by someone)
    problem: str = ""  # why the missing ones could not be created, for the log and /health

    @property
    def lost(self) -> tuple[str, ...]:
        """Topics whose records are gone: missing or replaced."""
        return tuple(sorted({*self.missing, *self.replaced}))


@dataclass
class TopicWatch:
    """Looks at the pipeline's topics by name and topic id (Kafka 2.8+, and the embedded broker, give ids).

    Blocking (kafka-python's admin client): a worker runs `look` in a thread, when the broker answers.
    """

    settings: Settings
    admin: Callable[[Settings], KafkaAdminClient] = field(default=lambda settings: _admin(settings))
    known: dict[str, str] = field(default_factory=dict)  # topic name -> the id seen last

    def look(self) -> TopicLook:
        specs = topic_specs(self.settings)
        admin = self.admin(self.settings)
        try:
            ids = _topic_ids(admin, [s.name for s in specs])
            missing = tuple(s.name for s in specs if s.name not in ids)
            created: tuple[str, ...] = ()
            problem = ""
            if missing:
                try:
                    created = tuple(_create(admin, self.settings, [s for s in specs if s.name in missing]))
                    ids.update(_topic_ids(admin, list(created)))
                except KafkaError as exc:
                    problem = text("log.topics_missing", topics=", ".join(missing), error=type(exc).__name__)
        finally:
            admin.close()
        replaced = tuple(
            name
            for name, topic_id in ids.items()
            if name not in missing and topic_id not in NO_TOPIC_ID and self.known.get(name, topic_id) != topic_id
        )
        self.known.update({name: topic_id for name, topic_id in ids.items() if topic_id not in NO_TOPIC_ID})
        return TopicLook(missing, created, replaced, problem)


def _topic_ids(admin: KafkaAdminClient, names: list[str]) -> dict[str, str]:
    """The id of each named topic the broker has (empty text for a broker without ids)."""
    present = set(admin.list_topics())
    wanted = [name for name in names if name in present]
    if not wanted:
        return {}
    return {_name(d): str(d.get("topic_id") or "") for d in admin.describe_topics(wanted) if not d.get("error_code")}


def _name(description: Mapping[str, object]) -> str:
    """A topic's name in describe_topics' answer (kafka-python 3 says `name`, earlier releases `topic`)."""
    return str(description.get("name", description.get("topic")))


SNAPSHOT_TOPIC_CONFIG = {
    "cleanup.policy": "compact",
    "segment.ms": str(SNAPSHOT_SEGMENT_MS),
    "max.message.bytes": str(MAX_RECORD_BYTES + 64 * 1024),
}


def input_retention_ms(settings: Settings) -> int:
    return settings.input_retention_days * DAY_MS


def check_input_retention(admin: KafkaAdminClient, settings: Settings) -> None:
    """Say once if an existing input topic keeps its records longer or shorter than the setting asks."""
    kafka_log = logging.getLogger("kafka")
    level, kafka_log.level = kafka_log.level, logging.CRITICAL  # a broker without the request drops the connection
    try:
        result = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, settings.topic)])
        configs = next(iter(result.values()))[settings.topic]  # {type: {name: {key: {"value": ...}}}}
        actual = int(configs["retention.ms"]["value"])
    except (KafkaError, LookupError, StopIteration, ValueError, TypeError, AttributeError):
        return  # not an override, or the broker does not describe topic configs (the embedded Tansu does not)
    finally:
        kafka_log.setLevel(level)
    wanted = input_retention_ms(settings)
    days, ms = actual / DAY_MS, str(wanted)  # milliseconds for kafka-configs.sh: no thousands separator
    if actual < wanted:
        log.warning(
            Line(
                "log.retention_short",
                topic=settings.topic,
                days=round(days, 1),
                wanted_days=settings.input_retention_days,
                wanted=ms,
            )
        )
    elif actual > wanted and settings.snapshots:
        log.info(
            Line(
                "log.retention_long",
                topic=settings.topic,
                days=round(days),
                wanted_days=settings.input_retention_days,
                wanted=ms,
            )
        )


def bounded_admin(timeout_s: float) -> Callable[[Settings], KafkaAdminClient]:
    """Admin clients that give up within about `timeout_s` (kafka-python waits 30 s to bootstrap, and again for
    each request): a worker's look at its topics must end soon when the broker goes away during it."""
    return lambda settings: _admin(settings, timeout_s)


def _admin(settings: Settings, timeout_s: float | None = None) -> KafkaAdminClient:
    bounds = {}
    if timeout_s is not None:
        ms = int(timeout_s * 1000)
        bounds = {"request_timeout_ms": ms, "bootstrap_timeout_ms": ms, "reconnect_backoff_max_ms": 1000}
    try:
        return KafkaAdminClient(client_id="komhen-admin", **client_options(settings.connection), **bounds)
    except KafkaError:
        raise BrokerUnavailable(text("kafka.unavailable", servers=settings.bootstrap_servers)) from None


def input_partition_of(municipality: str, partitions: int) -> int:
    """The input partition a municipality's messages land on: the producers' default partitioner
    (kafka-python's murmur2 of the message key, the municipality number) over `partitions`."""
    return (murmur2(message_key(municipality).encode()) & 0x7FFFFFFF) % partitions
