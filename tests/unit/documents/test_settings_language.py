"""The settings', simulator profiles' and report inputs' own checks in the operator's language (issue 26):
Danish by default, English with `--language en`, from the one catalogue in streams/contract/texts.
(The schema and reading problems of every document: test_document_language.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.contract.texts import speaking
from streams.documents.profiles import ProfileError, load_profile
from streams.documents.report_inputs import load_units
from streams.documents.settings import ConfigError, Settings, load_settings
from streams.documents.shipped import simulator_profile
from streams.domain.report.inputs import ReportInputError
from tests.fixtures.factories import REPO_ROOT


def _refusals(environ: dict[str, str]) -> tuple[str, str]:
    """What load_settings says of `environ` in Danish, then in English."""
    with pytest.raises(ConfigError) as danish:
        load_settings(environ)
    with speaking("en"), pytest.raises(ConfigError) as english:
        load_settings(environ)
    return str(danish.value), str(english.value)


@pytest.mark.parametrize(
    ("environ", "danish", "english"),
    [
        (
            {"KOMHEN_PARTITIONS": "0"},
            "indstillingerne: partitions (KOMHEN_PARTITIONS) skal være mindst 1",
            "configuration: partitions (KOMHEN_PARTITIONS) must be at least 1",
        ),
        (
            {"KOMHEN_SNAPSHOT_KEYS_FILE": "/dev/null"},
            "indstillingerne: snapshot_keys_file (KOMHEN_SNAPSHOT_KEYS_FILE) peger på /dev/null, som ikke er en "
            "almindelig fil; angiv stien til en fil",
            "configuration: snapshot_keys_file (KOMHEN_SNAPSHOT_KEYS_FILE) names /dev/null, which is not a regular "
            "file; give the path of a file",
        ),
        (
            {"KOMHEN_BATCH_MAX": "five"},
            "miljøvariablen KOMHEN_BATCH_MAX: batch_max skal være et helt tal, men er 'five'",
            "environment variable KOMHEN_BATCH_MAX: batch_max must be a whole number, got 'five'",
        ),
        (
            {"KOMHEN_WEB_PORT": "70000"},
            "indstillingerne: web_port (KOMHEN_WEB_PORT) skal være et portnummer mellem 0 og 65535",
            "configuration: web_port (KOMHEN_WEB_PORT) must be a port number between 0 and 65535",
        ),
        (
            {"KOMHEN_MAX_SERIES": "5000"},
            "indstillingerne: max_series (KOMHEN_MAX_SERIES) skal være mindst 10000 (installationens egne serier)",
            "configuration: max_series (KOMHEN_MAX_SERIES) must be at least 10000 (the deployment's own series)",
        ),
        (
            {"KOMHEN_DEPARTMENTS": "183/Borger Service"},
            "indstillingerne: departments (KOMHEN_DEPARTMENTS) nævner 183/Borger Service; skriv kommune/afdeling, "
            "fx 183/borgerservice",
            "configuration: departments (KOMHEN_DEPARTMENTS) names 183/Borger Service; write municipality/department, "
            "e.g. 183/borgerservice",
        ),
        (
            {"KOMHEN_DEPARTMENTS": "183/sundhed, borgerservice"},
            "indstillingerne: departments (KOMHEN_DEPARTMENTS) nævner borgerservice; skriv kommune/afdeling, fx "
            "183/borgerservice",
            "configuration: departments (KOMHEN_DEPARTMENTS) names borgerservice; write municipality/department, "
            "e.g. 183/borgerservice",
        ),
        (
            {"KAFKA_SECURITY_PROTOCOL": "TLS"},
            "indstillingerne: security_protocol (KAFKA_SECURITY_PROTOCOL) skal være PLAINTEXT, SSL, SASL_PLAINTEXT "
            "eller SASL_SSL",
            "configuration: security_protocol (KAFKA_SECURITY_PROTOCOL) must be PLAINTEXT, SSL, SASL_PLAINTEXT or "
            "SASL_SSL",
        ),
    ],
    ids=["at least", "not a file", "whole number", "port", "series", "department", "no municipality", "protocol"],
)
def test_a_bad_setting_is_said_in_danish_and_english(environ: dict[str, str], danish: str, english: str) -> None:
    assert _refusals(environ) == (danish, english)


def test_a_bad_settings_file_and_a_bad_flag_are_said_in_danish_and_english(tmp_path: Path) -> None:
    config = tmp_path / "komhen.yaml"
    config.write_text("- topic\n", encoding="utf-8")
    assert _refusals({"KOMHEN_CONFIG": str(config)}) == (
        f"{config}: forventet er en tabel af indstilling: værdi på øverste niveau",
        f"{config}: expected a mapping of setting: value at the top level",
    )
    with pytest.raises(ConfigError) as danish:
        Settings().with_overrides(department_series="some")
    with speaking("en"), pytest.raises(ConfigError) as english:
        Settings().with_overrides(department_series="some")
    assert (str(danish.value), str(english.value)) == (
        "kommandolinjen: department_series (KOMHEN_DEPARTMENT_SERIES) skal være 'auto', 'full' eller 'lean', men "
        "er 'some'",
        "command line: department_series (KOMHEN_DEPARTMENT_SERIES) must be 'auto', 'full' or 'lean', got 'some'",
    )


def test_a_profiles_own_checks_are_said_in_danish_and_english(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(
        simulator_profile().read_text(encoding="utf-8").replace("SLVBTJN: 0.07", "KLAGE: 0.07"), encoding="utf-8"
    )
    with pytest.raises(ProfileError) as danish:
        load_profile(path)
    with speaking("en"), pytest.raises(ProfileError) as english:
        load_profile(path)
    assert (str(danish.value), str(english.value)) == (
        f"{path}: inquiry_types.KLAGE er ikke en KOMHEN-henvendelsestype; kendte er: OPRET, STATUS, INFO, VEJL, "
        "SLVBTJN, FEJL",
        f"{path}: inquiry_types.KLAGE is not a KOMHEN inquiry type; known: OPRET, STATUS, INFO, VEJL, SLVBTJN, FEJL",
    )


def test_a_units_file_for_another_municipality_is_said_in_danish_and_english() -> None:
    path = REPO_ROOT / "tests" / "data" / "status" / "units-183.yaml"
    with pytest.raises(ReportInputError) as danish:
        load_units(path, "461")
    with speaking("en"), pytest.raises(ReportInputError) as english:
        load_units(path, "461")
    assert (str(danish.value), str(english.value)) == (
        f"{path}: filen beskriver kommune 183, men rapporten er for kommune 461; brug enhedsfilen for 461",
        f"{path}: the file describes municipality 183, the report is for municipality 461; use the units file of 461",
    )
