"""`komhen import`: KOMHEN export files into the input topic, with progress and a summary.

Everything it says (rejected rows, the warning about old rows, the summary, its errors) is in
Danish, or in English with `--language en` (streams.contract.texts; the summary's words are the
KOMHEN reader's, streams.ingress.komhen).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka.producer.future import FutureRecordMetadata

from streams.cli.common import add_topic, input_file, require_kafka
from streams.cli.exit import ExitCode
from streams.cli.terminal import ProgressBar
from streams.contract.texts import Language, language, text
from streams.documents.settings import ConfigError, Settings
from streams.domain.events.inquiry import Reason
from streams.ingress.komhen.export_file import ExportFile, open_export
from streams.ingress.komhen.results import Imported
from streams.ingress.komhen.summary import ImportSummary
from streams.ingress.publisher import Publisher, PublishError

CHUNK = 5000


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "import",
        help=text("help.import"),
        description=text("help.import.about"),
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help=text("help.import.files"))
    parser.add_argument("--dry-run", action="store_true", help=text("help.import.dry_run"))
    parser.add_argument(
        "--clock",
        choices=["wall", "event"],
        help=text("help.import.clock"),
    )
    add_topic(parser)
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Publish every importable row of every file; list rejected rows; 0 if none was rejected or held back."""
    spoken = language()
    summary = ImportSummary()
    now = datetime.now(UTC)
    # With the wall clock, a worker rejects events older than the retention (too_old): such rows
    # are held back here instead, and the user is told before anything is sent.
    retention = settings.too_old_after
    if retention is not None:
        summary.retention_days = settings.retention_days
    paths = [input_file(path) for path in args.files]
    if not args.dry_run:
        settings = _kafka(settings)  # before the files are read: Kafka is the first thing to fix
    exports = [open_export(p, tz=settings.tz, received_at=now, retention=retention, language=spoken) for p in paths]
    _warn_too_old(exports, settings)
    try:
        if args.dry_run:
            _read_and_publish(exports, summary, None, spoken)
        else:
            with Publisher(settings) as publisher:
                summary.published = _read_and_publish(exports, summary, publisher, spoken)
    except PublishError as exc:
        raise PublishError(text("kafka.unconfirmed_import", error=exc)) from None
    except KeyboardInterrupt:
        print(summary.interrupted(spoken), file=sys.stderr)
        return ExitCode.INTERRUPTED
    print(summary.format(spoken))
    return ExitCode.REJECTED if summary.rejected_total else ExitCode.OK


def _kafka(settings: Settings) -> Settings:
    if not settings.bootstrap_servers:
        raise ConfigError(text("kafka.not_set_dry_run"))
    return require_kafka(settings)


def _warn_too_old(exports: list[ExportFile], settings: Settings) -> None:
    """Before anything is sent: one line saying how many rows are too old for a wall-clock worker, and what to do."""
    old = [moment for export in exports for _, moment in export.too_old_rows()]
    if not old:
        return
    total = sum(e.rows for e in exports)
    oldest = min(old).astimezone(settings.tz).date()
    line = text("import.too_old", old=len(old), total=total, days=settings.retention_days, oldest=oldest)
    print(line, file=sys.stderr, flush=True)


def _read_and_publish(
    exports: list[ExportFile], summary: ImportSummary, publisher: Publisher | None, language: Language
) -> int:
    """Read every row into the summary and publish the importable ones (none for a dry run, publisher None).

    Chunks are sent without waiting for each other; Kafka's confirmation is awaited once at the end.
    """
    published = 0
    bar = ProgressBar(sum(e.rows for e in exports), text("import.rows"))
    pending: list[dict[str, Any]] = []
    sent: list[FutureRecordMetadata] = []
    for export in exports:
        summary.add_file(export)
        for result in export:
            summary.add(result)
            bar.advance()
            if not isinstance(result, Imported):
                if result.reason is not Reason.TOO_OLD:  # said once before sending, and in the summary
                    print(result.format(language), file=sys.stderr)
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
