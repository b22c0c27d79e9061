"""Reception adapter: a served ticket is one personal inquiry; cancelled tickets and no-shows are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.documents.source_mappings import load_mapping
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.reception import ADAPTER
from tests.fixtures.factories import TZ
from tests.unit.ingress.adapters.helpers import SAMPLES, assert_golden, events, rejections, skips, write

SAMPLE = SAMPLES / "reception-tickets.csv"
HEADER = "ticket_id;drawn_at;service;status;called_at;finished_at;resolved\r\n"


@pytest.fixture
def mapping() -> SourceMapping:
    return load_mapping(SAMPLES / "reception-services.yaml", tz=TZ)


def test_the_sample_gives_exactly_the_golden_events(mapping: SourceMapping) -> None:
    results = list(ADAPTER.read(SAMPLE, mapping))
    assert_golden("reception.events.ndjson", events(results))
    assert rejections(results) == []


def test_cancelled_tickets_and_no_shows_are_not_inquiries(mapping: SourceMapping) -> None:
    assert skips(ADAPTER.read(SAMPLE, mapping)) == [(3, "ticket_no_show"), (5, "ticket_cancelled")]


def test_a_ticket_number_drawn_again_next_day_is_another_visit(mapping: SourceMapping) -> None:
    ids = [e["event_id"] for e in events(ADAPTER.read(SAMPLE, mapping))]
    assert "reception-2026-11-16-A101" in ids and "reception-2026-11-17-A101" in ids
    assert len(ids) == len(set(ids))


def test_local_times_get_the_danish_offset_in_force_and_latin1_files_are_read(
    tmp_path: Path, mapping: SourceMapping
) -> None:
    path = write(
        tmp_path,
        "tickets.csv",
        HEADER
        + "A1;2026-07-01 09:00:00;Pas og kørekort;served;;;\r\n"
        + "A1;2026-12-01 09:00:00;Pas og kørekort;served;;;\r\n"
        + "A2;2026-10-25 02:30:00;Pas og kørekort;served;2026-10-25 01:50:00;2026-10-25 03:10:00;\r\n",
        encoding="latin-1",
    )
    results = list(ADAPTER.read(path, mapping))
    produced = events(results)
    assert [(e["occurred_at"], e["department"]) for e in produced] == [
        ("2026-07-01T09:00:00+02:00", "borgerservice"),
        ("2026-12-01T09:00:00+01:00", "borgerservice"),
        # 02:30 on the autumn day occurs twice; the first (summer time) is taken.
        ("2026-10-25T02:30:00+02:00", "borgerservice"),
    ]
    assert produced[2]["duration_s"] == 8400, "01:50 summer time to 03:10 winter time is 2 h 20 min"


def test_bad_records_are_rejected_with_their_line_and_reason(tmp_path: Path, mapping: SourceMapping) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        HEADER + "A1;2026-11-16 08:00:00;Pas og kørekort;parked;;;\r\nA2;;Pas og kørekort;served;;;\r\n",
    )
    assert rejections(ADAPTER.read(path, mapping)) == [
        (2, "unknown_code", "status 'parked' is not one of served, cancelled, no_show"),
        (3, "missing_field", "drawn_at is missing"),
    ]
