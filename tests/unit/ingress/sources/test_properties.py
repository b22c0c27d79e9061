"""No input crashes a declarative source, and every record read is accounted for exactly once.

For each source folder (the shipped definitions and the mapping-file-only booking system),
hypothesis writes files of records in the source's own format, built from the paths its definition
reads, with values that meet its rules, break them, or are of the wrong JSON type. Every record
read becomes an inquiry (with any service events beside it), service events, a skip or a
rejection: records read = records with events + skipped + rejected.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.documents.shipped import shipped_source
from streams.domain.sources.definition import RecordFormat, SourceDefinition
from streams.ingress.adapters import source_adapter
from streams.ingress.adapters.base import AdapterResult, Inquiry, RejectedRow, ServiceMeasure, Skipped
from tests.fixtures.factories import TZ
from tests.unit.ingress.sources.golden import SOURCES, declarative_folders, source

FOLDERS = declarative_folders()
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\r\n"), max_size=12)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def definition(folder: Path) -> SourceDefinition:
    from streams.documents.source_mappings import load_definition

    own = folder / "source.yaml"
    path = own if own.exists() else shipped_source(folder.name)
    assert path is not None
    return load_definition(path, tz=TZ)


TIMES = ["2026-11-16T08:02:11+01:00", "2026-11-16 08:02:11", "2026-11-16T07:02:11Z", "16-11-2026 08:30",
         "1794826800", "1794826800000", "2026-03-29T02:30:00"]  # fmt: skip


def good(d: SourceDefinition, name: str) -> list[str]:
    """Values of a field that the definition means something by: what its rules compare or its map
    lists, times of every kind for the time, keys of the mapping for the unit, ids for the identity."""
    field = d.fields[name]
    values = set(field.values or ()) or {v for r in d.rules for c in r.when if c.field == name for v in c.values or ()}
    if name in d.time.fields:
        values |= set(TIMES)
    if name in d.identity:
        values |= {"a1", "17", "3f2b8c1e-5d4a-4b7e-9c21-0a6f1e2d3c41"}
    if name in d.unit and d.units is not None:
        values |= {part for key in d.units.departments for part in key.split("/")}
    if name in d.unit:
        values |= {"1", "7", "flytning", "Byggesag", "f364d92b7fa07a48c4ecc862de30c475"}
    return sorted(values) or ["x"]


def scalars(d: SourceDefinition) -> st.SearchStrategy[Any]:
    return st.one_of(
        TEXT,
        st.integers(min_value=-(2**63), max_value=2**63),
        st.floats(allow_nan=False),
        st.booleans(),
        st.none(),
    )


def json_value(d: SourceDefinition) -> st.SearchStrategy[Any]:
    return st.one_of(scalars(d), st.lists(scalars(d), max_size=3), st.dictionaries(TEXT, scalars(d), max_size=3))


def put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set `value` at a dotted path, making objects (or one-item lists for digit keys) on the way."""
    node: Any = record
    for key, nxt in itertools.pairwise(path):
        if isinstance(node, list):
            return
        child = node.get(key)
        if not isinstance(child, dict | list):
            child = [{}] if nxt.isdigit() else {}
            node[key] = child
        node = child[0] if isinstance(child, list) and child and nxt.isdigit() else child
        if isinstance(node, list):
            return
    if isinstance(node, dict):
        node[path[-1]] = value


@st.composite
def records(draw: st.DrawFn, d: SourceDefinition, flat: bool) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for field in d.fields.values():
        if draw(st.integers(0, 9)) < 9:  # most fields present, most values meaningful
            path = draw(st.sampled_from(field.paths))
            odd = scalars(d) if flat else json_value(d)
            value = draw(st.sampled_from(good(d, field.name)) if draw(st.integers(0, 3)) else odd)
            put(record, path, value)
    return record


def written(d: SourceDefinition, rows: list[dict[str, Any]]) -> tuple[bytes, int]:
    """The rows in the source's format, and how many records a reader must find in it."""
    if d.records.format is RecordFormat.CSV:
        columns = sorted({c for f in d.fields.values() for p in f.paths for c in p[:1]})
        out = io.StringIO()
        writer = csv.writer(out, delimiter=d.records.delimiter or ";", lineterminator="\n")
        writer.writerow(columns)
        lines = []
        for row in rows:
            line = io.StringIO()
            csv.writer(line, delimiter=d.records.delimiter or ";", lineterminator="").writerow(
                ["" if row.get(c) is None else str(row.get(c)) for c in columns]
            )
            lines.append(line.getvalue())
        text = out.getvalue() + "".join(f"{line}\n" for line in lines)
        return text.encode("utf-8"), sum(1 for line in lines if line.strip(" \t;,"))
    if d.records.format is RecordFormat.NDJSON or len(rows) % 2:
        return "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8"), len(rows)
    document: Any = rows if not d.records.path else {".".join(d.records.path[0]): rows}
    return json.dumps(document).encode("utf-8"), len(rows)


def accounted(results: list[AdapterResult]) -> int:
    """Records found, checking that each one became events, or a skip, or a rejection, and nothing else."""
    by_record: dict[tuple[str, int], list[AdapterResult]] = defaultdict(list)
    for r in results:
        by_record[(r.file, r.line)].append(r)
    for found in by_record.values():
        kinds = {type(r) for r in found}
        if kinds & {Skipped, RejectedRow}:
            assert len(found) == 1, found
        else:
            assert kinds <= {Inquiry, ServiceMeasure}
            assert sum(isinstance(r, Inquiry) for r in found) <= 1
    return len(by_record)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_record_written_in_the_format_is_accounted_for_exactly_once(folder: Path) -> None:
    d = definition(folder)
    adapter, mapping = source(folder)
    flat = d.records.format is RecordFormat.CSV

    @SETTINGS
    @given(st.lists(records(d, flat), max_size=8))
    def check(rows: list[dict[str, Any]]) -> None:
        content, expected = written(d, rows)
        results = list(adapter.read_content("generated", content, mapping))
        assert accounted(results) == expected
        events = [r for r in results if isinstance(r, Inquiry | ServiceMeasure)]
        skipped = [r for r in results if isinstance(r, Skipped)]
        rejected = [r for r in results if isinstance(r, RejectedRow)]
        with_events = len({(r.file, r.line) for r in events})
        assert with_events + len(skipped) + len(rejected) == expected

    check()


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_no_bytes_crash_a_source(folder: Path) -> None:
    adapter, mapping = source(folder)

    @SETTINGS
    @given(st.binary(max_size=300) | TEXT.map(lambda t: ("{" + t).encode()))
    def check(content: bytes) -> None:
        results = list(adapter.read_content("generated", content, mapping))
        accounted(results)

    check()


def test_a_document_nested_too_deeply_is_one_rejection() -> None:
    adapter, _ = source_adapter("os2forms", tz=TZ)
    _, mapping = source(SOURCES / "os2forms")
    [result] = adapter.read_content("deep.json", b"[" * 100_000, mapping)
    assert isinstance(result, RejectedRow) and result.line == 0
