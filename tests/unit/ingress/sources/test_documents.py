"""Source-mapping documents: every shipped and sample one is valid, and a broken one is one exact line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from streams.documents.reading import parse_yaml
from streams.documents.shipped import shipped_source, shipped_sources
from streams.documents.source_mappings import MappingError, load_definition, load_mapping, parse_definition
from streams.ingress.adapters import ADAPTERS
from tests.fixtures.factories import REPO_ROOT, TZ
from tests.unit.ingress.sources.golden import SOURCES

SCHEMA = json.loads((REPO_ROOT / "schemas" / "source-mapping.v1.json").read_text(encoding="utf-8"))
UNIT_FILES = [
    *sorted((REPO_ROOT / "schemas" / "samples").glob("*.yaml")),
    *sorted(SOURCES.glob("*/mapping*.yaml")),
]
DEFINITIONS = [*(shipped_source(n) for n in shipped_sources()), *sorted(SOURCES.glob("*/source.yaml"))]


def test_the_shipped_definitions_are_the_four_systems() -> None:
    assert shipped_sources() == ["contact-centre", "os2forms", "qmatic-calendar", "qmatic-orchestra"]


@pytest.mark.parametrize("path", [*UNIT_FILES, *DEFINITIONS], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_document_is_valid_against_the_schema_as_any_json_schema_validator_reads_it(path: Path) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(parse_yaml(path.read_text(encoding="utf-8"), str(path)))


@pytest.mark.parametrize("path", UNIT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_unit_mapping_loads(path: Path) -> None:
    adapter = ADAPTERS.get(path.parent.name)  # an adapter's own section (asterisk:) is read by its parser
    assert load_mapping(path, tz=TZ, sections=adapter.sections if adapter else None).municipality == "183"


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_every_definition_loads_and_names_each_skip_in_danish(path: Path) -> None:
    definition = load_definition(path, tz=TZ)
    assert all(reason != da for reason, da in definition.skip_reasons_da().items())


GOOD = """version: 1
source: demo
records: {format: csv}
fields: {id: Id, at: Start, queue: Queue}
identity: [id]
time: {field: at}
unit: queue
inquiry: {channel: phone, direction: in}
rules:
  - inquiry: true
"""


def broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "version: 1\nsource: demo\n",
            "demo.yaml: en kildedefinition skal have version: 1, source, records, fields, "
            "identity, time, inquiry og rules (se docs/sources.md)",
        ),
        (broken("version: 1", "version: 2"), "demo.yaml: version: skal være 1"),
        (
            broken("{format: csv}", "{format: xml}"),
            "demo.yaml: records.format: 'xml' er ikke en af 'csv', 'json', 'ndjson'",
        ),
        (
            broken("identity: [id]", "identity: [ref]"),
            "demo.yaml: identity: 'ref' er ikke et af felterne (at, id, queue); brug et af dem, eller tilføj det "
            "under fields",
        ),
        (broken("unit: queue", "unit: kø"), "demo.yaml: unit: 'kø' passer ikke til nogen af de tilladte former"),
        (
            broken("{channel: phone", "{channel: fax"),
            "demo.yaml: inquiry.channel: 'fax' er ikke en af chat, "
            "digital_post, email, letter, output_manager, personal, phone, remote_print, self_service, sms, "
            "social_media, system, web",
        ),
        (
            broken("{channel: phone, direction: in}", "{channel: self_service, direction: out}"),
            "demo.yaml: inquiry.direction: kanalen self_service tillader kun retningen in",
        ),
        (
            broken("{field: at}", "{field: at, zone: Europe/Ishoej}"),
            "demo.yaml: time.zone: 'Europe/Ishoej' er ikke en kendt tidszone; skriv fx Europe/Copenhagen",
        ),
        (
            broken("{field: at}", "{field: at, format: dansk}"),
            "demo.yaml: time.format: 'dansk' er ikke iso, epoch, epoch_ms eller et strptime-mønster; "
            "skriv fx %d-%m-%Y %H:%M",
        ),
        (
            broken("  - inquiry: true", "  - when: {queue: {matches: '('}}\n    inquiry: true"),
            "demo.yaml: rules[0].when.queue: '(' er ikke et gyldigt regulært udtryk (fejlen står ved tegn 1); "
            "ret mønsteret",
        ),
        (
            broken("  - inquiry: true", "  - inquiry: true\n    skip: {reason: x, da: y}"),
            "demo.yaml: rules[0]: en tabel med 2 nøgler passer ikke til nogen af de tilladte former",
        ),
        (
            broken("  - inquiry: true", "  - service: call_dropped"),
            "demo.yaml: rules[0].service: 'call_dropped' passer ikke til nogen af de tilladte former",
        ),
        (
            broken("records: {format: csv}", "records: {format: csv, encoding: klingon}"),
            "demo.yaml: records.encoding: 'klingon' er ikke en kendt tegnkodning; skriv fx utf-8, utf-16 eller cp1252",
        ),
        (
            broken("records: {format: csv}", "records: {format: csv, header: false}"),
            "demo.yaml: records.columns: en CSV-fil uden overskriftslinje skal have kolonnernes navne i rækkefølge "
            "under columns",
        ),
        (
            GOOD + "municipality: Atlantis\n",
            "demo.yaml: municipality skal nævne en af de 98 kommuner ved nummer elle"
            "r navn, fx 183 eller Ishøj, men er 'Atlantis'",
        ),
        (
            GOOD + "colour: blue\n",
            "demo.yaml: colour: ukendt felt; tilladt er: version, source, description, "
            "records, fields, identity, time, unit, task, inquiry, rules, municipality, departments, tasks, asterisk",
        ),
        (GOOD + "rules: []\n", "demo.yaml: linje 11, kolonne 1: er ikke gyldig YAML: nøglen 'rules' står to gange"),
    ],
)
def test_a_broken_definition_is_one_line_naming_the_file_and_key(text: str, message: str) -> None:
    with pytest.raises(MappingError) as caught:
        parse_definition(text, "demo.yaml", tz=TZ)
    assert str(caught.value) == message


def test_a_unit_mapping_keeps_keys_as_text_and_a_definition_may_carry_its_own(tmp_path: Path) -> None:
    path = tmp_path / "own.yaml"
    path.write_text(GOOD + "municipality: 183\ndepartments: {0701: Børn og Unge}\n", encoding="utf-8")
    units = load_definition(path, tz=TZ).units
    assert units is not None
    assert (units.municipality, dict(units.departments)) == ("183", {"0701": "boern-og-unge"})


def test_a_definition_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"nope.yaml: \(filen\): kan ikke læses: findes ikke$"):
        load_definition(tmp_path / "nope.yaml", tz=TZ)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(GOOD.replace("demo", "dém").encode("latin-1"))
    with pytest.raises(MappingError, match=r"latin.yaml: \(filen\): er ikke UTF-8-tekst; gem filen som UTF-8$"):
        load_definition(latin, tz=TZ)
