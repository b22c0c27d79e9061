"""Golden pairs of the declarative sources: tests/data/sources/<source>/in-* -> out-*.ndjson.

Each folder holds a source's inputs (`in-*.json`, `in-*.ndjson`, `in-*.csv`), the municipality's
`mapping.yaml` (or, for a system with no shipped definition, a self-contained `source.yaml`), and
for every input the exact results: one JSON object per result, in order, with sorted keys. After
an intended change, regenerate them with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/sources -q

and review the diff like code.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from streams.documents.source_mappings import load_mapping
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters import source_adapter
from streams.ingress.adapters.base import Adapter, AdapterResult, Inquiry, RejectedRow, ServiceMeasure, Skipped
from tests.factories import REPO_ROOT, TZ

SOURCES = REPO_ROOT / "tests" / "data" / "sources"


def source(folder: Path) -> tuple[Adapter, SourceMapping]:
    """The folder's adapter (a shipped definition named like the folder, or its own source.yaml) and mapping."""
    own = folder / "source.yaml"
    adapter, units = source_adapter(str(own) if own.exists() else folder.name, tz=TZ)
    mapping = units if own.exists() else load_mapping(folder / "mapping.yaml", tz=TZ)
    assert mapping is not None
    return adapter, mapping


def rendered(results: Iterable[AdapterResult]) -> list[dict[str, Any]]:
    """Every result as one JSON object: what a record became, with its line and, where so, the key to map."""
    out: list[dict[str, Any]] = []
    for r in results:
        row: dict[str, Any] = {"line": r.line}
        if isinstance(r, Inquiry):
            row["inquiry"] = r.event
            if r.findings:
                row["findings"] = [[f.field, f.reason.value] for f in r.findings]
        elif isinstance(r, ServiceMeasure):
            row["service_event"] = r.measure
        elif isinstance(r, Skipped):
            row["skipped"] = r.reason
        elif isinstance(r, RejectedRow):
            row["rejected"] = r.reason.value
            row["detail"] = r.detail
        if isinstance(r, Inquiry | ServiceMeasure) and r.unmapped is not None:
            row["unmapped"] = r.unmapped
        out.append(row)
    return out


def pairs() -> list[tuple[Path, Path]]:
    """(input, expected output) of every golden pair."""
    return [(i, i.with_name("out-" + i.name.removeprefix("in-").rsplit(".", 1)[0] + ".ndjson"))
            for i in sorted(SOURCES.glob("*/in-*"))]  # fmt: skip
