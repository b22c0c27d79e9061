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
        help=text("help.kubernetes"),
        description=text("help.kubernetes.about"),
    )
    parser.add_argument(
        "target_files",
        nargs="+",
        type=shipped_or_path(TARGETS),
        metavar="TARGET_FILE",
        help=text("help.target_files"),
    )
    parser.add_argument(
        "--sources-registry",
        type=Path,
        required=True,
        metavar="FILE",
        help=text("help.kubernetes.sources_registry"),
    )
    parser.add_argument("--out", type=Path, default=Path("deploy/kubernetes"), help=text("help.kubernetes.out"))
    parser.add_argument("--namespace", default="komhen", help=text("help.kubernetes.namespace"))
    parser.add_argument("--kafka-cluster", default="kafka", help=text("help.kubernetes.kafka_cluster"))
    parser.add_argument(
        "--authentication",
        choices=("scram-sha-512", "tls"),
        default="scram-sha-512",
        help=text("help.kubernetes.authentication"),
    )
    parser.add_argument(
        "--monitoring-label",
        type=_label,
        action="append",
        metavar="KEY=VALUE",
        help=text("help.kubernetes.monitoring_label"),
    )
    parser.add_argument(
        "--monitoring-namespace", default="monitoring", help=text("help.kubernetes.monitoring_namespace")
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
