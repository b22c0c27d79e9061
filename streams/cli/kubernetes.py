"""`komhen kubernetes`: manifests for a cluster with Strimzi and kube-prometheus-stack (kustomize base, overlays)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from streams.cli.common import TARGETS, input_file, output_folder, shipped_or_path
from streams.contract.errors import UnusableInput
from streams.contract.texts import text
from streams.documents.settings import Settings


def _label(value: str) -> tuple[str, str]:
    key, sep, label = value.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(text("type.not_key_value", value=value))
    return key, label


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "kubernetes",
        help="Kubernetes manifests: workers, ingest, Strimzi topics and users, monitors, rules, dashboards",
        description="Writes a kustomize base and two overlays (en-kommune, mange-kommuner) from the settings "
        "(KOMHEN_TOPIC, KOMHEN_PARTITIONS, retention …) and the target files: the same rules and dashboards as "
        "`komhen rules generate` and `komhen dashboards build`. Apply with `kubectl apply -k OUT/overlays/NAME`; "
        "docs/production.md says what each object is for.",
    )
    parser.add_argument(
        "target_files",
        nargs="+",
        type=shipped_or_path(TARGETS),
        metavar="TARGET_FILE",
        help="target files, or shipped ones by name (ishoej, albertslund, …)",
    )
    parser.add_argument(
        "--sources-registry",
        type=Path,
        required=True,
        metavar="FILE",
        help="which municipalities each source may write for (schemas/source-registry.v1.json, e.g. "
        "deploy/sources-registry.yaml): a ConfigMap the workers and the ingest read, and a KafkaUser per source",
    )
    parser.add_argument("--out", type=Path, default=Path("deploy/kubernetes"), help="folder to write to")
    parser.add_argument("--namespace", default="komhen", help="namespace of every object (default komhen)")
    parser.add_argument("--kafka-cluster", default="kafka", help="the Strimzi Kafka resource's name (default kafka)")
    parser.add_argument(
        "--authentication",
        choices=("scram-sha-512", "tls"),
        default="scram-sha-512",
        help="how each component authenticates to Kafka (KafkaUser), over TLS either way (default scram-sha-512)",
    )
    parser.add_argument(
        "--monitoring-label",
        type=_label,
        action="append",
        metavar="KEY=VALUE",
        help="label of the PrometheusRules and monitors, for kube-prometheus-stack's selectors "
        "(default release=kube-prometheus-stack; repeat for more)",
    )
    parser.add_argument(
        "--monitoring-namespace", default="monitoring", help="namespace Prometheus scrapes from (default monitoring)"
    )
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.generators.kubernetes import KubernetesSettings, write_manifests

    if any(str(p) == "-" for p in args.target_files):
        raise UnusableInput(text("kubernetes.stdin"))
    target_files = [input_file(p, shipped=TARGETS) for p in args.target_files]
    options: dict[str, Any] = {
        "namespace": args.namespace,
        "kafka_cluster": args.kafka_cluster,
        "authentication": args.authentication,
        "monitoring_namespace": args.monitoring_namespace,
    }
    if args.monitoring_label:
        options["monitoring_labels"] = dict(args.monitoring_label)
    registry = input_file(args.sources_registry)
    out = output_folder(args.out)
    for path in write_manifests(settings, KubernetesSettings(**options), target_files, registry, out):
        print(text("output.wrote", path=path))
    return 0
