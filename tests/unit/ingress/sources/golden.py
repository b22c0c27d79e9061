"""Golden pairs of the sources: tests/data/sources/<source>/in-* -> out-*.ndjson.

Each folder holds a source's inputs (`in-*.json`, `in-*.ndjson`, `in-*.csv`, `in-*.xml`), the
municipality's `mapping.yaml` (or, for a system with no shipped definition, a self-contained
`source.yaml`; an input with its own `mapping-<name>.yaml` is read with that one), and for every
input the exact results: one JSON object per result, in order, with sorted keys. Inputs are read
from a copy modified at FILE_TIME (a MeMo message without a body takes the file's time). After
an intended change, regenerate them with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/ingress/sources -q

and review the diff like code.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from streams.documents.shipped import shipped_source
from streams.documents.source_mappings import load_mapping
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters import source_adapter
from streams.ingress.adapters.base import Adapter, AdapterResult, Inquiry, RejectedRow, ServiceMeasure, Skipped
from tests.fixtures.factories import REPO_ROOT, TZ

SOURCES = REPO_ROOT / "tests" / "data" / "sources"
FILE_TIME = datetime(2026, 11, 16, 12, 0, tzinfo=UTC).timestamp()


def source(folder: Path, given: Path | None = None) -> tuple[Adapter, SourceMapping]:
    """The folder's adapter (a source named like the folder, or its own source.yaml) and mapping (the input's own
    `mapping-<name>.yaml` where it has one)."""
    own = folder / "source.yaml"
    adapter, units = source_adapter(str(own) if own.exists() else folder.name, tz=TZ)
    special = folder / f"mapping-{given.name.removeprefix('in-').rsplit('.', 1)[0]}.yaml" if given else None
    mapping_file = special if special and special.exists() else folder / "mapping.yaml"
    mapping = units if own.exists() else load_mapping(mapping_file, tz=TZ, sections=adapter.sections)
    assert mapping is not None
    return adapter, mapping


def read_copy(adapter: Adapter, given: Path, mapping: SourceMapping, folder: Path) -> list[AdapterResult]:
    """The results of a copy of `given` in `folder`, last modified at FILE_TIME."""
    copy = folder / given.name
    shutil.copyfile(given, copy)
    os.utime(copy, (FILE_TIME, FILE_TIME))
    return list(adapter.read(copy, mapping))


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
        if isinstance(r, Inquiry | ServiceMeasure) and r.notes:
            row["notes"] = list(r.notes)
        out.append(row)
    return out


def declarative_folders() -> list[Path]:
    """The folders of the declarative sources: a shipped definition's, or one with its own source.yaml (the
    hand-written adapters' folders, memo, asterisk and teams, are tested in tests/unit/ingress/adapters)."""
    return sorted(
        p for p in SOURCES.iterdir() if p.is_dir() and (shipped_source(p.name) or (p / "source.yaml").exists())
    )


def inputs(name: str) -> list[Path]:
    """The sample inputs of one source's folder."""
    return sorted((SOURCES / name).glob("in-*"))


def golden_of(given: Path) -> Path:
    """The expected results of an input."""
    return given.with_name("out-" + given.name.removeprefix("in-").rsplit(".", 1)[0] + ".ndjson")


def pairs() -> list[tuple[Path, Path]]:
    """(input, expected output) of every golden pair."""
    return [(i, golden_of(i)) for i in sorted(SOURCES.glob("*/in-*"))]
