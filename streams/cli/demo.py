"""`komhen demo`: broker, worker, simulator and metrics on this machine, with a live table."""

from __future__ import annotations

import argparse
from typing import Any

from streams.cli.common import (
    PROFILE,
    TARGETS,
    finite,
    free_port,
    input_file,
    port_number,
    shipped_or_path,
    whole_number,
)
from streams.documents.settings import Settings
from streams.domain.counting.windows import WINDOWS


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "demo",
        help="run broker, worker, simulator and metrics on this machine, with a live table",
        description="Without KAFKA_BOOTSTRAP_SERVERS: starts the embedded broker on loopback, creates the topics, "
        "runs one worker and a traffic simulator, serves /metrics, and shows channel shares per department. "
        "Ctrl-C stops everything.",
    )
    parser.add_argument(
        "--rate", type=finite, default=20.0, help="simulated events per second; 0 runs no simulator (default 20)"
    )
    parser.add_argument("--duration", type=finite, help="stop after this many seconds (default: run until Ctrl-C)")
    parser.add_argument("--broker-port", type=port_number, default=9092, help="embedded broker port (default 9092)")
    parser.add_argument("--web-port", type=port_number, help="worker web port for /metrics (default 6066)")
    parser.add_argument("--clock", choices=["wall", "event"], help="windows end now (wall) or at the newest event")
    parser.add_argument(
        "--backfill-days", type=whole_number, default=28, help="simulate this many past days first (default 28)"
    )
    parser.add_argument("--window", choices=WINDOWS, default="7d", help="window shown in the table (default 7d)")
    parser.add_argument(
        "--profile",
        type=shipped_or_path(PROFILE),
        help="traffic profile YAML, or a shipped one by name: ishoej, national (default: ishoej; with --national "
        "national)",
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="all 98 municipalities scaled by population, and the national league table instead of departments",
    )
    parser.add_argument(
        "--targets",
        nargs="+",
        type=shipped_or_path(TARGETS),
        metavar="FILE",
        help="target files to track, or shipped ones by name (KOMHEN_TARGETS)",
    )
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.dev.demo import DemoOptions, run_demo

    profile = args.profile and input_file(args.profile, shipped=PROFILE)
    # Both ports before anything starts: a busy web port would show another worker's figures.
    free_port(settings.web_port, settings.web_host, "--web-port")
    if not settings.bootstrap_servers:
        free_port(args.broker_port, "127.0.0.1", "--broker-port")
    options = DemoOptions(
        rate=args.rate,
        duration=args.duration,
        broker_port=args.broker_port,
        backfill_days=args.backfill_days,
        window=args.window,
        profile=profile,
        national=args.national,
    )
    return run_demo(settings, options)
