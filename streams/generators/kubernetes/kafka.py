"""Strimzi's objects: every topic as a KafkaTopic, every component as a KafkaUser with the least ACLs.

Topics and their configuration come from streams.broker.topics (what the worker would create itself);
the worker is told not to declare topics (Faust's topic_allow_declare=False), so the cluster owns them.
ACLs follow what each client does (streams/broker, streams/ingress): a source writes the input topic
and nothing else; the readers of `komhen export` and `komhen report` read the summaries.

The sources with a KafkaUser are exactly those of the sources registry (but the simulator: production does
not simulate), the registry the workers hold every event to: a source the registry drops loses its Kafka
access with its events. Kafka's ACLs are per topic, not per record: a principal that may write the input
topic could put another registered source's name in its events, and no worker can tell. So a source gets a
KafkaUser only if it is trusted with every municipality the registry lists; a municipality's own systems
write through the ingest, whose token binds the source and its municipalities.
"""

from __future__ import annotations

import re
from typing import Any

from streams.broker.topics import TopicSpec, faust_internal_topics, topic_specs
from streams.documents.settings import Settings
from streams.domain.organisation.source_registry import SourceRegistry
from streams.generators.kubernetes.spec import INGEST, PART_OF, WORKER, KubernetesSettings, labels

Obj = dict[str, Any]
KAFKA_API = "kafka.strimzi.io/v1"
READER = "komhen-reader"
SOURCE_PREFIX = "komhen-source-"


def resource_name(topic: str) -> str:
    """A Kubernetes name for a topic: Faust's `__` and other characters a name may not hold become '-'."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", topic.lower())).strip("-")


def kafka_topic(spec: TopicSpec, k8s: KubernetesSettings) -> Obj:
    name = resource_name(spec.name)
    body: Obj = {"partitions": spec.partitions, "replicas": k8s.topic_replicas}
    if name != spec.name:
        body["topicName"] = spec.name  # Faust's internal names hold `__`, which a resource name may not
    body["config"] = {**spec.config, "min.insync.replicas": str(k8s.min_insync_replicas)}
    return {
        "apiVersion": KAFKA_API,
        "kind": "KafkaTopic",
        "metadata": {"name": name, "labels": {**labels(PART_OF, "kafka"), "strimzi.io/cluster": k8s.kafka_cluster}},
        "spec": body,
    }


def kafka_topics(settings: Settings, k8s: KubernetesSettings) -> list[Obj]:
    """The input, dead letters, summaries and snapshots, and Faust's leader topic."""
    return [kafka_topic(spec, k8s) for spec in [*topic_specs(settings), *faust_internal_topics(settings)]]


def _acl(kind: str, name: str, *operations: str) -> Obj:
    return {"resource": {"type": kind, "name": name, "patternType": "literal"}, "operations": list(operations)}


def kafka_user(name: str, acls: list[Obj], k8s: KubernetesSettings) -> Obj:
    return {
        "apiVersion": KAFKA_API,
        "kind": "KafkaUser",
        "metadata": {"name": name, "labels": {**labels(name, "kafka-user"), "strimzi.io/cluster": k8s.kafka_cluster}},
        "spec": {
            "authentication": {"type": k8s.authentication},
            "authorization": {"type": "simple", "acls": acls},
        },
    }


def kafka_users(settings: Settings, registry: SourceRegistry, k8s: KubernetesSettings) -> list[Obj]:
    """One user per component, each with only what it does.

    worker: reads the input (Faust's consumer group, and the group's committed offsets for a restore), reads
    and writes summaries and snapshots, writes dead letters, uses Faust's leader topic, describes the input's
    configuration (it warns when the retention differs). ingest and each source: writes the input (an
    idempotent producer needs Write on the topic, KIP-679). reader: reads the summaries.
    """
    leader = faust_internal_topics(settings)[0].name
    worker = [
        _acl("topic", settings.topic, "Read", "Describe", "DescribeConfigs"),
        _acl("topic", settings.dead_letter_topic, "Write", "Describe"),
        _acl("topic", settings.summary_topic, "Read", "Write", "Describe"),
        _acl("topic", settings.snapshot_topic, "Read", "Write", "Describe"),
        _acl("topic", leader, "Read", "Write", "Describe"),
        _acl("group", settings.group_id, "Read", "Describe"),
    ]
    writer = [_acl("topic", settings.topic, "Write", "Describe")]
    sources = [s for s in registry.sources if s != "simulator"]  # production does not simulate
    return [
        kafka_user(WORKER, worker, k8s),
        kafka_user(INGEST, writer, k8s),
        *(kafka_user(f"{SOURCE_PREFIX}{resource_name(s)}", writer, k8s) for s in sources),
        kafka_user(READER, [_acl("topic", settings.summary_topic, "Read", "Describe")], k8s),
    ]
