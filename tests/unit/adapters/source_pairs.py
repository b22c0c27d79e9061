"""Golden pairs of the adapters of systems' own formats: tests/data/sources/<format>/in-* → out-*.ndjson.

An out file holds one JSON object per result of its in file, in order, with sorted keys:
`{"line", "inquiry", "notes"}`, `{"line", "service_event", "notes"}`, `{"line", "skipped"}` or
`{"line", "rejected", "detail"}`. Each format's folder has its `mapping.yaml`. Every input is
read from a copy whose modification time is 2026-11-16 12:00:00 UTC (a bodiless MeMo message takes
its time from it), so the pairs are the same on every checkout. Regenerate after an intended change with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/adapters/test_memo.py tests/unit/adapters/test_asterisk.py \
        tests/unit/adapters/test_teams.py -q

and review the diff like code.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from streams.ingress.adapters.base import (
    Adapter,
    AdapterResult,
    Inquiry,
    RejectedRow,
    ServiceMeasure,
    Skipped,
    SourceMapping,
    load_mapping,
)
from tests.factories import REPO_ROOT, TZ
from tests.unit.adapters.helpers import UPDATE

SOURCES = REPO_ROOT / "tests" / "data" / "sources"
FILE_TIME = datetime(2026, 11, 16, 12, 0, tzinfo=UTC).timestamp()


def inputs(fmt: str) -> list[Path]:
    return sorted((SOURCES / fmt).glob("in-*"))


def mapping_of(fmt: str, adapter: Adapter) -> SourceMapping:
    return load_mapping(SOURCES / fmt / "mapping.yaml", tz=TZ, sections=adapter.sections)


def as_json(result: AdapterResult) -> dict[str, Any]:
    """A result as its golden line: the event or measure exactly, or why not."""
    if isinstance(result, Inquiry):
        return {"line": result.line, "inquiry": result.event, "notes": list(result.notes)}
    if isinstance(result, ServiceMeasure):
        return {"line": result.line, "service_event": result.measure, "notes": list(result.notes)}
    if isinstance(result, Skipped):
        return {"line": result.line, "skipped": result.reason}
    assert isinstance(result, RejectedRow)
    return {"line": result.line, "rejected": result.reason.value, "detail": result.detail}


def read_copy(adapter: Adapter, source: Path, mapping: SourceMapping, tmp_path: Path) -> list[AdapterResult]:
    """The adapter's results for a copy of `source` with the fixed modification time."""
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    os.utime(copy, (FILE_TIME, FILE_TIME))
    return list(adapter.read(copy, mapping))


def golden_path(source: Path) -> Path:
    return source.with_name("out-" + source.name.removeprefix("in-").rsplit(".", 1)[0] + ".ndjson")


def assert_pair(source: Path, results: list[AdapterResult]) -> None:
    """The results equal the out file byte for byte, or rewrite it when UPDATE_GOLDEN=1."""
    produced = "".join(json.dumps(as_json(r), sort_keys=True, ensure_ascii=False) + "\n" for r in results)
    path = golden_path(source)
    if UPDATE:
        path.write_text(produced, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing; create it with UPDATE_GOLDEN=1 (see source_pairs.py)"
    assert path.read_text(encoding="utf-8") == produced, f"{path} differs from what the adapter produces"
