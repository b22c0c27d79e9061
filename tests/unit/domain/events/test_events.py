"""The event validator: reasons for each kind of bad counting field, the documented leniency for
descriptive fields, and agreement with the schema file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.documents.reference import code_table, municipality_table
from streams.domain.events.descriptive import DESCRIPTIVE_FIELDS, Finding, FindingReason
from streams.domain.events.inquiry import InvalidEvent, Reason
from streams.domain.events.privacy import redact
from streams.domain.organisation.departments import department_slug
from tests.fixtures.factories import SCHEMAS, parse_event

GOOD: dict[str, Any] = {
    "schema_version": 1,
    "event_id": "tel-000123",
    "source": "telephony",
    "occurred_at": "2026-11-20T09:15:00+01:00",
    "municipality": "183",
    "department": "borgerservice",
    "channel": "phone",
    "direction": "in",
    "inquiry_type": "VEJL",
    "kle": "23.05.10",
    "completion": "immediate",
    "form": False,
}
RECEIVED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RETENTION = timedelta(days=400)


def schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / "inquiry-event.v1.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_the_issue_example_is_valid_and_typed() -> None:
    event = parse_event(GOOD)
    assert event.occurred_at == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert event.key == "183"
    assert event.to_json() == {**GOOD, "occurred_at": "2026-11-20T09:15:00+01:00"}
    schema_validator().validate(GOOD)


@pytest.mark.parametrize(
    ("change", "reason", "field"),
    [
        ({"schema_version": 2}, Reason.UNSUPPORTED_VERSION, "schema_version"),
        ({"schema_version": True}, Reason.UNSUPPORTED_VERSION, "schema_version"),
        ({"event_id": None}, Reason.WRONG_TYPE, "event_id"),
        ({"event_id": 123}, Reason.WRONG_TYPE, "event_id"),
        ({"event_id": "x" * 129}, Reason.TOO_LONG, "event_id"),
        ({"event_id": "has space"}, Reason.INVALID_FORMAT, "event_id"),
        ({"municipality": "18"}, Reason.INVALID_FORMAT, "municipality"),
        ({"municipality": "183\n"}, Reason.INVALID_FORMAT, "municipality"),
        ({"municipality": "999"}, Reason.UNKNOWN_CODE, "municipality"),
        ({"municipality": "Ishøj"}, Reason.INVALID_FORMAT, "municipality"),
        ({"department": "Borgerservice"}, Reason.INVALID_FORMAT, "department"),
        ({"department": "_all"}, Reason.INVALID_FORMAT, "department"),
        ({"occurred_at": "2026-11-20 09:15:00"}, Reason.INVALID_FORMAT, "occurred_at"),
        ({"occurred_at": "2026-11-20T09:15:00"}, Reason.INVALID_FORMAT, "occurred_at"),
        ({"occurred_at": "2026-02-30T09:15:00+01:00"}, Reason.INVALID_FORMAT, "occurred_at"),
        ({"channel": "fax"}, Reason.UNKNOWN_CODE, "channel"),
        ({"channel": "personal", "direction": "out"}, Reason.DIRECTION_NOT_ALLOWED, "direction"),
        (
            {"channel": "remote_print", "direction": "in", "completion": "forwarded"},
            Reason.DIRECTION_NOT_ALLOWED,
            "direction",
        ),
        ({"note": "called about moving"}, Reason.UNKNOWN_FIELD, "note"),
        ({"event_id": "call-010190-1234"}, Reason.PERSONAL_DATA, "event_id"),
        ({"event_id": "cpr0101901234x"}, Reason.PERSONAL_DATA, "event_id"),
        ({"department_name": "Sag 010190-1234"}, Reason.PERSONAL_DATA, "department_name"),
        ({"inquiry_type": "010190-1234"}, Reason.PERSONAL_DATA, "inquiry_type"),  # even in a value left out
    ],
)
def test_each_kind_of_bad_counting_field_has_its_own_reason(change: dict[str, Any], reason: Reason, field: str) -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event({**GOOD, **change}, received_at=RECEIVED, retention=RETENTION)
    assert (caught.value.reason, caught.value.field) == (reason, field)


N, WT, UC, IF, TL = (
    FindingReason.NORMALISED,
    FindingReason.WRONG_TYPE,
    FindingReason.UNKNOWN_CODE,
    FindingReason.INVALID_FORMAT,
    FindingReason.TOO_LONG,
)


@pytest.mark.parametrize(
    ("change", "kept", "reason"),
    [
        ({"form": "JA"}, {"form": True}, N),
        ({"form": "j"}, {"form": True}, N),
        ({"form": "Yes"}, {"form": True}, N),
        ({"form": 1}, {"form": True}, N),
        ({"form": "NEJ"}, {"form": False}, N),
        ({"form": "0"}, {"form": False}, N),
        ({"form": "måske"}, {}, UC),
        ({"form": 2}, {}, WT),
        ({"kle": "23.05.10 Flytning"}, {"kle": "23.05.10"}, N),
        ({"kle": "23.5.10"}, {}, IF),
        ({"kle": 230510}, {}, WT),
        ({"inquiry_type": "vejl"}, {"inquiry_type": "VEJL"}, N),
        ({"inquiry_type": "KLAGE"}, {}, UC),
        ({"completion": "STRAKS"}, {"completion": "immediate"}, N),
        ({"completion": "hold"}, {"completion": "forwarded"}, N),
        ({"completion": "maybe"}, {}, UC),
        ({"duration_s": "270"}, {"duration_s": 270}, N),
        ({"duration_s": -1}, {}, IF),
        ({"duration_s": 90_000}, {}, IF),
        ({"duration_s": True}, {}, WT),
        ({"department_name": " Borgerservice "}, {"department_name": "Borgerservice"}, N),
        ({"department_name": "BORGERSERVICE"}, {"department_name": "BORGERSERVICE"}, None),
        ({"department_name": "183 Borgerservice"}, {"department_name": "183 Borgerservice"}, None),
        ({"department_name": "Børn og Unge"}, {}, FindingReason.OTHER_DEPARTMENT),  # another department's name
        ({"department_name": "x" * 101}, {}, TL),
        ({"department_name": "a\tb"}, {}, IF),
        ({"department_name": ""}, {}, IF),
        ({"department_name": 7}, {}, WT),
    ],
)
def test_an_implausible_descriptive_field_is_normalised_or_left_out_and_the_event_is_counted(
    change: dict[str, Any], kept: dict[str, Any], reason: FindingReason | None
) -> None:
    [name] = change
    base = {k: v for k, v in GOOD.items() if k != name}
    findings: list[Finding] = []
    event = parse_event({**base, **change}, received_at=RECEIVED, retention=RETENTION, findings=findings)
    assert event.to_json() == {**base, **kept}
    assert [(f.field, f.reason) for f in findings] == ([(name, reason)] if reason else [])
    schema_validator().validate(event.to_json())  # what is counted is what the contract describes


def test_straks_is_kept_on_every_channel_without_a_finding() -> None:
    for channel, direction in code_table().channel_directions():
        findings: list[Finding] = []
        event = parse_event({**GOOD, "channel": channel, "direction": direction}, findings=findings)
        assert (event.completion, findings) == ("immediate", [])


def test_null_means_absent_for_a_descriptive_field() -> None:
    findings: list[Finding] = []
    event = parse_event({**GOOD, "kle": None, "form": None, "department_name": None}, findings=findings)
    assert (event.kle, event.form, event.department_name, findings) == (None, None, None, [])


def test_the_schema_says_which_fields_count_and_which_describe() -> None:
    schema = json.loads((SCHEMAS / "inquiry-event.v1.json").read_text())
    kinds = {name: prop["x-field-kind"] for name, prop in schema["properties"].items()}
    assert {n for n, k in kinds.items() if k == "counting"} == set(schema["required"])
    assert tuple(n for n, k in kinds.items() if k == "descriptive") == DESCRIPTIVE_FIELDS
    for name, prop in schema["properties"].items():
        assert prop["description"].startswith(f"{kinds[name].capitalize()} field."), name
    assert schema["properties"]["municipality"]["enum"] == [m.number for m in municipality_table().all()]


def test_a_missing_required_field_is_named() -> None:
    event = dict(GOOD)
    del event["department"]
    with pytest.raises(InvalidEvent, match="department is required") as caught:
        parse_event(event)
    assert caught.value.reason is Reason.MISSING_FIELD


def test_event_time_is_judged_against_the_message_time() -> None:
    five_minutes_ahead = {**GOOD, "occurred_at": "2026-11-20T10:05:00+01:00"}
    assert parse_event(five_minutes_ahead, received_at=RECEIVED).event_id == "tel-000123"
    with pytest.raises(InvalidEvent, match="more than 5 minutes after") as future:
        parse_event({**GOOD, "occurred_at": "2026-11-20T10:05:01+01:00"}, received_at=RECEIVED)
    assert future.value.reason is Reason.FUTURE_TIMESTAMP
    with pytest.raises(InvalidEvent, match="older than the retention of 400 days") as old:
        parse_event({**GOOD, "occurred_at": "2025-10-15T09:00:00+00:00"}, received_at=RECEIVED, retention=RETENTION)
    assert old.value.reason is Reason.TOO_OLD


def test_ten_digits_that_are_not_a_date_are_not_taken_for_a_cpr_number() -> None:
    # A Unix timestamp as call id: month 00 is no date.
    assert parse_event({**GOOD, "event_id": "call-1700000000"}).event_id == "call-1700000000"


def test_redaction_hides_cpr_numbers() -> None:
    assert redact('{"event_id": "010190-1234", "x": "0101901234"}') == (
        '{"event_id": "[CPR fjernet]", "x": "[CPR fjernet]"}'
    )


def test_schema_file_channels_and_directions_match_the_code_table() -> None:
    validator = schema_validator()
    codes = code_table()
    for channel in codes.channels.values():
        for direction in ("in", "out"):
            event = {**GOOD, "channel": channel.name, "direction": direction}
            del event["completion"]
            assert validator.is_valid(event) == (direction in channel.directions), (channel.name, direction)
        immediate = {**GOOD, "channel": channel.name, "direction": channel.directions[0]}
        assert validator.is_valid(immediate), channel.name  # STRAKS is registered on every channel


VALUES = {
    "schema_version": st.sampled_from([1, 2, "1", None]),
    "event_id": st.sampled_from(["a-1", "", "x" * 129, "with space", "ok_id.42"]),
    "source": st.sampled_from(["telephony", "Telephony", "", "self-service", "a" * 65]),
    "occurred_at": st.sampled_from(
        [
            "2026-11-20T09:15:00+01:00",
            "2026-11-20T08:15:00Z",
            "2026-11-20T09:15:00.123456+01:00",
            "2026-11-20",
            "2026-13-01T00:00:00Z",
            "2026-11-20T09:15:00",
        ]
    ),
    "municipality": st.sampled_from(["183", "0183", "18a", 183, "999", "751"]),
    "department": st.sampled_from(["borgerservice", "boern-unge", "Borgerservice", "-x", "unknown"]),
    "channel": st.sampled_from([*code_table().channels, "fax"]),
    "direction": st.sampled_from(["in", "out", "both"]),
    "inquiry_type": st.sampled_from([*code_table().inquiry_types, "KLAGE", "vejl", None, 7]),
    "kle": st.sampled_from(["23.05.10", "23.05", "23.5", "2305.10", "23.05.10 Flytning", None, ["23.05.10"]]),
    "completion": st.sampled_from(["immediate", "forwarded", "STRAKS", "x", None]),
    "form": st.sampled_from([True, False, "JA", 1, "måske", None]),
    "duration_s": st.sampled_from([0, 12.5, -1, 90000, True, "60", None]),
    "department_name": st.sampled_from(["Børn og Unge", "Borgerservice", " Borgerservice", "", "x" * 101, None, 3]),
    "extra": st.just("x"),
}
REQUIRED = ("schema_version", "event_id", "source", "occurred_at", "municipality", "department", "channel", "direction")


@st.composite
def candidate_events(draw: st.DrawFn) -> dict[str, Any]:
    """A valid event with up to three fields changed, dropped or added: near the boundary."""
    event = {k: v for k, v in GOOD.items() if k in REQUIRED or draw(st.booleans())}
    event["channel"], event["direction"] = draw(st.sampled_from(code_table().channel_directions()))
    event.pop("completion", None)
    for name in draw(st.lists(st.sampled_from(sorted(VALUES)), max_size=3)):
        if draw(st.integers(0, 4)) == 0:
            event.pop(name, None)
        else:
            event[name] = draw(VALUES[name])
    return event


outcomes: list[bool] = []


def schema_judgement(event: dict[str, Any]) -> tuple[bool, set[str]]:
    """What the JSON Schema says: (are the counting fields and the shape valid, descriptive fields it refuses)."""
    counting_ok, refused = True, set()
    for error in schema_validator().iter_errors(event):
        field = error.absolute_path[0] if error.absolute_path else None
        if field in DESCRIPTIVE_FIELDS:
            refused.add(str(field))
        else:
            counting_ok = False
    return counting_ok, refused


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(candidate_events())
def check_validator_against_schema(event: dict[str, Any]) -> None:
    counting_ok, refused = schema_judgement(event)
    findings: list[Finding] = []
    try:
        parsed = parse_event(event, findings=findings)
    except InvalidEvent:
        parsed = None
    # Strict where the schema is strict: the counting fields and the shape.
    assert (parsed is not None) == counting_ok, event
    outcomes.append(parsed is not None)
    if parsed is None:
        return
    # Lenient where documented: every descriptive field the schema refuses is normalised or left out,
    # with a finding (null: absent, no finding); a valid one never has a finding.
    nulls = {name for name in DESCRIPTIVE_FIELDS if name in event and event[name] is None}
    # Beyond the schema: a display name must name the event's department (documented in its description).
    name = event.get("department_name")
    other = isinstance(name, str) and "department_name" not in refused and department_slug(name) != parsed.department
    assert {f.field for f in findings} == (refused - nulls) | ({"department_name"} if other else set()), (
        event,
        findings,
    )
    assert schema_validator().is_valid(parsed.to_json()), parsed  # what is counted is what the contract describes
    for field in DESCRIPTIVE_FIELDS:
        if field in event and field not in refused and not (field == "department_name" and other):
            assert parsed.to_json()[field] == event[field]


def test_validator_agrees_with_the_json_schema_on_counting_fields_and_is_lenient_on_descriptive_ones() -> None:
    outcomes.clear()
    check_validator_against_schema()
    # Both sides of the boundary were exercised, not just rejections.
    assert outcomes.count(True) > 100 and outcomes.count(False) > 100


def test_a_cpr_number_in_a_valid_looking_department_is_caught_every_time() -> None:
    # The department matches its slug pattern; being seen before must not let it through later.
    event = {**GOOD, "department": "sag-010190-1234"}
    for _ in range(2):
        with pytest.raises(InvalidEvent) as caught:
            parse_event(event)
        assert (caught.value.reason, caught.value.field) == (Reason.PERSONAL_DATA, "department")


def test_a_cpr_number_wins_over_any_other_reason() -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event({**GOOD, "channel": "fax", "event_id": "x-010190-1234"})
    assert (caught.value.reason, caught.value.field) == (Reason.PERSONAL_DATA, "event_id")
