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
from streams.contract.texts import text
from streams.documents.settings import Settings
from streams.domain.counting.windows import WINDOWS


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "demo",
        help=text("help.demo"),
        description=text("help.demo.about"),
    )
    parser.add_argument("--rate", type=finite, default=20.0, help=text("help.demo.rate"))
    parser.add_argument("--duration", type=finite, help=text("help.demo.duration"))
    parser.add_argument("--broker-port", type=port_number, default=9092, help=text("help.demo.broker_port"))
    parser.add_argument("--web-port", type=port_number, help=text("help.demo.web_port"))
    parser.add_argument("--clock", choices=["wall", "event"], help=text("help.demo.clock"))
    parser.add_argument("--backfill-days", type=whole_number, default=28, help=text("help.demo.backfill_days"))
    parser.add_argument("--window", choices=WINDOWS, default="7d", help=text("help.demo.window"))
    parser.add_argument(
        "--profile",
        type=shipped_or_path(PROFILE),
        help=text("help.profile"),
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help=text("help.demo.national"),
    )
    parser.add_argument(
        "--targets",
        nargs="+",
        type=shipped_or_path(TARGETS),
        metavar="FILE",
        help=text("help.track_targets"),
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
