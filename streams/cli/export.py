"""`komhen export`: KL's KOMHEN upload file from the counted state."""

from __future__ import annotations

import argparse
import codecs
import sys
from datetime import date
from pathlib import Path
from typing import Any

from streams.cli.common import add_topic, require_kafka, say
from streams.contract.errors import UnusableInput
from streams.documents.reference import municipality_table
from streams.documents.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export",
        help="write KL's KOMHEN upload file from the counted state",
        description="Reads the counted state of all workers (the summaries topic, up to where it ended when the "
        "command started) and writes KL's upload layout KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;"
        "Henvendelses type;Afslutning;Blanket;Dato, one row per inquiry, dated by day, with each unit's name as "
        "the inquiries gave it (Danish letters), Latin-1 by default as KL's upload expects.",
    )
    parser.add_argument("--format", choices=["komhen-csv"], default="komhen-csv")
    parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    parser.add_argument("--encoding", default="latin-1", help="latin-1 (default), utf-8 or utf-8-sig")
    parser.add_argument("--municipality", help="only this municipality: its number or name (183, Ishøj)")
    add_topic(parser)
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from streams.broker.reading import counted_state
    from streams.generators.komhen_export import write_export, write_export_file

    try:
        codecs.lookup(args.encoding)
    except LookupError:
        raise UnusableInput(
            f"--encoding {args.encoding!r} is not an encoding; use latin-1, utf-8 or utf-8-sig"
        ) from None
    municipality = None
    if args.municipality is not None:
        found = municipality_table().resolve(args.municipality)
        if found is None:
            raise UnusableInput(
                f"--municipality {args.municipality!r} is no Danish municipality; give its number or name, "
                "e.g. 183 or Ishøj"
            )
        municipality = found.number
    state = asyncio.run(counted_state(require_kafka(settings)))
    options = {"encoding": args.encoding, "municipality": municipality}
    if args.output is None:
        written = write_export([state], args.first, args.last, sys.stdout.buffer, **options)
    else:
        written = write_export_file([state], args.first, args.last, args.output, **options)
    say(f"wrote {written.rows} rows ({args.first} to {args.last})")
    if written.names_as_slugs:
        names = ", ".join(repr(n) for n in sorted(written.names_as_slugs)[:5])
        say(
            f"{len(written.names_as_slugs)} unit names cannot be written in {args.encoding} and were written as "
            f"their department slug ({names}); use --encoding utf-8 to keep them"
        )
    return 0
