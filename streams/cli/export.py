"""`komhen export`: KL's KOMHEN upload file from the counted state."""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path
from typing import Any

from streams.cli.common import add_topic, day, in_order, output_file, require_kafka, say
from streams.contract.errors import UnusableInput
from streams.contract.texts import text
from streams.documents.reference import municipality_table
from streams.documents.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export",
        help=text("help.export"),
        description=text("help.export.about"),
    )
    parser.add_argument("--format", choices=["komhen-csv"], default="komhen-csv", help=text("help.export.format"))
    parser.add_argument("--from", dest="first", type=day, required=True, metavar="YYYY-MM-DD", help=text("help.from"))
    parser.add_argument("--to", dest="last", type=day, required=True, metavar="YYYY-MM-DD", help=text("help.to"))
    parser.add_argument("--output", "-o", type=Path, help=text("help.export.output"))
    parser.add_argument("--encoding", default="latin-1", help=text("help.export.encoding"))
    parser.add_argument("--municipality", help=text("help.export.municipality"))
    add_topic(parser)
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from streams.broker.reading import counted_state
    from streams.generators.komhen_export import write_export, write_export_file

    in_order(args.first, args.last)
    try:
        codecs.lookup(args.encoding)
    except LookupError:
        raise UnusableInput(text("export.encoding", value=args.encoding)) from None
    municipality = None
    if args.municipality is not None:
        found = municipality_table().resolve(args.municipality)
        if found is None:
            raise UnusableInput(text("export.municipality", value=args.municipality))
        municipality = found.number
    if args.output is not None:
        output_file(args.output, "komhen.csv")  # before Kafka is read: a wrong path is said at once
    state = asyncio.run(counted_state(require_kafka(settings)))
    options = {"encoding": args.encoding, "municipality": municipality}
    if args.output is None:
        written = write_export([state], args.first, args.last, sys.stdout.buffer, **options)
    else:
        written = write_export_file([state], args.first, args.last, args.output, **options)
    say(text("export.wrote", rows=written.rows, first=args.first, last=args.last))
    if written.names_as_slugs:
        names = ", ".join(repr(n) for n in sorted(written.names_as_slugs)[:5])
        say(text("export.slugs", n=len(written.names_as_slugs), encoding=args.encoding, names=names))
    return 0
