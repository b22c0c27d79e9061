"""`komhen export`: KL's KOMHEN upload file from the counted state."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from streams.cli.common import add_topic, require_kafka, say
from streams.config import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export",
        help="write KL's KOMHEN upload file from the counted state",
        description="Reads the counted state of all workers (the summaries topic, up to where it ended when the "
        "command started) and writes KL's upload layout KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;"
        "Henvendelses type;Afslutning;Blanket;Dato, one row per inquiry, dated by day.",
    )
    parser.add_argument("--format", choices=["komhen-csv"], default="komhen-csv")
    parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    parser.add_argument("--encoding", default="utf-8", help="utf-8 (default), utf-8-sig or latin-1")
    parser.add_argument("--municipality", help="only this municipality number")
    add_topic(parser)
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from streams.broker.reading import counted_state
    from streams.generators.komhen_export import write_export, write_export_file

    state = asyncio.run(counted_state(require_kafka(settings)))
    options = {"encoding": args.encoding, "municipality": args.municipality}
    if args.output is None:
        rows = write_export([state], args.first, args.last, sys.stdout.buffer, **options)
    else:
        rows = write_export_file([state], args.first, args.last, args.output, **options)
    say(f"wrote {rows} rows ({args.first} to {args.last})")
    return 0
