"""Shared adapter parts: mapping files with exact errors, and CSV / JSON-lines reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.documents.source_mappings import MappingError, load_mapping
from streams.domain.events.inquiry import InvalidEvent, Reason
from streams.domain.sources.units import Task
from streams.ingress.adapters.base import RejectedRow, SourceRecord, read_records
from tests.fixtures.factories import TZ
from tests.unit.ingress.adapters.helpers import SAMPLES, write


@pytest.mark.parametrize(
    "name", ["telephony-queues.yaml", "selfservice-forms.yaml", "digitalpost-units.yaml", "reception-services.yaml"]
)
def test_every_sample_mapping_file_loads(name: str) -> None:
    assert load_mapping(SAMPLES / name, tz=TZ).municipality == "183"


def test_mapping_values_are_read_as_text_and_made_into_department_slugs(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m.yaml",
        "municipality: 183\ndepartments:\n  0701: Børn og Unge\n  7002: 259borgerservice\n"
        "tasks:\n  0701: {kle: 23.05.10, inquiry_type: opret}\n",
    )
    mapping = load_mapping(path, tz=TZ)
    assert mapping.municipality == "183"
    assert dict(mapping.departments) == {"0701": "boern-og-unge", "7002": "259borgerservice"}
    assert dict(mapping.tasks) == {"0701": Task("23.05.10", "OPRET")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n", "m.yaml: forventet er nøglerne municipality, departments og eventuelt tasks"),
        (
            "municipality: '183'\ndepartment: {}\n",
            "m.yaml: ukendt nøgle 'department'; tilladt er municipality, departments, tasks",
        ),
        (
            "municipality: 18\n",
            "m.yaml: municipality skal nævne en af de 98 kommuner ved nummer elle"
            "r navn, fx 183 eller Ishøj, men er '18'",
        ),
        (
            "departments: {}\n",
            "m.yaml: municipality skal nævne en af de 98 kommuner ved nummer elle"
            "r navn, fx 183 eller Ishøj, men er en tom værdi (null)",
        ),
        (
            "municipality: Atlantis\n",
            "m.yaml: municipality skal nævne en af de 98 kommuner ved nummer elle"
            "r navn, fx 183 eller Ishøj, men er 'Atlantis'",
        ),
        (
            "municipality: '183'\ndepartments: [a]\n",
            "m.yaml: departments skal være en tabel af kildens nøgler, men er ['a']",
        ),
        (
            "municipality: '183'\ndepartments:\n  '7001': '???'\n",
            "m.yaml: departments.7001: enheden '???' har hverken bogstaver eller cifre at kende afdelingen på; "
            "giv den et navn med bogstaver eller cifre",
        ),
        (
            "municipality: '183'\ndepartments:\n  '7001': {a: b}\n",
            "m.yaml: departments.7001: forventet er et afdelingsnavn, men er en dict",
        ),
        (
            "municipality: '183'\ntasks:\n  flyt: 23.05.10\n",
            "m.yaml: tasks.flyt: forventet er kle og/eller inquiry_type",
        ),
        (
            "municipality: '183'\ntasks:\n  flyt: {kle: 23.5}\n",
            "m.yaml: tasks.flyt.kle: '23.5' er ikke et KLE-nummer NN.NN.NN",
        ),
        (
            "municipality: '183'\ntasks:\n  flyt: {type: OPRET}\n",
            "m.yaml: tasks.flyt: ukendt nøgle 'type'; tilladt er kle, inquiry_type",
        ),
        (
            "municipality: '183'\ntasks:\n  flyt: {inquiry_type: NY}\n",
            "m.yaml: tasks.flyt.inquiry_type: 'NY' er ikke en af OPRET, STATUS, INFO, VEJL, SLVBTJN, FEJL",
        ),
        (
            "municipality: [\n",
            "m.yaml: linje 2, kolonne 1: er ikke gyldig YAML; tjek indrykningen, kolonerne og anførselstegnene her "
            "eller lige før",
        ),
    ],
)
def test_a_bad_mapping_file_is_refused_naming_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "m.yaml", text)
    with pytest.raises(MappingError) as caught:
        load_mapping(path, tz=TZ)
    assert str(caught.value).replace(str(tmp_path) + "/", "") == message


def test_a_missing_mapping_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"nope\.yaml: \(filen\): kan ikke læses: findes ikke$"):
        load_mapping(tmp_path / "nope.yaml", tz=TZ)


def test_csv_with_semicolons_a_bom_and_blank_lines_keeps_physical_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", '\ufeffTicket_ID ; Status;\r\n\r\nA1;served;\r\n;;\r\nA2;"cancelled";\r\n')
    records = list(read_records(path, TZ))
    assert [(r.line, r.text("ticket_id"), r.text("status")) for r in records if isinstance(r, SourceRecord)] == [
        (3, "A1", "served"),
        (5, "A2", "cancelled"),
    ]


def test_an_empty_file_has_no_records(tmp_path: Path) -> None:
    assert list(read_records(write(tmp_path, "e.csv", "\n\n"), TZ)) == []


def test_a_json_line_that_is_not_an_object_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "r.ndjson", '{"id": 1}\n42\n')
    results = list(read_records(path, TZ))
    assert isinstance(results[0], SourceRecord) and results[0].text("id") == "1"
    assert results[1] == RejectedRow(str(path), 2, Reason.WRONG_TYPE, "a record must be a JSON object, got int")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("Ja", True), ("nej", False), ("1", True), ("no", False), ("", None), (None, None)],
)
def test_a_flag_reads_json_booleans_and_danish_or_english_words(value: object, expected: bool | None) -> None:
    assert SourceRecord("f", 1, {"resolved": value}, TZ).flag("resolved") is expected


def test_a_number_where_text_is_expected_is_read_but_a_float_is_not() -> None:
    record = SourceRecord("f", 1, {"id": 17, "queue": 70.01}, TZ)
    assert record.text("id") == "17"
    with pytest.raises(InvalidEvent, match="queue must be text, got float"):
        record.text("queue")
