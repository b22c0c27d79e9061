"""The declarative engine's rules, one at a time: paths, value maps, conditions, keys, identity and time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from streams.documents.source_mappings import parse_definition
from streams.ingress.adapters.base import Inquiry, RejectedRow, ServiceMeasure, Skipped
from streams.ingress.adapters.declarative import adapter
from tests.fixtures.factories import TZ

BASE = """
version: 1
source: demo
records: {format: ndjson}
fields:
  id: [ref, alt.ref]
  at: at
  unit: unit
  service: service
  state: {path: state, map: {ok: done, "0701": done, no: missed}, default: other}
  flag: flag
  kind: kind
identity: [id]
time: {field: at, format: [iso, epoch_ms, "%d/%m/%Y %H.%M"], zone: Europe/Copenhagen}
unit: [unit, service]
inquiry: {channel: phone, direction: in}
rules:
  - when: {flag: true}
    skip: {reason: flagged, da: markeret}
  - when: {kind: {matches: "^int"}}
    skip: {reason: internal, da: intern}
  - when: {state: missed}
    service: call_abandoned
  - when: {state: done, service: {present: false}}
    inquiry: {direction: out}
  - when: {state: done}
    inquiry: true
municipality: "183"
departments: {"A": Borgerservice, "A/9": Pas og Kørekort}
"""


def run(*records: dict[str, Any], text: str = BASE) -> list[Any]:
    definition = parse_definition(text, "demo.yaml", tz=TZ)
    assert definition.units is not None
    content = "".join(json.dumps(r) + "\n" for r in records).encode()
    return list(adapter(definition).read_content("in.ndjson", content, definition.units))


def one(record: dict[str, Any]) -> Any:
    [result] = run(record)
    return result


RECORD = {"ref": "r1", "at": "2026-11-16T08:00:00+01:00", "unit": "A", "service": 9, "state": "OK"}


def test_a_value_map_is_read_in_any_case_and_keeps_text_keys() -> None:
    assert isinstance(one(RECORD), Inquiry)
    assert isinstance(one({**RECORD, "state": "0701"}), Inquiry), "0701 stays 0701, not the octal 449"
    assert isinstance(one({**RECORD, "state": "No"}), ServiceMeasure)


def test_a_value_the_map_does_not_list_takes_its_default_and_no_rule_takes_it() -> None:
    result = one({**RECORD, "state": "paused"})
    assert isinstance(result, RejectedRow)
    assert (result.reason.value, result.detail) == (
        "unknown_code",
        "no rule of demo.yaml takes this record (flag missing, kind missing, service '9', state 'other')",
    )
    assert result.detail_in("da") == (
        "ingen regel i demo.yaml passer på posten (flag mangler, kind mangler, service '9', state 'other')"
    )


def test_true_in_a_rule_holds_for_every_way_of_writing_yes() -> None:
    for flag in (True, "true", "1", 1, "JA", "yes"):
        assert isinstance(one({**RECORD, "flag": flag}), Skipped), flag
    for flag in (False, "0", "nej", 2):
        assert isinstance(one({**RECORD, "flag": flag}), Inquiry), flag


def test_matches_searches_and_present_tests_for_a_value() -> None:
    assert one({**RECORD, "kind": "intern overførsel"}) == Skipped("in.ndjson", 1, "internal")
    assert one({**RECORD, "kind": "ekstern"}).event["direction"] == "in"
    without_service = one({**RECORD, "service": "  "})  # blank is no value
    assert (without_service.event["direction"], without_service.event["department"]) == ("out", "borgerservice")


def test_the_most_specific_unit_key_the_mapping_names_wins() -> None:
    assert one(RECORD).event["department"] == "pas-og-koerekort"
    assert one({**RECORD, "service": 3}).event["department"] == "borgerservice"
    unmapped = one({**RECORD, "unit": "B"})
    assert (unmapped.event["department"], unmapped.unmapped) == ("unknown", "B/9")
    assert one({**RECORD, "unit": None}).unmapped == ""


def test_the_identity_takes_the_first_path_with_a_value_and_becomes_a_valid_event_id() -> None:
    assert one({**RECORD, "ref": None, "alt": {"ref": 17}}).event["event_id"] == "demo-17"
    odd = one({**RECORD, "ref": "Børn og Unge 4%"}).event["event_id"]
    assert odd == "demo-B%C3%B8rn%20og%20Unge%204%25"
    assert one({**RECORD, "ref": "\ud800x"}).event["event_id"] == "demo-%ED%A0%80x"


@pytest.mark.parametrize(
    ("at", "occurred"),
    [
        ("2026-11-16T07:00:00Z", "2026-11-16T07:00:00+00:00"),
        ("2026-11-16T08:00:00.000+0100", "2026-11-16T08:00:00+01:00"),
        ("2026-11-16 08:00:00", "2026-11-16T08:00:00+01:00"),
        ("2026-07-01 08:00:00", "2026-07-01T08:00:00+02:00"),
        (1794812400000, "2026-11-16T07:00:00+00:00"),
        ("16/11/2026 08.00", "2026-11-16T08:00:00+01:00"),
    ],
)
def test_times_with_an_offset_keep_it_and_local_times_take_the_zone(at: Any, occurred: str) -> None:
    assert one({**RECORD, "at": at}).event["occurred_at"] == occurred


@pytest.mark.parametrize(
    ("change", "reason", "detail"),
    [
        ({"at": "i går"}, "invalid_format", "at 'i går' is not a time in the format iso or epoch_ms or %d/%m/%Y %H.%M"),
        ({"at": "0001-01-01T00:00:00"}, "invalid_format", "at '0001-01-01T00:00:00' is not a real date and time"),
        ({"at": None}, "missing_field", "at is missing"),
        ({"ref": None}, "missing_field", "id is missing"),
        ({"ref": ["r1"]}, "wrong_type", "id (ref) is a list, not a value"),
        ({"state": {"ok": 1}}, "wrong_type", "state (state) is an object, not a value"),
        ({"ref": "x" * 130}, "too_long", "event_id is 135 characters, at most 128 allowed"),
        (
            {"ref": "2411261234"},
            "personal_data",
            "event_id contains a CPR-like number; events must not carry personal data",
        ),
    ],
)
def test_a_record_that_cannot_be_counted_is_rejected_with_its_reason(
    change: dict[str, Any], reason: str, detail: str
) -> None:
    result = one({**RECORD, **change})
    assert isinstance(result, RejectedRow)
    assert (result.reason.value, result.detail) == (reason, detail)


def test_a_field_from_the_record_sets_the_channel_and_a_bad_one_is_the_contracts_rejection() -> None:
    text = BASE.replace("inquiry: {channel: phone, direction: in}", "inquiry: {channel: {field: kind}, direction: in}")
    assert run({**RECORD, "kind": "Chat"}, text=text)[0].event["channel"] == "chat"
    rejected = run({**RECORD, "kind": "fax"}, text=text)[0]
    assert (rejected.reason.value, rejected.field) == ("unknown_code", "channel")


def test_an_inquiry_and_its_service_events_are_all_or_nothing() -> None:
    text = BASE.replace("  - when: {state: done}\n    inquiry: true", "  - when: {state: done}\n    inquiry: true\n"
                        "    service: [selfservice_started]")  # fmt: skip
    both = run({**RECORD, "service": 3}, text=text)
    assert [type(r).__name__ for r in both] == ["Inquiry", "ServiceMeasure"]
    assert both[0].event["event_id"] == both[1].measure["event_id"] == "demo-r1"
