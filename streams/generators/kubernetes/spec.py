"""What a Kubernetes deployment of komhen-live is made of, beside the workers' own settings.

The workers' settings (topics, partitions, retention, consumer group, snapshot interval) come from
streams.documents.settings, as everywhere else; this holds what only a cluster has: the namespace, the image,
the Strimzi cluster and how clients authenticate to it, the kube-prometheus-stack release, and
the sizing of each component (from the figures in docs/production.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from streams import __version__
from streams.contract.errors import UnusableInput
from streams.contract.texts import text

AUTHENTICATIONS = ("scram-sha-512", "tls")  # Strimzi KafkaUser spec.authentication.type
_NAME = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z")  # an RFC 1123 label
_LABEL_KEY = re.compile(r"([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?\Z")
_LABEL_VALUE = re.compile(r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?\Z")
PART_OF = "komhen-live"
WORKER = "komhen-worker"  # also the Prometheus job of the workers (streams/contract/names.py)
INGEST = "komhen-ingest"
WEB_PORT = 6066
INGEST_PORT = 8080
KAFKA_TLS_PORT = 9093  # Strimzi's internal listener with TLS, by convention


class KubernetesSettingsError(UnusableInput):
    """A namespace, name or label a cluster would refuse."""


@dataclass(frozen=True)
class Sizing:
    """A container's requests and limit. Memory from measured figures; no CPU limit (throttling a
    worker that catches up only makes it slower, and the request already reserves its share)."""

    cpu: str
    memory: str
    memory_limit: str


@dataclass(frozen=True)
class Profile:
    """How many workers and how large: one municipality, or many in one deployment."""

    name: str
    worker_replicas: int
    worker: Sizing
    env: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


# Figures: docs/production.md, "Sizing" (docs/performance.md and docs/scale.md, tests/benchmarks/).
ONE_MUNICIPALITY = Profile(
    name="en-kommune",
    worker_replicas=2,  # one counts the municipality's partition, the other takes over within the session timeout
    worker=Sizing(cpu="250m", memory="512Mi", memory_limit="1Gi"),  # 307-355 MiB RSS for 5 M events a year
)
MANY_MUNICIPALITIES = Profile(
    name="mange-kommuner",
    worker_replicas=4,  # 98 municipalities over the partitions: four workers share them
    worker=Sizing(cpu="1", memory="3Gi", memory_limit="4Gi"),  # ~3.0 GiB per worker of four, a national year
    env=MappingProxyType({"KOMHEN_DEPARTMENT_SERIES": "lean", "KOMHEN_MAX_DEPARTMENTS": "20"}),
)
INGEST_SIZING = Sizing(cpu="100m", memory="128Mi", memory_limit="256Mi")  # tests/benchmarks/ingest_memory.py


@dataclass(frozen=True)
class KubernetesSettings:
    """The cluster's side of a deployment; every name checked as the API server would."""

    namespace: str = "komhen"
    image: str = f"komhen-live:{__version__}"
    kafka_cluster: str = "kafka"  # the Strimzi Kafka resource (label strimzi.io/cluster)
    authentication: str = "scram-sha-512"
    monitoring_labels: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({"release": "kube-prometheus-stack"})
    )
    monitoring_namespace: str = "monitoring"  # where Prometheus runs: it alone may scrape the pods
    topic_replicas: int = 3
    min_insync_replicas: int = 2
    ingest_replicas: int = 2
    ingest_tokens_secret: str = "komhen-ingest-tokens"  # created by the operator, never generated
    ingest_metrics_secret: str = (
        "komhen-ingest-metrics"  # the metrics token (key `token`): the ingest's and Prometheus's
    )
    snapshot_keys_secret: str = "komhen-snapshot-keys"  # likewise: the keys the workers sign snapshots with
    profiles: tuple[Profile, ...] = (ONE_MUNICIPALITY, MANY_MUNICIPALITIES)

    def __post_init__(self) -> None:
        for what, name in (
            ("--namespace", self.namespace),  # named as the operator sets them: by flag, the Secrets by kind
            ("--kafka-cluster", self.kafka_cluster),
            ("--monitoring-namespace", self.monitoring_namespace),
            ("Secret", self.ingest_tokens_secret),
            ("Secret", self.ingest_metrics_secret),
            ("Secret", self.snapshot_keys_secret),
        ):
            if not _NAME.match(name):
                raise KubernetesSettingsError(text("kubernetes.name", what=what, name=repr(name)))
        if self.authentication not in AUTHENTICATIONS:
            raise KubernetesSettingsError(
                text(
                    "kubernetes.authentication",
                    choices=text("doc.or").join(AUTHENTICATIONS),
                    got=repr(self.authentication),
                )
            )
        for key, value in self.monitoring_labels.items():
            if not _LABEL_KEY.match(key) or not _LABEL_VALUE.match(value):
                raise KubernetesSettingsError(text("kubernetes.label", label=f"{key}={value}"))
        if self.topic_replicas < 1 or not 1 <= self.min_insync_replicas <= self.topic_replicas:
            raise KubernetesSettingsError(text("kubernetes.insync"))

    @property
    def bootstrap_servers(self) -> str:
        """Strimzi's bootstrap Service of the cluster, on its TLS listener."""
        return f"{self.kafka_cluster}-kafka-bootstrap:{KAFKA_TLS_PORT}"

    @property
    def cluster_ca_secret(self) -> str:
        """The Secret Strimzi keeps the cluster CA's certificate in (key ca.crt)."""
        return f"{self.kafka_cluster}-cluster-ca-cert"


def labels(name: str, component: str) -> dict[str, str]:
    """The recommended labels (app.kubernetes.io/*) every object of a component carries."""
    return {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": PART_OF,
        "app.kubernetes.io/version": __version__,
    }


def selector(name: str) -> dict[str, str]:
    """The labels that pick a component's pods (immutable in a StatefulSet or Deployment: no version)."""
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": PART_OF}


def metadata(name: str, app: str, component: str) -> dict[str, object]:
    """An object's name and labels: `app` is the component's name (komhen-worker), or komhen-live for shared objects."""
    return {"name": name, "labels": labels(app, component)}
