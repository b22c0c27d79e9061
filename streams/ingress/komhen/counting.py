"""KOMHEN export files counted straight into day buckets, with no broker: for reports from files.

The same path as an import into a worker: every row becomes an event (export_file), is validated
(parse_event) and counted once per (municipality, source, event_id) in an Aggregation; a status report from
the files therefore equals one from a worker that imported them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from streams.documents.reference import event_contract
from streams.domain.counting.aggregation import Aggregation
from streams.domain.events.inquiry import EventParser
from streams.ingress.komhen.export_file import open_export
from streams.ingress.komhen.results import Imported, RejectedRow
from streams.ingress.komhen.summary import ImportSummary


def count_files(
    paths: Iterable[Path], *, tz: ZoneInfo, retention_days: int
) -> tuple[Aggregation, ImportSummary, list[RejectedRow]]:
    """(the counted state, what was read, the rows that could not be counted)."""
    aggregation = Aggregation(tz, retention_days)
    summary = ImportSummary()
    rejected: list[RejectedRow] = []
    parser = EventParser(event_contract())
    for path in paths:
        export = open_export(path, tz=tz)
        summary.add_file(export)
        for result in export:
            summary.add(result)
            if isinstance(result, Imported):
                aggregation.add(parser.parse(result.event))
            else:
                rejected.append(result)
    return aggregation, summary, rejected
