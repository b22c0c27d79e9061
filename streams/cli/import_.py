"""`komhen import`: KOMHEN export files into the input topic, with progress and a summary."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from kafka.producer.future import FutureRecordMetadata

from streams.cli.common import add_topic, input_file, require_kafka
from streams.cli.exit import ExitCode
from streams.cli.terminal import ProgressBar
from streams.config import Settings
from streams.ingress.komhen_file import ExportFile, Imported, ImportSummary, open_export
from streams.ingress.publisher import Publisher, PublishError

CHUNK = 5000


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "import",
        help="import KOMHEN counting-week files (TraceTool / Det Digitale Landkort exports)",
        description="Reads ;-separated KOMHEN exports (Latin-1 or UTF-8, CRLF, local columns, blank units) and "
        "publishes one event per row with ids derived from the file, so importing a file twice counts it once. "
        "Rows that cannot be mapped are listed with file, line and reason. Use --clock event on the worker to "
        "see old counting weeks in the windows. Exit status 1 if any row was rejected.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--dry-run", action="store_true", help="check and summarise, publish nothing")
    parser.add_argument("--language", choices=["da", "en"], default="da", help="language of the summary")
    add_topic(parser)
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Publish every importable row of every file; list rejected rows; 0 if none was rejected."""
    summary = ImportSummary()
    now = datetime.now(UTC)
    # No age limit here: old counting weeks are the point of an import. The worker
    # rejects them as too old only if its clock is the wall clock.
    exports = [open_export(input_file(path), tz=settings.tz, received_at=now) for path in args.files]
    language: Literal["da", "en"] = "da" if args.language == "da" else "en"
    try:
        if args.dry_run:
            _read_and_publish(exports, summary, None)
        else:
            with Publisher(require_kafka(settings)) as publisher:
                summary.published = _read_and_publish(exports, summary, publisher)
    except PublishError as exc:
        raise PublishError(f"{exc}. Import again: rows already counted are counted once") from None
    except KeyboardInterrupt:
        print(summary.interrupted(language), file=sys.stderr)
        return ExitCode.INTERRUPTED
    print(summary.format(language))
    return 1 if summary.rejected_total else 0


def _read_and_publish(exports: list[ExportFile], summary: ImportSummary, publisher: Publisher | None) -> int:
    """Read every row into the summary and publish the importable ones (none for a dry run, publisher None).

    Chunks are sent without waiting for each other; Kafka's confirmation is awaited once at the end.
    """
    published = 0
    bar = ProgressBar(sum(e.rows for e in exports), "rækker")
    pending: list[dict[str, Any]] = []
    sent: list[FutureRecordMetadata] = []
    for export in exports:
        summary.add_file(export)
        for result in export:
            summary.add(result)
            bar.advance()
            if not isinstance(result, Imported):
                print(result.format(), file=sys.stderr)
            elif publisher is not None:
                pending.append(result.event)
            if publisher is not None and len(pending) >= CHUNK:
                sent += publisher.send(pending)  # on its way while the next rows are read
                published += len(pending)
                pending = []
    if publisher is not None:
        sent += publisher.send(pending)
        published += len(pending)
        publisher.confirm(sent)
    bar.close()
    return published
