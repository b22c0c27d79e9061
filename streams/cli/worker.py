"""`komhen worker`: a counting worker against KAFKA_BOOTSTRAP_SERVERS."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from streams.cli.common import TARGETS, add_topic, free_port, port_number, require_kafka, shipped_or_path
from streams.documents.settings import Settings
from streams.telemetry import logs


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "worker",
        help="run a counting worker against KAFKA_BOOTSTRAP_SERVERS",
        description="Consumes the input topic in the consumer group KOMHEN_GROUP_ID, keeps day buckets per "
        "department, and serves /metrics and /health on the web port. Run several for more throughput.",
    )
    parser.add_argument(
        "--web-port", type=port_number, help="port for /metrics and /health (env KOMHEN_WEB_PORT, default 6066)"
    )
    parser.add_argument("--web-host", help="address to listen on (env KOMHEN_WEB_HOST, default 127.0.0.1)")
    parser.add_argument(
        "--clock", choices=["wall", "event"], help="window end: wall clock or newest event (KOMHEN_CLOCK)"
    )
    parser.add_argument(
        "--targets",
        nargs="+",
        type=shipped_or_path(TARGETS),
        metavar="FILE",
        help="target files to track, or shipped ones by name (KOMHEN_TARGETS)",
    )
    parser.add_argument("--loglevel", default="info", choices=["debug", "info", "warn", "error"])
    add_topic(parser)
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.broker.clients import quiet_kafka_client_logs
    from streams.broker.topics import ensure_topics
    from streams.documents.source_registry import source_registry
    from streams.worker.app import run_worker

    free_port(settings.web_port, settings.web_host, "--web-port")  # before Kafka: a busy port stops nothing midway
    source_registry(settings)  # so is a sources registry that cannot be used (the worker reads it again)
    logging.basicConfig(level=args.loglevel.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logs.install()
    settings = require_kafka(settings)
    quiet_kafka_client_logs()
    ensure_topics(settings)  # before the worker joins: a topic with another partition count is refused here
    return run_worker(settings, args.loglevel)
