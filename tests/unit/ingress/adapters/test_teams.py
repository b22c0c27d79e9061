"""Teams (Microsoft Graph) adapter: one identity per call, no numbers or names read, any input. The exact results
of every sample are golden pairs (tests/unit/ingress/sources/test_golden.py)."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.ingress.adapters.base import Inquiry, ServiceMeasure, SourceRecord
from streams.ingress.adapters.teams import ADAPTER, read_graph
from tests.fixtures.factories import TZ
from tests.unit.ingress.sources.golden import SOURCES, inputs, read_copy, source

FOLDER = SOURCES / "teams"
MAPPING = source(FOLDER)[1]


def test_a_row_on_two_pages_and_a_newer_version_of_a_call_record_keep_their_identity(tmp_path: Path) -> None:
    ids: Counter[str] = Counter()
    for sample in inputs("teams"):
        for r in read_copy(ADAPTER, sample, MAPPING, tmp_path):
            if isinstance(r, Inquiry):
                ids[r.event["event_id"]] += 1
            elif isinstance(r, ServiceMeasure):
                ids[r.measure["event_id"]] += 1
    # The PSTN row again on page 2 (its id in upper case) and the call record's version 2: 15 results, 13 calls.
    assert sorted(n for n in ids.values() if n > 1) == [2, 2]
    assert (sum(ids.values()), len(ids)) == (15, 13)


def test_the_resource_account_the_call_reached_last_names_the_department(tmp_path: Path) -> None:
    [answered] = read_copy(ADAPTER, FOLDER / "in-callRecord-queue-answered.json", MAPPING, tmp_path)
    assert isinstance(answered, Inquiry)
    assert (answered.event["department"], answered.event["direction"]) == ("borgerservice", "in")
    [abandoned] = read_copy(ADAPTER, FOLDER / "in-callRecord-queue-abandoned.json", MAPPING, tmp_path)
    assert isinstance(abandoned, ServiceMeasure) and abandoned.measure["department"] == "boern-og-unge"


def test_no_record_holds_a_number_a_name_or_a_sign_in() -> None:
    for sample in inputs("teams"):
        for record in read_graph(str(sample), sample.read_bytes(), TZ):
            if isinstance(record, SourceRecord):
                held = repr(record._values)
                for personal in ("+45", "Sørensen", "Bygholm", "Hansen", "@ishoj", "Hovednummer", "kø'"):
                    assert personal not in held, (sample.name, personal)


_rows = st.fixed_dictionaries(
    {
        "id": st.uuids().map(str) | st.text(max_size=8),
        "callType": st.sampled_from(["user_in", "user_out", "ucap_in", "conf_in", "ByotIn", "ByotOut", "x"])
        | st.integers(),
        "startDateTime": st.sampled_from(["2026-11-16T08:00:00Z", "2026-11-16T08:00:00.1234567Z", "", "nu"])
        | st.none(),
        "duration": st.integers(-5, 5000) | st.none() | st.text(max_size=3),
        "userId": st.sampled_from(["9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "", None]) | st.integers(),
    },
    optional={
        "successfulCall": st.booleans() | st.none() | st.text(max_size=4),
        "finalSipCode": st.sampled_from([0, 487, 503, "x"]),
        "sessions": st.lists(st.dictionaries(st.sampled_from(["caller", "callee", "failureInfo"]), st.just({}))),
        "joinWebUrl": st.text(max_size=5),
    },
)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


def _read(document: Any) -> list[object]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return list(ADAPTER.read(path, MAPPING))


@settings(max_examples=200, deadline=None)
@given(st.lists(_rows | _json, max_size=12))
def test_every_record_of_a_page_gives_exactly_one_result(value: list[Any]) -> None:
    assert len(_read({"@odata.context": "x", "value": value})) == len(value)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | _json.map(lambda d: json.dumps(d).encode("utf-8")))
def test_any_bytes_never_raise(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.json"
        path.write_bytes(content)
        results = list(ADAPTER.read(path, MAPPING))
    assert len(results) >= 1 or b'"value": []' in content or b'"value":[]' in content
