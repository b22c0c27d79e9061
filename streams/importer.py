"""`komhen import`: KOMHEN export files into the input topic, with progress and a summary."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from streams.config import Settings
from streams.komhen_file import ExportFormatError, Imported, ImportSummary, open_export
from streams.publisher import Publisher
from streams.terminal import ProgressBar

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
            exports.append(open_export(path, received_at=now))
        except (ExportFormatError, OSError) as exc:
            print(f"komhen import: {path}: {exc}", file=sys.stderr)
            return 2
    publisher = None if dry_run else Publisher(settings)
    published = 0
    try:
        bar = ProgressBar(sum(e.rows for e in exports), "rækker")
        pending: list[dict[str, Any]] = []
        for export in exports:
            summary.add_file(export)
            for result in export:
                summary.add(result)
                bar.advance()
                if isinstance(result, Imported):
                    pending.append(result.event)
                else:
                    print(result.format(), file=sys.stderr)
                if publisher is not None and len(pending) >= CHUNK:
                    publisher.send_valid(pending)
                    published += len(pending)
                    pending.clear()
        if publisher is not None and pending:
            publisher.send_valid(pending)
            published += len(pending)
        bar.close()
    finally:
        if publisher is not None:
            publisher.close()
    summary.published = None if dry_run else published
    print(summary.format("da" if language == "da" else "en"))
    return 1 if summary.rejected_total else 0
