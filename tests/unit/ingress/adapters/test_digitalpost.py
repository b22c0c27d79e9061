"""Digital Post / print adapter: the delivery route decides the channel; incoming Digital Post is in."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.documents.source_mappings import load_mapping
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.digitalpost import ADAPTER
from tests.fixtures.factories import TZ
from tests.unit.ingress.adapters.helpers import SAMPLES, assert_golden, events, rejections, write

SAMPLE = SAMPLES / "digitalpost-letters.ndjson"
AT = '"timestamp": "2026-11-16T08:00:00+01:00"'


@pytest.fixture
def mapping() -> SourceMapping:
    return load_mapping(SAMPLES / "digitalpost-units.yaml", tz=TZ)


def test_the_sample_gives_exactly_the_golden_events(mapping: SourceMapping) -> None:
    results = list(ADAPTER.read(SAMPLE, mapping))
    assert_golden("digitalpost.events.ndjson", events(results))
    assert len(events(results)) == len(results)


@pytest.mark.parametrize(
    ("direction", "route", "channel"),
    [
        ("out", "digital_mailbox", "digital_post"),
        ("out", "remote_print", "remote_print"),
        ("out", "output_manager", "output_manager"),
        ("out", "Remote_Print", "remote_print"),
        ("in", "digital_mailbox", "digital_post"),
        ("in", None, "digital_post"),
    ],
)
def test_the_delivery_route_decides_the_channel(
    tmp_path: Path, mapping: SourceMapping, direction: str, route: str | None, channel: str
) -> None:
    route_field = f', "route": "{route}"' if route else ""
    path = write(tmp_path, "l.ndjson", f'{{"id": "1", "direction": "{direction}"{route_field}, "unit": "BS", {AT}}}\n')
    [event] = events(ADAPTER.read(path, mapping))
    assert (event["channel"], event["direction"], event["department"]) == (channel, direction, "borgerservice")


def test_bad_records_are_rejected_with_their_line_and_reason(tmp_path: Path, mapping: SourceMapping) -> None:
    path = write(
        tmp_path,
        "bad.ndjson",
        f'{{"id": "1", "direction": "out", {AT}}}\n'
        f'{{"id": "2", "direction": "out", "route": "fax", {AT}}}\n'
        f'{{"id": "3", "direction": "in", "route": "remote_print", {AT}}}\n'
        f'{{"id": "4", "direction": "out", "route": "digital_mailbox", "timestamp": "i går"}}\n',
    )
    assert rejections(ADAPTER.read(path, mapping)) == [
        (1, "missing_field", "route is missing"),
        (2, "unknown_code", "route 'fax' is not one of digital_mailbox, remote_print, output_manager"),
        (3, "direction_not_allowed", "incoming Digital Post has route digital_mailbox or none"),
        (4, "invalid_format", "timestamp 'i går' is not a date and time like 2026-11-16T08:02:11+01:00"),
    ]
