"""`komhen demo`: broker, worker, simulator and metrics on this machine, with a live table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from streams.cli.common import finite, input_file
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
    parser.add_argument("--broker-port", type=int, default=9092, help="embedded broker port (default 9092)")
    parser.add_argument("--web-port", type=int, help="worker web port for /metrics (default 6066)")
    parser.add_argument("--clock", choices=["wall", "event"], help="windows end now (wall) or at the newest event")
    parser.add_argument("--backfill-days", type=int, default=28, help="simulate this many past days first (default 28)")
    parser.add_argument("--window", choices=WINDOWS, default="7d", help="window shown in the table (default 7d)")
    parser.add_argument(
        "--profile",
        type=Path,
        help="traffic profile YAML (default: the shipped Ishøj profile; with --national the shipped national one)",
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="all 98 municipalities scaled by population, and the national league table instead of departments",
    )
    parser.add_argument(
        "--targets", nargs="+", type=Path, metavar="FILE", help="target files to track (KOMHEN_TARGETS)"
    )
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.dev.demo import DemoOptions, run_demo

    options = DemoOptions(
        rate=args.rate,
        duration=args.duration,
        broker_port=args.broker_port,
        backfill_days=args.backfill_days,
        window=args.window,
        profile=args.profile and input_file(args.profile),
        national=args.national,
    )
    return run_demo(settings, options)
