"""The pods: the worker (StatefulSet), the ingest (Deployment, Service), their settings, disruption
budgets and network policies. Pure functions from settings to objects.

Why a StatefulSet for the worker: its state lives in Kafka (snapshots and the input topic), not on a
volume, but a StatefulSet replaces its pods one at a time, stopping the old before the new starts,
so a partition moves once per rollout (a Deployment's surge would rebalance twice), and stable pod
names keep Prometheus's `instance` labels, and so the series, across restarts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streams.documents.settings import Settings
from streams.generators.kubernetes.spec import (
    INGEST,
    INGEST_PORT,
    INGEST_SIZING,
    KAFKA_TLS_PORT,
    PART_OF,
    WEB_PORT,
    WORKER,
    KubernetesSettings,
    Sizing,
    metadata,
    selector,
)

Obj = dict[str, Any]
UID = 10001  # the image's user (Dockerfile)
TARGETS_DIR = "/etc/komhen/targets"
KAFKA_CA_DIR = "/etc/komhen/kafka/ca"
KAFKA_USER_DIR = "/etc/komhen/kafka/user"
TOKENS_DIR = "/etc/komhen/ingest"
METRICS_TOKEN_DIR = "/etc/komhen/ingest-metrics"
SOURCES_DIR = "/etc/komhen/sources"
SNAPSHOT_KEYS_DIR = "/etc/komhen/snapshot-keys"
SETTINGS = "komhen-settings"
TARGETS = "komhen-targets"
SOURCES = "komhen-sources"


def settings_config_map(settings: Settings, k8s: KubernetesSettings, target_files: list[Path]) -> Obj:
    """The settings every component shares, as environment variables; nothing secret."""
    tls = "SSL" if k8s.authentication == "tls" else "SASL_SSL"
    data: dict[str, str] = {
        "KAFKA_BOOTSTRAP_SERVERS": k8s.bootstrap_servers,
        "KAFKA_SECURITY_PROTOCOL": tls,
        "KAFKA_SSL_CAFILE": f"{KAFKA_CA_DIR}/ca.crt",
        "KOMHEN_TOPIC": settings.topic,
        "KOMHEN_PARTITIONS": str(settings.partitions),
        "KOMHEN_REPLICATION_FACTOR": str(k8s.topic_replicas),
        "KOMHEN_GROUP_ID": settings.group_id,
        "KOMHEN_CLOCK": settings.clock,
        "KOMHEN_TIMEZONE": settings.timezone,
        "KOMHEN_RETENTION_DAYS": str(settings.retention_days),
        "KOMHEN_INPUT_RETENTION_DAYS": str(settings.input_retention_days),
        "KOMHEN_SNAPSHOT_INTERVAL_S": f"{settings.snapshot_interval_s:g}",
        "KOMHEN_SOURCES": settings.sources,
        "KOMHEN_SOURCE_REGISTRY": f"{SOURCES_DIR}/sources.yaml",  # the workers' and the ingest's (tenancy)
        "KOMHEN_TARGETS": ",".join(f"{TARGETS_DIR}/{p.name}" for p in target_files),
        "KOMHEN_WEB_HOST": "0.0.0.0",  # the pod's address; the NetworkPolicy decides who reaches it
        "KOMHEN_DATA_DIR": "/data",
    }
    if k8s.authentication == "scram-sha-512":
        data["KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512"
    meta = metadata(SETTINGS, PART_OF, "settings")
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


def targets_config_map(target_files: list[Path]) -> Obj:
    """The target files the workers track, as they are in deploy/targets/ (the rules come from the same)."""
    data = {p.name: p.read_text(encoding="utf-8") for p in target_files}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(TARGETS, PART_OF, "targets"), "data": data}


def sources_config_map(registry_file: Path) -> Obj:
    """The sources registry (which municipalities each source may write for), as written: no secret in it."""
    data = {"sources.yaml": registry_file.read_text(encoding="utf-8")}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(SOURCES, PART_OF, "sources"), "data": data}


def _sources_volume() -> tuple[Obj, Obj]:
    mount = {"name": "sources", "mountPath": SOURCES_DIR, "readOnly": True}
    return mount, {"name": "sources", "configMap": {"name": SOURCES}}


def _kafka_credentials(user: str, k8s: KubernetesSettings) -> tuple[list[Obj], list[Obj], list[Obj]]:
    """Env, volume mounts and volumes that give a container its KafkaUser's credentials: the password
    (SCRAM) or certificate and key (mutual TLS) stay in the Secrets Strimzi's User Operator writes."""
    mounts = [{"name": "kafka-ca", "mountPath": KAFKA_CA_DIR, "readOnly": True}]
    volumes: list[Obj] = [
        {"name": "kafka-ca", "secret": {"secretName": k8s.cluster_ca_secret, "items": [_item("ca.crt")]}}
    ]
    env: list[Obj]
    if k8s.authentication == "tls":
        env = [
            {"name": "KAFKA_SSL_CERTFILE", "value": f"{KAFKA_USER_DIR}/user.crt"},
            {"name": "KAFKA_SSL_KEYFILE", "value": f"{KAFKA_USER_DIR}/user.key"},
        ]
        mounts.append({"name": "kafka-user", "mountPath": KAFKA_USER_DIR, "readOnly": True})
        items = [_item("user.crt"), _item("user.key")]
        volumes.append({"name": "kafka-user", "secret": {"secretName": user, "items": items}})
    else:
        env = [
            {"name": "KAFKA_SASL_USERNAME", "value": user},
            {"name": "KAFKA_SASL_PASSWORD", "valueFrom": {"secretKeyRef": {"name": user, "key": "password"}}},
        ]
    return env, mounts, volumes


def _item(key: str) -> Obj:
    return {"key": key, "path": key, "mode": 0o440}  # the pod's group (fsGroup) reads it, nobody else


def _container(
    name: str, image: str, args: list[str], port: tuple[str, int], sizing: Sizing, env: list[Obj], mounts: list[Obj]
) -> Obj:
    """A container as the cluster's policies want it: non-root, read-only root, no privileges, probes on /health."""
    probe = {"httpGet": {"path": "/health", "port": port[0]}, "timeoutSeconds": 5}
    return {
        "name": name,
        "image": image,  # `kustomize edit set image komhen-live=REGISTRY/komhen-live:TAG` in an overlay
        "command": ["komhen"],
        "args": args,
        "envFrom": [{"configMapRef": {"name": SETTINGS}}],
        "env": env,
        "ports": [{"name": port[0], "containerPort": port[1], "protocol": "TCP"}],
        "resources": {
            "requests": {"cpu": sizing.cpu, "memory": sizing.memory},
            "limits": {"memory": sizing.memory_limit},
        },
        # A full replay may take minutes before the first answer is due; after that /health answers 200
        # whatever it reports (restoring, joining, stalled), so only a hung process is restarted.
        "startupProbe": {**probe, "periodSeconds": 10, "failureThreshold": 60},
        "livenessProbe": {**probe, "periodSeconds": 20, "failureThreshold": 3},
        "readinessProbe": {**probe, "periodSeconds": 10, "failureThreshold": 3},
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": UID,
            "runAsGroup": UID,
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumeMounts": [
            *mounts,
            {"name": "data", "mountPath": "/data"},  # KOMHEN_DATA_DIR: Faust's data folder
            {"name": "tmp", "mountPath": "/tmp"},
        ],
    }


def _pod_spec(container: Obj, volumes: list[Obj], grace_s: int) -> Obj:
    return {
        "automountServiceAccountToken": False,  # nothing here talks to the Kubernetes API
        "enableServiceLinks": False,
        "terminationGracePeriodSeconds": grace_s,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": UID,
            "runAsGroup": UID,
            "fsGroup": UID,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container],
        "volumes": [
            *volumes,
            {"name": "data", "emptyDir": {"sizeLimit": "64Mi"}},
            {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}},
        ],
    }


def worker(settings: Settings, k8s: KubernetesSettings, sizing: Sizing, replicas: int) -> list[Obj]:
    """The workers: a headless Service (stable names, the PodMonitor's port) and the StatefulSet."""
    env, mounts, volumes = _kafka_credentials(WORKER, k8s)
    mounts.append({"name": "targets", "mountPath": TARGETS_DIR, "readOnly": True})
    volumes.append({"name": "targets", "configMap": {"name": TARGETS}})
    mount, volume = _sources_volume()
    mounts.append(mount)
    volumes.append(volume)
    # The keys snapshots are signed with, one per line, the one to write with first
    # (docs/exact-counts.md, Snapshot keys).
    env.append({"name": "KOMHEN_SNAPSHOT_KEYS_FILE", "value": f"{SNAPSHOT_KEYS_DIR}/keys"})
    mounts.append({"name": "snapshot-keys", "mountPath": SNAPSHOT_KEYS_DIR, "readOnly": True})
    volumes.append(
        {"name": "snapshot-keys", "secret": {"secretName": k8s.snapshot_keys_secret, "items": [_item("keys")]}}
    )
    container = _container("worker", k8s.image, ["worker"], ("web", WEB_PORT), sizing, env, mounts)
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(WORKER, WORKER, "worker"),
        "spec": {
            "clusterIP": "None",
            "selector": selector(WORKER),
            "ports": [{"name": "web", "port": WEB_PORT, "targetPort": "web", "protocol": "TCP"}],
        },
    }
    template_meta = {"labels": metadata(WORKER, WORKER, "worker")["labels"]}
    stateful_set = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": metadata(WORKER, WORKER, "worker"),
        "spec": {
            "serviceName": WORKER,
            "replicas": replicas,
            "podManagementPolicy": "Parallel",  # a new replica joins the group at once; no order is needed
            "updateStrategy": {"type": "RollingUpdate"},
            "selector": {"matchLabels": selector(WORKER)},
            # A clean stop writes the last snapshot before leaving the group (the first after a full replay
            # holds every day): give it a minute.
            "template": {"metadata": template_meta, "spec": _pod_spec(container, volumes, 60)},
        },
    }
    return [service, stateful_set, _disruption_budget(WORKER, "worker", {"maxUnavailable": 1})]


def ingest(k8s: KubernetesSettings) -> list[Obj]:
    """The HTTP ingest: a Deployment behind a Service, each source's bearer token in a Secret it reads, the metrics
    token in another (Prometheus reads that one too), the sources registry its tokens are checked against."""
    env, mounts, volumes = _kafka_credentials(INGEST, k8s)
    mounts.append({"name": "tokens", "mountPath": TOKENS_DIR, "readOnly": True})
    tokens = {"secretName": k8s.ingest_tokens_secret, "items": [_item("tokens.yaml")]}
    volumes.append({"name": "tokens", "secret": tokens})
    mounts.append({"name": "metrics-token", "mountPath": METRICS_TOKEN_DIR, "readOnly": True})
    volumes.append(
        {"name": "metrics-token", "secret": {"secretName": k8s.ingest_metrics_secret, "items": [_item("token")]}}
    )
    mount, volume = _sources_volume()
    mounts.append(mount)
    volumes.append(volume)
    args = [
        "ingest",
        "--host",
        "0.0.0.0",
        "--port",
        str(INGEST_PORT),
        "--tokens",
        f"{TOKENS_DIR}/tokens.yaml",
        "--metrics-token",
        f"{METRICS_TOKEN_DIR}/token",
    ]
    container = _container("ingest", k8s.image, args, ("http", INGEST_PORT), INGEST_SIZING, env, mounts)
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(INGEST, INGEST, "ingest"),
        "spec": {
            "selector": selector(INGEST),
            "ports": [{"name": "http", "port": INGEST_PORT, "targetPort": "http", "protocol": "TCP"}],
        },
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata(INGEST, INGEST, "ingest"),
        "spec": {
            "replicas": k8s.ingest_replicas,
            "selector": {"matchLabels": selector(INGEST)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": {
                "metadata": {"labels": metadata(INGEST, INGEST, "ingest")["labels"]},
                "spec": _pod_spec(container, volumes, 30),
            },
        },
    }
    return [service, deployment, _disruption_budget(INGEST, "ingest", {"minAvailable": 1})]


def _disruption_budget(name: str, component: str, budget: Obj) -> Obj:
    """A drained node takes at most one worker at a time (its partitions move once); one ingest always answers."""
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": metadata(name, name, component),
        "spec": {**budget, "selector": {"matchLabels": selector(name)}},
    }


def network_policies(k8s: KubernetesSettings) -> list[Obj]:
    """Who may reach the pods, and whom they may reach: Prometheus scrapes, sources post to the ingest,
    both talk to Kafka's brokers and DNS, nothing else."""
    dns = {
        "to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
    }
    brokers = {"strimzi.io/cluster": k8s.kafka_cluster, "strimzi.io/kind": "Kafka"}
    kafka = {
        "to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": brokers}}],
        "ports": [{"protocol": "TCP", "port": KAFKA_TLS_PORT}],
    }
    prometheus = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": k8s.monitoring_namespace}}}
    worker_ingress = [{"from": [prometheus], "ports": [{"protocol": "TCP", "port": WEB_PORT}]}]
    # Source systems post from wherever they run (an Ingress controller, another namespace, outside through a
    # load balancer): the port is open, the bearer token decides (and the metrics token for /metrics).
    ingest_ingress = [{"ports": [{"protocol": "TCP", "port": INGEST_PORT}]}]
    return [
        _policy(WORKER, "worker", worker_ingress, [dns, kafka]),
        _policy(INGEST, "ingest", ingest_ingress, [dns, kafka]),
    ]


def _policy(name: str, component: str, ingress: list[Obj], egress: list[Obj]) -> Obj:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": metadata(name, name, component),
        "spec": {
            "podSelector": {"matchLabels": selector(name)},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": ingress,
            "egress": egress,
        },
    }
