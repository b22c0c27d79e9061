"""`komhen import`: KOMHEN export files into the input topic, with progress and a summary."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka.producer.future import FutureRecordMetadata

from streams.cli.terminal import ProgressBar
from streams.config import Settings
from streams.ingress.komhen_file import ExportFile, ExportFormatError, Imported, ImportSummary, open_export
from streams.ingress.publisher import EXIT_UNCONFIRMED, Publisher, PublishError

CHUNK = 5000


def run_import(settings: Settings, paths: list[Path], *, dry_run: bool = False, language: str = "da") -> int:
    """Publish every importable row of every file; list rejected rows; 0 if none was rejected."""
    summary = ImportSummary()
    now = datetime.now(UTC)
    exports = []
    for path in paths:
        try:
            # No age limit here: old counting weeks are the point of an import. The worker
            # rejects them as too old only if its clock is the wall clock.
            exports.append(open_export(path, tz=settings.tz, received_at=now))
        except (ExportFormatError, OSError) as exc:
            print(f"komhen import: {path}: {exc}", file=sys.stderr)
            return 2
    try:
        if dry_run:
            _read_and_publish(exports, summary, None)
        else:
            with Publisher(settings) as publisher:
                summary.published = _read_and_publish(exports, summary, publisher)
    except PublishError as exc:
        print(f"komhen import: {exc}. Import again: rows already counted are counted once.", file=sys.stderr)
        return EXIT_UNCONFIRMED
    print(summary.format("da" if language == "da" else "en"))
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
