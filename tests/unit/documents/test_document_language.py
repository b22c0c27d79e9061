"""A document's problems in the operator's language (issue 26): Danish by default, English with
`--language en` (or KOMHEN_LANGUAGE=en), from the one catalogue in streams/contract/texts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from streams.cli.exit import ExitCode
from streams.cli.publish import read_items
from streams.contract.texts import speaking
from streams.documents.reading import DocumentError, Limits, read_document
from streams.documents.settings import ConfigError, Settings
from streams.documents.source_mappings import MappingError, parse_definition
from streams.documents.source_registry import RegistryFileError, describe, load_source_registry, source_registry
from streams.documents.targets import TargetFileError, load_target_file
from streams.documents.validation import schema_problems
from streams.domain.organisation.source_registry import SourceRegistry
from tests.fixtures.factories import REPO_ROOT, TZ
from tests.unit.documents.test_documents_cli import komhen


def _bad_target_file(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.yaml"
    bad.write_text("threshold: x\n", encoding="utf-8")
    return bad


def test_a_bad_target_file_is_refused_in_danish_by_default(tmp_path: Path) -> None:
    bad = _bad_target_file(tmp_path)
    assert komhen("rules", "generate", str(bad), "--out", str(tmp_path / "rules")) == (
        ExitCode.UNUSABLE,
        "",
        f"komhen rules: {bad}: municipality: mangler; {bad}: schema_version: mangler; {bad}: targets: mangler; "
        f"{bad}: threshold: ukendt felt; tilladt er: schema_version, municipality, min_inquiries, targets\n",
    )


@pytest.mark.parametrize(("flag", "env"), [(["--language", "en"], {}), ([], {"KOMHEN_LANGUAGE": "en"})])
def test_the_same_file_is_refused_in_english_on_request(tmp_path: Path, flag: list[str], env: dict[str, str]) -> None:
    bad = _bad_target_file(tmp_path)
    assert komhen(*flag, "rules", "generate", str(bad), "--out", str(tmp_path / "rules"), env=env) == (
        ExitCode.UNUSABLE,
        "",
        f"komhen rules: {bad}: municipality: is required; {bad}: schema_version: is required; {bad}: targets: is "
        f"required; {bad}: threshold: unknown field; allowed: schema_version, municipality, min_inquiries, targets\n",
    )


TARGETS = {
    "schema_version": 1,
    "municipality": 183,
    "min_inquiries": 0,
    "targets": [
        {
            "id": "x",
            "title": "x",
            "measure": "self_service_rate",
            "scope": ["_all"],
            "comparator": ">",
            "threshold": "0.4",
            "window": "7d",
            "severity": "warning",
            "owner": {},
        }
    ],
}


def test_the_schema_problems_read_in_danish_and_english() -> None:
    danish = schema_problems("targets.v1.json", TARGETS)
    with speaking("en"):
        english = schema_problems("targets.v1.json", TARGETS)
    assert danish == [
        ("min_inquiries", "0 er mindre end mindsteværdien 1"),
        ("municipality", "183 er ikke en tekst"),
        ("targets[0].comparator", "'>' er ikke en af '>=', '<='"),
        ("targets[0].owner", "{} må ikke være tom"),
        ("targets[0].threshold", "'0.4' er ikke et tal"),
    ]
    assert english == [
        ("min_inquiries", "0 is less than the minimum of 1"),
        ("municipality", "183 is not of type 'string'"),
        ("targets[0].comparator", "'>' is not one of ['>=', '<=']"),
        ("targets[0].owner", "{} should be non-empty"),
        ("targets[0].threshold", "'0.4' is not of type 'number'"),
    ]


def _refused(path: Path, limits: Limits) -> str:
    with pytest.raises(DocumentError) as refused:
        read_document(path, "target file", limits=limits)
    return str(refused.value)


def test_the_bounds_are_said_in_danish_with_danish_numbers(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: 1\n" * 300, encoding="utf-8")
    assert _refused(big, Limits(max_bytes=1_200)) == (
        f"{big}: (filen): er større end 1.200 byte, mere end en målfil må fylde"
    )
    nan = tmp_path / "nan.yaml"
    nan.write_text("threshold: .nan\n", encoding="utf-8")
    assert _refused(nan, Limits()) == f"{nan}: threshold: er NaN eller uendelig; skriv et endeligt tal"
    twice = tmp_path / "twice.yaml"
    twice.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    assert _refused(twice, Limits()) == f"{twice}: linje 3, kolonne 1: er ikke gyldig YAML: nøglen 'a' står to gange"
    assert _refused(tmp_path, Limits()) == (f"{tmp_path}: (filen): er en mappe; en målfil skal være en almindelig fil")


def test_a_target_files_own_checks_are_said_in_danish_and_english() -> None:
    path = REPO_ROOT / "tests/data/targets/bad/threshold-as-percent.yaml"
    with pytest.raises(TargetFileError) as danish:
        load_target_file(path)
    with speaking("en"), pytest.raises(TargetFileError) as english:
        load_target_file(path)
    assert (str(danish.value), str(english.value)) == (
        f"{path}: targets[0].threshold: channel_share er en andel mellem 0 og 1, men er 40 (skriv 40 % som 0.4)",
        f"{path}: targets[0].threshold: channel_share is a rate between 0 and 1, got 40 (write 40 % as 0.4)",
    )


def test_a_registrys_own_checks_are_said_in_danish_and_english(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("telephony: {municipalities: [183, '183', '183']}\n", encoding="utf-8")
    with pytest.raises(RegistryFileError) as danish:
        load_source_registry(path)
    with speaking("en"), pytest.raises(RegistryFileError) as english:
        load_source_registry(path)
    assert (str(danish.value), str(english.value)) == (
        f'{path}: telephony.municipalities[0]: 183 skal skrives i anførselstegn, fx "183"; '
        f"{path}: telephony.municipalities[2]: kommune 183 står to gange",
        f'{path}: telephony.municipalities[0]: 183 must be written in quotes, e.g. "183"; '
        f"{path}: telephony.municipalities[2]: municipality 183 is listed twice",
    )


DEFINITION = (REPO_ROOT / "tests/data/sources/booking/source.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "danish", "english"),
    [
        (
            'format: ["%d-%m-%Y %H:%M", iso]',
            'format: ["%d-%m-%Y %H:%M", dansk]',
            "time.format: 'dansk' er ikke iso, epoch, epoch_ms eller et strptime-mønster; skriv fx %d-%m-%Y %H:%M",
            "time.format: 'dansk' is not iso, epoch, epoch_ms or a strptime pattern; write e.g. %d-%m-%Y %H:%M",
        ),
        (
            "- when: {status: internal}",
            "- when: {status: {matches: 'held|('}}",
            "rules[0].when.status: 'held|(' er ikke et gyldigt regulært udtryk (fejlen står ved tegn 6); ret mønsteret",
            "rules[0].when.status: 'held|(' is not a valid regular expression (the error is at character 6); "
            "correct the pattern",
        ),
    ],
)
def test_a_source_definitions_own_checks_are_said_in_danish_and_english(
    old: str, new: str, danish: str, english: str
) -> None:
    assert old in DEFINITION
    broken = DEFINITION.replace(old, new)
    with pytest.raises(MappingError) as in_danish:
        parse_definition(broken, "source.yaml", tz=TZ)
    with speaking("en"), pytest.raises(MappingError) as in_english:
        parse_definition(broken, "source.yaml", tz=TZ)
    assert (str(in_danish.value), str(in_english.value)) == (f"source.yaml: {danish}", f"source.yaml: {english}")


def test_what_a_registry_lets_through_is_said_in_danish_and_english() -> None:
    registry = SourceRegistry.of({"os2forms": ["183"]})
    lines = [describe(registry), describe(SourceRegistry.single("183"))]
    with speaking("en"):
        lines += [describe(registry), describe(SourceRegistry.single("183"))]
    assert lines == [
        "kilderegister: 1 kilde, os2forms (183)",
        "hver kilde skriver kun for kommune 183 (KOMHEN_MUNICIPALITY)",
        "sources registry: 1 source, os2forms (183)",
        "every source writes for municipality 183 only (KOMHEN_MUNICIPALITY)",
    ]


@pytest.mark.parametrize(
    ("name", "content", "danish", "english"),
    [
        (
            "tab.yaml",
            "a:\n\tb: 1\n",
            "linje 2, kolonne 1: er ikke gyldig YAML: en tabulator, hvor YAML kun tillader mellemrum; indryk med "
            "mellemrum",
            "line 2, column 1: is not valid YAML: a tab where YAML allows only spaces; indent with spaces",
        ),
        (
            "block.yaml",
            "comparator: >=\n",
            "linje 1, kolonne 14: er ikke gyldig YAML: en værdi, der begynder med > eller |, læses som en tekstblok; "
            "sæt værdien i anførselstegn, fx '>='",
            "line 1, column 14: is not valid YAML: a value that begins with > or | is read as a block of text; put the "
            "value in quotes, e.g. '>='",
        ),
        (
            "quote.yaml",
            "a: 1\nb: 'to\nc: 3\n",
            "linje 2, kolonne 4: er ikke gyldig YAML: et anførselstegn, der begynder her, lukkes aldrig; slut "
            "teksten med samme slags anførselstegn",
            "line 2, column 4: is not valid YAML: a quote that begins here is never closed; end the text with the "
            "same quote",
        ),
        (
            "colon.yaml",
            "a: b: c\n",
            "linje 1, kolonne 5: er ikke gyldig YAML; tjek indrykningen, kolonerne og anførselstegnene her eller "
            "lige før",
            "line 1, column 5: is not valid YAML; check the indentation, colons and quotes here or just before",
        ),
        (
            "alias.yaml",
            "a: *x\n",
            "linje 1, kolonne 4: er ikke gyldig YAML: et alias (*navn) uden et anker (&navn) før det; sæt ankeret, "
            "eller skriv værdien ud",
            "line 1, column 4: is not valid YAML: an alias (*name) without an anchor (&name) before it; set the "
            "anchor or write the value",
        ),
        (
            "two.yaml",
            "a: 1\n---\nb: 2\n",
            "linje 2, kolonne 1: er ikke gyldig YAML: et dokument mere (---) begynder her; filen må kun have ét",
            "line 2, column 1: is not valid YAML: another document (---) begins here; the file may hold only one",
        ),
        (
            "comma.json",
            '{"a": 1,\n "b": 2,\n}',
            "linje 3, kolonne 1: er ikke gyldig JSON; tjek kommaerne (intet efter det sidste), kolonerne, klammerne "
            "og de dobbelte anførselstegn her eller lige før",
            "line 3, column 1: is not valid JSON; check the commas (none after the last), colons, brackets and double "
            "quotes here or just before",
        ),
    ],
)
def test_a_file_the_parser_refuses_is_told_where_and_what_to_do_without_the_parsers_english(
    tmp_path: Path, name: str, content: str, danish: str, english: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    refused = _refused(path, Limits())
    with speaking("en"):
        refused_en = _refused(path, Limits())
    assert (refused, refused_en) == (f"{path}: {danish}", f"{path}: {english}")


def test_a_line_komhen_publish_cannot_read_as_json_says_where_without_the_parsers_english() -> None:
    ndjson, array = b'{"a": 1}\n{not json\n', b'[{"schema_version": 1},\n  {"oops"\n]'
    said = [str(item.value) for content in (ndjson, array) for item in read_items(io.BytesIO(content))][1:]
    with speaking("en"):
        said += [str(item.value) for content in (ndjson, array) for item in read_items(io.BytesIO(content))][1:]
    hint_da = (
        "; tjek kommaerne (intet efter det sidste), kolonerne, klammerne og de dobbelte anførselstegn der eller "
        "lige før"
    )
    hint_en = "; check the commas (none after the last), colons, brackets and double quotes there or just before"
    assert said == [
        "ikke gyldig JSON (plads 2 i linjen)" + hint_da,
        "ikke gyldig JSON (linje 3, kolonne 1)" + hint_da,
        "not valid JSON (position 2 of the line)" + hint_en,
        "not valid JSON (line 3, column 1)" + hint_en,
    ]


def test_a_municipality_setting_that_is_no_municipality_is_said_as_the_settings_say_theirs() -> None:
    with pytest.raises(ConfigError) as danish:
        source_registry(Settings(municipality="999"))
    assert str(danish.value) == (
        "indstillingerne: municipality (KOMHEN_MUNICIPALITY) '999' er ikke et af Danmarks 98 kommunenumre; "
        "sæt den til kommunens nummer, fx 183 for Ishøj"
    )
