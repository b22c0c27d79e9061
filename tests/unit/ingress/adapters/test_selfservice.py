"""Self-service adapter: completed transactions are inquiries, attempts are measures, completion rate per task."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from streams.documents.source_mappings import load_mapping
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.base import Inquiry
from streams.ingress.adapters.selfservice import ADAPTER
from tests.fixtures.factories import TZ
from tests.unit.ingress.adapters.helpers import SAMPLES, assert_golden, events, kinds, measures, rejections, write

SAMPLE = SAMPLES / "selfservice-submissions.ndjson"


@pytest.fixture
def mapping() -> SourceMapping:
    return load_mapping(SAMPLES / "selfservice-forms.yaml", tz=TZ)


def test_the_sample_gives_exactly_the_golden_events_and_measures(mapping: SourceMapping) -> None:
    results = list(ADAPTER.read(SAMPLE, mapping))
    assert_golden("selfservice.events.ndjson", events(results))
    assert_golden("selfservice.measures.ndjson", measures(results))
    assert rejections(results) == []


def test_only_completed_transactions_are_inquiries(mapping: SourceMapping) -> None:
    assert kinds(ADAPTER.read(SAMPLE, mapping)) == [
        (1, "ServiceMeasure"),
        (2, "Inquiry"),
        (3, "ServiceMeasure"),
        (4, "ServiceMeasure"),
        (5, "ServiceMeasure"),
        (6, "Inquiry"),
        (7, "ServiceMeasure"),
        (8, "Inquiry"),
        (9, "ServiceMeasure"),
    ]


def test_the_completion_rate_is_available_per_department_and_kle_task(mapping: SourceMapping) -> None:
    results = list(ADAPTER.read(SAMPLE, mapping))
    completed = Counter((e["department"], e.get("kle")) for e in events(results))
    started = Counter((m["department"], m.get("kle")) for m in measures(results) if m["kind"] == "selfservice_started")
    abandoned = Counter(
        (m["department"], m.get("kle")) for m in measures(results) if m["kind"] == "selfservice_abandoned"
    )
    assert {task: completed[task] / started[task] for task in started} == {
        ("borgerservice", "23.05.10"): 0.5,
        ("borgerservice", "29.09.02"): 1.0,
        ("byggeri-og-miljoe", "02.34.02"): 1.0,
        ("unknown", None): 0.0,
    }
    assert abandoned == {("borgerservice", "23.05.10"): 1}


def test_a_completed_transaction_takes_kle_and_type_from_the_record_before_the_mapping(mapping: SourceMapping) -> None:
    by_id = {e["event_id"]: e for e in events(ADAPTER.read(SAMPLE, mapping))}
    task = {event_id: (e["kle"], e["inquiry_type"]) for event_id, e in by_id.items()}
    assert task["selfservice-sub-1001"] == ("23.05.10", "OPRET"), "both from the mapping's task for the form"
    assert task["selfservice-sub-1003"] == ("29.09.02", "STATUS"), "the record's own type before the mapping's"
    assert by_id["selfservice-sub-1004"]["department"] == "byggeri-og-miljoe"
    assert all(e["channel"] == "self_service" and e["direction"] == "in" and e["form"] for e in by_id.values())


def test_bad_records_are_rejected_with_their_line_and_reason(tmp_path: Path, mapping: SourceMapping) -> None:
    at = '"timestamp": "2026-11-16T08:00:00+01:00"'
    path = write(
        tmp_path,
        "bad.ndjson",
        "\n".join(
            [
                '{"id": "s-1", "form": "ukendt", "status": "completed", ' + at + "}",
                '{"id": "s-2", "form": "ukendt", "status": "completed", "kle": "23.05.10", ' + at + "}",
                '{"id": "s-3", "form": "flytning", "status": "completed", "inquiry_type": "VEJL", ' + at + "}",
                '{"id": "s-4", "form": "flytning", "status": "paused", ' + at + "}",
                '{"id": "s-5", "form": "flytning", "status": "started", "department": "???", ' + at + "}",
                '{"id": "s-6", "form": "flytning", "status": "started"}',
                '{"id": "s-7", "form": "flytning", "status": "started", ' + at,
                '["s-8"]',
                '{"id": true, "form": "flytning", "status": "started", ' + at + "}",
                '{"id": "s-10", "form": "flytning", "status": "completed", "kle": "23.5", ' + at + "}",
                "",
            ]
        ),
    )
    assert rejections(ADAPTER.read(path, mapping)) == [
        (1, "missing_field", "kle is missing and the mapping has no task for form 'ukendt'"),
        (2, "missing_field", "inquiry_type is missing and the mapping has no task for form 'ukendt'"),
        (3, "unknown_code", "a completed transaction is OPRET or STATUS, not 'VEJL'"),
        (4, "unknown_code", "status 'paused' is not one of completed, abandoned, started"),
        (5, "invalid_format", "unit '???' has no letter or digit to name a department by"),
        (6, "missing_field", "timestamp is missing"),
        (7, "malformed_json", "not valid JSON: Expecting ',' delimiter: line 1 column 96 (char 95)"),
        (8, "wrong_type", "a record must be a JSON object, got list"),
        (9, "wrong_type", "id must be text, got bool"),
    ]
    # A KLE number that is none is a descriptive value: left out, with a finding; the transaction counts.
    [counted] = [r for r in ADAPTER.read(path, mapping) if isinstance(r, Inquiry)]
    assert (counted.line, "kle" in counted.event) == (10, False)
    assert [(f.field, f.reason.value) for f in counted.findings] == [("kle", "invalid_format")]
