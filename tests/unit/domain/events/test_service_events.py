"""The service-event contract: the validator agrees with the JSON Schema and shares the inquiry fields' rules."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from streams.domain.events.inquiry import InvalidEvent
from streams.domain.events.service import ServiceKind, parse_service_event
from tests.fixtures.factories import SCHEMAS, parser

VALID: dict[str, Any] = {
    "schema_version": 1,
    "kind": "selfservice_started",
    "event_id": "selfservice-sub-1",
    "source": "selfservice",
    "occurred_at": "2026-11-16T08:10:02+01:00",
    "municipality": "183",
    "department": "borgerservice",
    "kle": "23.05.10",
}


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return loaded


def test_the_shared_fields_have_exactly_the_rules_of_inquiry_events() -> None:
    service, inquiry = schema("service-event.v1.json")["properties"], schema("inquiry-event.v1.json")["properties"]

    def rules(prop: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in prop.items() if k not in ("description", "x-field-kind")}

    for name in ("schema_version", "event_id", "source", "occurred_at", "municipality", "department", "kle"):
        assert rules(service[name]) == rules(inquiry[name]), name


def test_the_schema_lists_exactly_the_kinds_of_the_code() -> None:
    assert schema("service-event.v1.json")["properties"]["kind"]["enum"] == [k.value for k in ServiceKind]


def test_a_valid_service_event_round_trips() -> None:
    event = parse_service_event(VALID, parser())
    assert event.kind is ServiceKind.SELFSERVICE_STARTED
    assert event.key == "183"
    assert event.to_json() == VALID


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"kind": "call_dropped"}, "unknown_code"),
        ({"kind": 3}, "wrong_type"),
        ({"schema_version": 2}, "unsupported_schema_version"),
        ({"schema_version": True}, "unsupported_schema_version"),
        ({"department": None}, "wrong_type"),
        ({"department": "Borgerservice"}, "invalid_format"),
        ({"municipality": "0183"}, "invalid_format"),
        ({"occurred_at": "2026-11-16T08:10:02"}, "invalid_format"),
        ({"occurred_at": "2026-02-30T08:10:02+01:00"}, "invalid_format"),
        ({"event_id": "x" * 129}, "too_long"),
        ({"event_id": "selfservice-2411261234"}, "personal_data"),
        ({"kle": "23.5"}, "invalid_format"),
        ({"channel": "phone"}, "unknown_field"),
        ({"department": ...}, "missing_field"),
        ({"schema_version": ...}, "missing_field"),
    ],
)
def test_an_invalid_service_event_is_rejected_with_its_reason_as_the_schema_would(
    change: dict[str, Any], reason: str
) -> None:
    obj = {k: v for k, v in {**VALID, **change}.items() if v is not ...}
    with pytest.raises(InvalidEvent) as caught:
        parse_service_event(obj, parser())
    assert caught.value.reason.value == reason
    if reason != "personal_data":  # a contract rule the schema cannot express
        validator = jsonschema.Draft202012Validator(
            schema("service-event.v1.json"), format_checker=jsonschema.FormatChecker()
        )
        assert not validator.is_valid(obj)


def test_every_schema_example_is_accepted() -> None:
    validator = jsonschema.Draft202012Validator(schema("service-event.v1.json"))
    for example in schema("service-event.v1.json")["examples"]:
        validator.validate(example)
        parse_service_event(example, parser())


def test_a_non_object_is_rejected() -> None:
    with pytest.raises(InvalidEvent, match="a service event must be a JSON object, got list"):
        parse_service_event([], parser())
