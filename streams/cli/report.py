"""`komhen report`: reports that need dimensions Prometheus must not carry (KLE tasks)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from streams.cli.common import add_topic, require_kafka
from streams.config import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report",
        help="reports that need KLE tasks (not in Prometheus)",
        description="selfservice: completed / started self-service attempts per department and KLE task, "
        "from the counted state of all workers.",
    )
    parser.add_argument("report", choices=["selfservice"])
    parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    add_topic(parser)
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from streams.broker.reading import counted_state
    from streams.generators.reports import format_completion, selfservice_completion

    state = asyncio.run(counted_state(require_kafka(settings)))
    rows = selfservice_completion([state], args.first.toordinal(), args.last.toordinal())
    print(f"Selvbetjening: gennemførte / startede forsøg pr. afdeling og KLE-opgave, {args.first} – {args.last}")
    print(format_completion(rows))
    return 0
