"""SDK and ingest: an implausible descriptive value is a warning next to an accepted event, never a rejection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streams.documents.settings import Settings
from streams.domain.events.descriptive import FindingReason
from streams.ingress.http.payload import validate_with_warnings
from streams.ingress.publisher import check_events
from tests.fixtures.factories import event_json, parser

NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)


def test_the_sdk_publishes_events_with_odd_descriptive_values_as_given_and_warns() -> None:
    items = [
        event_json("a", occurred_at=NOW, form="J"),
        event_json("b", occurred_at=NOW, channel="fax"),  # counting field: rejected
        event_json("c", occurred_at=NOW, kle="23.05.10 Flytning", inquiry_type="KLAGE"),
        event_json("d", occurred_at=NOW, completion="immediate", channel="web"),  # STRAKS on the web: as registered
    ]
    checked = check_events(items, Settings(), parser())
    assert checked.valid == [items[0], items[2], items[3]]  # sent as given: the worker reads them the same way
    assert [(i, e.reason.value, e.field) for i, e in checked.rejected] == [(1, "unknown_code", "channel")]
    assert [(i, f.field, f.reason) for i, f in checked.warnings] == [
        (0, "form", FindingReason.NORMALISED),
        (2, "kle", FindingReason.NORMALISED),
        (2, "inquiry_type", FindingReason.UNKNOWN_CODE),
    ]


def test_ingest_lists_warnings_with_their_index_and_redacts_them() -> None:
    items = [
        event_json("a", occurred_at=NOW),
        event_json("b", occurred_at=NOW, duration_s=-5),
        event_json("c", occurred_at=NOW, department_name="x" * 101),
    ]
    valid, errors, warnings = validate_with_warnings(items, Settings(), parser())
    assert (len(valid), errors) == (3, [])
    assert [w.to_json() for w in warnings] == [
        {
            "index": 1,
            "reason": "invalid_format",
            "field": "duration_s",
            "detail": "duration_s -5 is not a number of seconds from 0 to 86400; left out, the inquiry is counted",
        },
        {
            "index": 2,
            "reason": "too_long",
            "field": "department_name",
            "detail": f"department_name {'x' * 40!r} is not a name of 1 to 100 characters without control "
            "characters; left out, the inquiry is counted",
        },
    ]
