"""`komhen simulate`: realistic, reproducible traffic for a municipality."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from streams.cli.common import PROFILE, add_topic, finite, input_file, require_kafka, shipped_or_path, whole_number
from streams.contract.texts import text
from streams.documents.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "simulate",
        help=text("help.simulate"),
        description=text("help.simulate.about"),
    )
    parser.add_argument("--rate", type=finite, required=True, help=text("help.simulate.rate"))
    parser.add_argument("--duration", type=finite, help=text("help.simulate.duration"))
    parser.add_argument(
        "--profile",
        type=shipped_or_path(PROFILE),
        help=text("help.profile"),
    )
    parser.add_argument("--national", action="store_true", help=text("help.simulate.national"))
    parser.add_argument("--seed", type=whole_number, default=1, help=text("help.simulate.seed"))
    parser.add_argument("--backfill-days", type=whole_number, default=0, help=text("help.simulate.backfill_days"))
    add_topic(parser)
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.broker.topics import ensure_topics
    from streams.dev.simulator import NationalSimulator, Simulator
    from streams.documents.profiles import load_national_profile, load_profile
    from streams.ingress.publisher import Publisher

    profile = args.profile and input_file(args.profile, shipped=PROFILE)
    simulator: Simulator | NationalSimulator
    if args.national:
        simulator = NationalSimulator(load_national_profile(profile), seed=args.seed, tz=settings.tz)
    else:
        simulator = Simulator(load_profile(profile), seed=args.seed, tz=settings.tz)
    ensure_topics(require_kafka(settings))
    with Publisher(settings) as publisher:
        today = datetime.now(settings.tz).date()
        for back in range(args.backfill_days, 0, -1):
            publisher.publish(list(simulator.day(today - timedelta(days=back))))
        published = 0
        started = time.monotonic()
        deadline = None if args.duration is None else started + args.duration
        while deadline is None or time.monotonic() < deadline:
            due = int((time.monotonic() - started) * args.rate) - published
            if due > 0:
                now = datetime.now(UTC)
                publisher.publish([simulator.event_at(now) for _ in range(due)])
                published += due
            time.sleep(0.2)
    return 0
