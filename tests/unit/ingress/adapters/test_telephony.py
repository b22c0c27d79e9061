"""Telephony adapter: the sample CDR to exact events, KOMHEN's voicemail rule, abandoned calls, rejections."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest

from streams.contract.texts import Language
from streams.documents.source_mappings import load_mapping
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.base import Inquiry, RejectedRow
from streams.ingress.adapters.telephony import ADAPTER
from tests.fixtures.factories import SCHEMAS, TZ
from tests.unit.ingress.adapters.helpers import (
    SAMPLES,
    assert_golden,
    events,
    kinds,
    measures,
    rejections,
    skips,
    write,
)

SAMPLE = SAMPLES / "telephony-cdr.csv"
HEADER = "call_id,start,end,direction,queue,extension,outcome,callback_of,resolved\n"


@pytest.fixture
def mapping() -> SourceMapping:
    return load_mapping(SAMPLES / "telephony-queues.yaml", tz=TZ)


def test_the_sample_gives_exactly_the_golden_events_and_measures(mapping: SourceMapping) -> None:
    results = list(ADAPTER.read(SAMPLE, mapping))
    assert_golden("telephony.events.ndjson", events(results))
    assert_golden("telephony.measures.ndjson", measures(results))
    assert rejections(results) == []


def test_every_sample_event_is_valid_under_the_json_schema(mapping: SourceMapping) -> None:
    schema = json.loads((SCHEMAS / "inquiry-event.v1.json").read_text(encoding="utf-8"))
    for event in events(ADAPTER.read(SAMPLE, mapping)):
        jsonschema.validate(event, schema, format_checker=jsonschema.FormatChecker())


def test_a_voicemail_and_its_call_back_count_one_in_and_one_out(tmp_path: Path, mapping: SourceMapping) -> None:
    path = write(
        tmp_path,
        "cdr.csv",
        HEADER
        + "v-1,2026-11-16T08:05:00+01:00,2026-11-16T08:05:52+01:00,in,7003,,voicemail,,\n"
        + "v-2,2026-11-16T09:30:02+01:00,2026-11-16T09:36:10+01:00,out,,4820,answered,v-1,true\n",
    )
    produced = events(ADAPTER.read(path, mapping))
    assert [(e["event_id"], e["channel"], e["direction"]) for e in produced] == [
        ("telephony-v-1", "phone", "in"),
        ("telephony-v-2", "phone", "out"),
    ]
    assert "completion" not in produced[0], "a voicemail is never resolved at first contact"
    assert produced[1]["completion"] == "immediate"


def test_a_voicemail_ignores_a_resolved_flag(tmp_path: Path, mapping: SourceMapping) -> None:
    path = write(tmp_path, "cdr.csv", HEADER + "v-1,2026-11-16T08:05:00+01:00,,in,7003,,voicemail,,true\n")
    [event] = events(ADAPTER.read(path, mapping))
    assert "completion" not in event and "duration_s" not in event


def test_an_answered_incoming_call_has_no_completion_unless_the_cdr_says_resolved(
    tmp_path: Path, mapping: SourceMapping
) -> None:
    path = write(
        tmp_path,
        "cdr.csv",
        HEADER
        + "a-1,2026-11-16T08:00:00+01:00,,in,7001,,answered,,\n"
        + "a-2,2026-11-16T08:00:00+01:00,,in,7001,,answered,,false\n"
        + "a-3,2026-11-16T08:00:00+01:00,,in,7001,,answered,,ja\n",
    )
    assert [e.get("completion") for e in events(ADAPTER.read(path, mapping))] == [None, "forwarded", "immediate"]


def test_an_unknown_or_missing_queue_is_counted_under_unknown(tmp_path: Path, mapping: SourceMapping) -> None:
    path = write(
        tmp_path,
        "cdr.csv",
        HEADER
        + "u-1,2026-11-16T08:00:00+01:00,,in,7999,,answered,,\n"
        + "u-2,2026-11-16T08:00:00+01:00,,in,,,answered,,\n"
        + "u-3,2026-11-16T08:00:00+01:00,,out,,4711,answered,,\n",
    )
    assert [e["department"] for e in events(ADAPTER.read(path, mapping))] == ["unknown", "unknown", "borgerservice"]


def test_an_abandoned_incoming_call_is_a_measure_not_an_event(tmp_path: Path, mapping: SourceMapping) -> None:
    path = write(
        tmp_path, "cdr.csv", HEADER + "x-1,2026-11-16T08:03:10+01:00,2026-11-16T08:03:58+01:00,in,7001,,abandoned,,\n"
    )
    results = list(ADAPTER.read(path, mapping))
    assert events(results) == []
    assert measures(results) == [
        {
            "schema_version": 1,
            "kind": "call_abandoned",
            "event_id": "telephony-x-1",
            "source": "telephony",
            "occurred_at": "2026-11-16T08:03:10+01:00",
            "municipality": "183",
            "department": "borgerservice",
        }
    ]


def test_an_unanswered_outgoing_call_is_neither_event_nor_measure_but_is_reported(
    tmp_path: Path, mapping: SourceMapping
) -> None:
    path = write(tmp_path, "cdr.csv", HEADER + "o-1,2026-11-16T10:02:33+01:00,,out,,4711,abandoned,,\n")
    assert skips(ADAPTER.read(path, mapping)) == [(2, "outgoing_call_not_answered")]


def test_every_sample_line_gives_one_result(mapping: SourceMapping) -> None:
    assert kinds(ADAPTER.read(SAMPLE, mapping)) == [
        (2, "Inquiry"),
        (3, "Inquiry"),
        (4, "ServiceMeasure"),
        (5, "Inquiry"),
        (6, "Inquiry"),
        (7, "Inquiry"),
        (8, "Inquiry"),
        (9, "Skipped"),
        (10, "ServiceMeasure"),
        (11, "Inquiry"),
    ]


def test_json_lines_give_the_same_results_as_csv(tmp_path: Path, mapping: SourceMapping) -> None:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = [{k: v for k, v in row.items() if v} for row in csv.DictReader(f)]
    path = write(tmp_path, "cdr.ndjson", "".join(json.dumps(row) + "\n" for row in rows))
    from_csv, from_json = list(ADAPTER.read(SAMPLE, mapping)), list(ADAPTER.read(path, mapping))
    assert events(from_json) == events(from_csv)
    assert measures(from_json) == measures(from_csv)


def test_bad_records_are_rejected_with_their_line_and_reason(tmp_path: Path, mapping: SourceMapping) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        HEADER
        + "r-1,2026-11-16T08:00:00+01:00,,in,7001,,transferred,,\n"  # line 2
        + "\n"
        + "r-2,16-11-2026 08:00,,in,7001,,answered,,\n"  # line 4
        + ",2026-11-16T08:00:00+01:00,,in,7001,,answered,,\n"
        + "r-4,2026-11-16T08:00:00+01:00,2026-11-16T07:59:00+01:00,in,7001,,answered,,\n"
        + "r-5,2026-11-16T08:00:00+01:00,,in,7001,,answered,r-1,\n"
        + "r-6,2026-11-16T08:00:00+01:00,,sideways,7001,,answered,,\n"
        + "r-7,2026-11-16T08:00:00+01:00,,in,7001,,answered,,maybe\n"
        + "r-8,2026-11-16T08:00:00+01:00,,in,7001,,answered,,,extra\n"
        + "2411261234,2026-11-16T08:00:00+01:00,,in,7001,,answered,,\n"
        + "r-10,2026-11-16T08:00:00+01:00,2026-11-18T08:00:00+01:00,in,7001,,answered,,\n"
        + "r 11,2026-11-16T08:00:00+01:00,,in,7001,,answered,,\n",
    )
    assert rejections(ADAPTER.read(path, mapping)) == [
        (2, "unknown_code", "outcome 'transferred' is not one of answered, voicemail, abandoned"),
        (4, "invalid_format", "start '16-11-2026 08:00' is not a date and time like 2026-11-16T08:02:11+01:00"),
        (5, "missing_field", "call_id is missing"),
        (7, "direction_not_allowed", "a call back (callback_of) must go out"),
        (8, "unknown_code", "direction 'sideways' is not one of in, out"),
        (10, "invalid_format", "the line has 10 fields, the header 9"),
        (11, "personal_data", "event_id contains a CPR-like number; events must not carry personal data"),
        (13, "invalid_format", "event_id 'telephony-r 11' is not printable ASCII without spaces, e.g. tel-000123"),
    ]
    # Duration and completion describe a call: an implausible one is left out with a finding, the call counts.
    counted = {r.line: r for r in ADAPTER.read(path, mapping) if isinstance(r, Inquiry)}
    assert {line: [(f.field, f.reason.value) for f in r.findings] for line, r in counted.items()} == {
        6: [("duration_s", "invalid_format")],
        9: [("completion", "unknown_code")],
        12: [("duration_s", "invalid_format")],
    }
    assert [("duration_s" in counted[n].event, "completion" in counted[n].event) for n in (6, 9, 12)] == [
        (False, False),
        (False, False),
        (False, False),
    ]


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "da",
            [
                "bad.csv:2: afvist (ukendt kode): outcome 'transferred' er ikke en af answered, voicemail, abandoned",
                "bad.csv:3: afvist (tomt felt): call_id mangler",
                "bad.csv:4: afvist (retning ikke tilladt for kanalen): et tilbageopkald (callback_of) skal gå ud "
                "(direction out)",
                "bad.csv:5: afvist (ugyldigt format): event_id 'telephony-r 5' er ikke synlige ASCII-tegn uden "
                "mellemrum, fx tel-000123",
            ],
        ),
        (
            "en",
            [
                "bad.csv:2: unknown_code: outcome 'transferred' is not one of answered, voicemail, abandoned",
                "bad.csv:3: missing_field: call_id is missing",
                "bad.csv:4: direction_not_allowed: a call back (callback_of) must go out",
                "bad.csv:5: invalid_format: event_id 'telephony-r 5' is not printable ASCII without spaces, e.g. "
                "tel-000123",
            ],
        ),
    ],
)
def test_komhen_source_says_why_a_record_is_rejected_in_the_operators_language(
    language: Language, lines: list[str], tmp_path: Path, mapping: SourceMapping
) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        HEADER
        + "r-1,2026-11-16T08:00:00+01:00,,in,7001,,transferred,,\n"
        + ",2026-11-16T08:00:00+01:00,,in,7001,,answered,,\n"
        + "r-3,2026-11-16T08:00:00+01:00,,in,7001,,answered,r-1,\n"
        + "r 5,2026-11-16T08:00:00+01:00,,in,7001,,answered,,\n",
    )
    rejected = [r for r in ADAPTER.read(path, mapping) if isinstance(r, RejectedRow)]
    assert [r.format(language).replace(str(path), "bad.csv") for r in rejected] == lines
