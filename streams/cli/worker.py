"""`komhen worker`: a counting worker against KAFKA_BOOTSTRAP_SERVERS."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from streams.cli.common import TARGETS, add_topic, free_port, port_number, require_kafka, shipped_or_path
from streams.contract.texts import text
from streams.documents.settings import Settings
from streams.telemetry import logs


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "worker",
        help=text("help.worker"),
        description=text("help.worker.about"),
    )
    parser.add_argument("--web-port", type=port_number, help=text("help.worker.web_port"))
    parser.add_argument("--web-host", help=text("help.worker.web_host"))
    parser.add_argument("--clock", choices=["wall", "event"], help=text("help.worker.clock"))
    parser.add_argument(
        "--targets",
        nargs="+",
        type=shipped_or_path(TARGETS),
        metavar="FILE",
        help=text("help.track_targets"),
    )
    parser.add_argument(
        "--loglevel", default="info", choices=["debug", "info", "warn", "error"], help=text("help.worker.loglevel")
    )
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
