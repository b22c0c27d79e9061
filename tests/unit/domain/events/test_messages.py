"""Kafka message envelopes: single events, batches, keys, size limits, dead-letter records."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from streams.domain.events.inquiry import Reason
from streams.domain.events.messages import decode_message, encode_messages
from streams.domain.organisation.source_registry import SourceRegistry
from tests.fixtures.factories import event_json, parser

RECEIVED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
KEY = b"183"


def ev(i: int, department: str = "borgerservice", **change: Any) -> dict[str, Any]:
    return event_json(f"e{i}", department=department, **change)


def decode(value: bytes | None, key: bytes | None = KEY, max_bytes: int = 1_000_000):  # type: ignore[no-untyped-def]
    return decode_message(
        value, key, parser=parser(), received_at=RECEIVED, retention=timedelta(days=400), max_bytes=max_bytes
    )


def test_a_single_event_message() -> None:
    decoded = decode(json.dumps(ev(1)).encode())
    assert [e.event_id for e in decoded.events] == ["e1"] and decoded.rejected == []


def test_a_batch_is_checked_event_by_event_with_its_index() -> None:
    batch = {
        "schema_version": 1,
        "events": [ev(1), ev(2, channel="fax"), ev(3, department="byggeri"), ev(4, municipality="101")],
    }
    decoded = decode(json.dumps(batch).encode())
    assert [(e.event_id, e.department) for e in decoded.events] == [("e1", "borgerservice"), ("e3", "byggeri")]
    assert [(r.index, r.reason, r.source) for r in decoded.rejected] == [
        (1, Reason.UNKNOWN_CODE, "telephony"),
        (3, Reason.KEY_MISMATCH, "telephony"),
    ]
    assert json.loads(decoded.rejected[0].payload) == ev(2, channel="fax")
    assert decoded.rejected[1].detail == (
        "message key '183' is neither the event's municipality '101' nor '101/borgerservice'"
    )


def test_the_earlier_department_key_is_still_accepted_for_that_department_only() -> None:
    batch = {"schema_version": 1, "events": [ev(1), ev(2, department="byggeri")]}
    decoded = decode(json.dumps(batch).encode(), key=b"183/borgerservice")
    assert [e.event_id for e in decoded.events] == ["e1"]
    assert [(r.index, r.reason) for r in decoded.rejected] == [(1, Reason.KEY_MISMATCH)]


def test_a_message_without_a_key_is_rejected_because_its_municipality_could_land_anywhere() -> None:
    decoded = decode(json.dumps(ev(1)).encode(), key=None)
    assert [r.reason for r in decoded.rejected] == [Reason.KEY_MISMATCH]


def test_whole_message_problems_are_one_rejection() -> None:
    cases = {
        b"\xff\xfe": Reason.MALFORMED_JSON,
        b"[1, 2": Reason.MALFORMED_JSON,
        b'{"schema_version": 1, "events": []}': Reason.WRONG_TYPE,
        b'{"schema_version": 2, "events": [{}]}': Reason.UNSUPPORTED_VERSION,
        b'{"schema_version": 1, "events": [{}], "extra": 1}': Reason.UNKNOWN_FIELD,
        b'"just a string"': Reason.WRONG_TYPE,
    }
    for value, reason in cases.items():
        decoded = decode(value)
        assert [(r.reason, r.index) for r in decoded.rejected] == [(reason, None)], value
        assert decoded.events == []


def test_an_oversized_message_is_rejected_and_its_dead_letter_is_truncated() -> None:
    value = json.dumps(ev(1, event_id="x" * 2_000_000)).encode()
    decoded = decode(value)
    (rejected,) = decoded.rejected
    assert rejected.reason is Reason.TOO_LARGE
    assert rejected.detail == f"message is {len(value)} bytes, at most 1000000 allowed"
    letter = rejected.to_dead_letter(partition=3, offset=7)
    assert letter["payload_truncated"] is True and len(letter["payload"]) == 64_000
    assert (letter["partition"], letter["offset"], letter["reason"]) == (3, 7, "too_large")


def test_dead_letters_never_hold_a_cpr_number_in_clear() -> None:
    decoded = decode(json.dumps(ev(1, event_id="x-010190-1234")).encode())
    (rejected,) = decoded.rejected
    assert rejected.reason is Reason.PERSONAL_DATA
    letter = json.dumps(rejected.to_dead_letter())
    assert "010190" not in letter and "[CPR fjernet]" in letter


def test_encoding_groups_events_per_municipality_into_batches_and_keeps_singles_plain() -> None:
    events = [ev(i) for i in range(4)] + [ev(4, department="byggeri"), ev(9, municipality="101")]
    messages = list(encode_messages(events, max_events=2))
    assert [(k, len(json.loads(v).get("events", [None]))) for k, v in messages] == [
        (b"183", 2),
        (b"183", 2),
        (b"183", 1),
        (b"101", 1),
    ]
    assert json.loads(messages[-1][1]) == ev(9, municipality="101")  # a lone event is a plain message
    decoded = [(e.event_id, e.department) for k, v in messages for e in decode(v, key=k).events]
    assert decoded == [(f"e{i}", "borgerservice") for i in range(4)] + [("e4", "byggeri"), ("e9", "borgerservice")]


def test_service_events_travel_with_inquiries_and_are_told_apart_by_kind() -> None:
    abandoned = {k: v for k, v in ev(2).items() if k not in ("channel", "direction")} | {"kind": "call_abandoned"}
    batch = {"schema_version": 1, "events": [ev(1), abandoned, {**abandoned, "kind": "call_dropped"}]}
    decoded = decode(json.dumps(batch).encode())
    assert [e.event_id for e in decoded.events] == ["e1"]
    assert [(s.kind.value, s.event_id) for s in decoded.service] == [("call_abandoned", "e2")]
    assert [(r.index, r.reason) for r in decoded.rejected] == [(2, Reason.UNKNOWN_CODE)]


def test_with_a_sources_registry_a_source_writes_for_its_own_municipalities_only() -> None:
    registry = SourceRegistry.of({"telephony-183": ["183"], "os2forms": ["183", "165"]})
    abandoned = {"kind": "call_abandoned"}
    batch = {
        "schema_version": 1,
        "events": [
            ev(1, source="telephony-183"),
            ev(2, source="os2forms"),
            ev(3, source="telephony-165"),  # not registered
            {k: v for k, v in ev(4, source="telephony-165").items() if k not in ("channel", "direction")} | abandoned,
        ],
    }
    decoded = decode_message(
        json.dumps(batch).encode(), KEY, parser=parser(), received_at=RECEIVED, retention=None, registry=registry
    )
    assert [(e.source, e.event_id) for e in decoded.events] == [
        ("telephony-183", "e1"),
        ("os2forms", "e2"),
    ]
    assert decoded.service == []
    assert [(r.index, r.reason, r.field, r.source, r.detail) for r in decoded.rejected] == [
        (
            2,
            Reason.SOURCE_NOT_ALLOWED,
            "source",
            "telephony-165",
            "source telephony-165 is not in the sources registry",
        ),
        (
            3,
            Reason.SOURCE_NOT_ALLOWED,
            "source",
            "telephony-165",
            "source telephony-165 is not in the sources registry",
        ),
    ]
    other = {
        "schema_version": 1,
        "events": [ev(6, source="telephony-183", municipality="165"), ev(7, municipality="165")],
    }
    refused = decode_message(
        json.dumps(other).encode(), b"165", parser=parser(), received_at=RECEIVED, retention=None, registry=registry
    )
    assert refused.events == [] and [(r.reason, r.field, r.detail) for r in refused.rejected] == [
        (
            Reason.SOURCE_NOT_ALLOWED,
            "municipality",
            "source telephony-183 may write for municipality 183 only, not 165",
        ),
        (Reason.SOURCE_NOT_ALLOWED, "source", "source telephony is not in the sources registry"),
    ]
    assert json.loads(refused.rejected[0].payload) == ev(6, source="telephony-183", municipality="165")
    # Without a registry (None) every source writes for every municipality, as before.
    assert len(decode(json.dumps(other).encode(), key=b"165").events) == 2


def test_a_cpr_number_spelled_with_json_escapes_is_still_found() -> None:
    escaped = json.dumps(ev(1)).replace('"e1"', '"x-\\u0030101901234"').encode()  # "x-0101901234"
    assert b"0101901234" in escaped and b"x-0101901234" not in escaped  # only decoding reveals it
    (rejected,) = decode(escaped).rejected
    assert (rejected.reason, rejected.field) == (Reason.PERSONAL_DATA, "event_id")
