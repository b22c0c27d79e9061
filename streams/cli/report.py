"""`komhen report`: reports over the counted state that Prometheus cannot give (KLE tasks, a period's status).

`selfservice` prints completion per KLE task; `status` writes the committee's status report
(streams/cli/report_status.py).
"""

from __future__ import annotations

import argparse
from typing import Any

from streams.cli import report_status
from streams.cli.common import add_topic, day, in_order, require_kafka
from streams.contract.texts import text
from streams.documents.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report",
        help=text("help.report"),
        description=text("help.report.about"),
    )
    reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT", parser_class=type(parser))
    selfservice = reports.add_parser(
        "selfservice",
        help=text("help.selfservice"),
        description=text("help.selfservice.about"),
    )
    selfservice.add_argument(
        "--from", dest="first", type=day, required=True, metavar="YYYY-MM-DD", help=text("help.from")
    )
    selfservice.add_argument("--to", dest="last", type=day, required=True, metavar="YYYY-MM-DD", help=text("help.to"))
    add_topic(selfservice)
    selfservice.set_defaults(run=run_selfservice)
    report_status.register(reports)


def run_selfservice(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from streams.broker.reading import counted_state
    from streams.generators.reports import format_completion, selfservice_completion

    in_order(args.first, args.last)
    state = asyncio.run(counted_state(require_kafka(settings)))
    rows = selfservice_completion([state], args.first.toordinal(), args.last.toordinal())
    print(text("report.selfservice_head", first=args.first, last=args.last))
    print(format_completion(rows))
    return 0
