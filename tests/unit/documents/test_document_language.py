"""A document's problems in the operator's language (issue 26): Danish by default, English with
`--language en` (or KOMHEN_LANGUAGE=en), from the one catalogue in streams/contract/texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.cli.exit import ExitCode
from streams.contract.texts import speaking
from streams.documents.reading import DocumentError, Limits, read_document
from streams.documents.source_registry import RegistryFileError, load_source_registry
from streams.documents.targets import TargetFileError, load_target_file
from streams.documents.validation import schema_problems
from tests.fixtures.factories import REPO_ROOT
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
