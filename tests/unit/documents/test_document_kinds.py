"""Every kind of document the project takes, through the documents layer: good files become frozen
values, bad ones are refused with their exact one-line message, and each schema says what the code
accepts. (Target files: test_targets.py; the reader's bounds: test_bounded_documents.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import jsonschema
import pytest
import yaml

from streams.contract.texts import speaking
from streams.documents.profiles import ProfileError, load_national_profile, load_profile
from streams.documents.reference import channel_prices, code_table, event_contract, measure_book, municipality_table
from streams.documents.report_inputs import load_reference, load_units
from streams.documents.settings import ConfigError, Settings, env_name, load_settings
from streams.documents.shipped import simulator_profile
from streams.documents.tokens import TokenFileError, load_tokens
from streams.domain.report.inputs import ReportInputError
from tests.fixtures.factories import REPO_ROOT, SCHEMAS


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """These tests are about each kind's checks, so they read the English lines (Danish: test_document_language)."""
    with speaking("en"):
        yield


TEL = "tel-token-0123456789abcdef"
SIMULATOR = REPO_ROOT / "deploy" / "simulator"


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def schema(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.json")))
def test_every_schema_is_a_valid_json_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


# --- the settings file (KOMHEN_CONFIG) ---------------------------------------------------------

TYPES = {int: "integer", float: "number", str: "string"}


def test_the_settings_schema_names_every_setting_with_its_type_and_variable() -> None:
    properties = json.loads((SCHEMAS / "config.v1.json").read_text(encoding="utf-8"))["properties"]
    assert {name: spec["type"] for name, spec in properties.items()} == {
        f.name: TYPES[type(f.default)] for f in fields(Settings)
    }
    for f in fields(Settings):
        assert properties[f.name]["description"].endswith(f"({env_name(f.name)})")


def test_a_settings_file_becomes_the_settings(tmp_path: Path) -> None:
    config = write(tmp_path, "topic: fra-fil\npartitions: 8\nbatch_within_s: 1\nsasl_password: 's3cret'\n")
    s = load_settings({"KOMHEN_CONFIG": str(config)})
    assert (s.topic, s.partitions, s.batch_within_s, s.sasl_password) == ("fra-fil", 8, 1.0, "s3cret")


def test_a_setting_of_the_wrong_type_is_refused_without_showing_its_value(tmp_path: Path) -> None:
    config = write(tmp_path, "partitions: otte\nsasl_password: 123456789\n")
    with pytest.raises(ConfigError) as caught:
        load_settings({"KOMHEN_CONFIG": str(config)})
    assert str(caught.value) == (
        f"KOMHEN_CONFIG={config}: partitions: a text of 4 characters is not of type 'integer'; "
        f"KOMHEN_CONFIG={config}: sasl_password: a whole number is not of type 'string'"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("snapshot_interval_s: .nan\n", "snapshot_interval_s: is NaN or infinite; write a finite number"),
        ("topik: x\n", "unknown setting 'topik'; known settings: batch_max,"),
        ("- topic\n", "expected a mapping of setting: value at the top level"),
    ],
    ids=["NaN", "unknown key", "a list"],
)
def test_a_bad_settings_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    config = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings({"KOMHEN_CONFIG": str(config)})
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity"])
def test_nan_and_infinities_are_refused_in_the_environment_too(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"KOMHEN_SNAPSHOT_INTERVAL_S": value})
    assert str(caught.value) == (
        f"environment variable KOMHEN_SNAPSHOT_INTERVAL_S: snapshot_interval_s must be a finite number, got {value!r}"
    )


def test_a_settings_file_that_is_a_device_is_refused_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"KOMHEN_CONFIG": "/dev/zero"})
    assert str(caught.value) == (
        "KOMHEN_CONFIG=/dev/zero: (file): is a character device; a settings file must be a regular file"
    )


# --- the ingest's tokens file ------------------------------------------------------------------

SELF = "self-token-0123456789abcdef"
TOKEN_FILES = [
    (f"telephony: {TEL}\nselfservice: '{SELF}'\n", None),
    ("", "expected a mapping of source id: bearer token with at least one source"),
    ("{}\n", "expected a mapping of source id: bearer token with at least one source"),
    (f"- {TEL}\n", "expected a mapping of source id: bearer token with at least one source"),
    ("telephony: short-token-15c\n", "the token of source 'telephony' has 15 characters; at least 16 are needed"),
    ("telephony: 123456789012345678\n", "the token of source 'telephony' must be a string"),
    (
        "telephony: 'has spaces in the token'\n",
        "the token of source 'telephony' has characters a bearer token cannot have "
        "(allowed: letters, digits, - . _ ~ + / and trailing =)",
    ),
    (
        f"Telephony: {TEL}\n",
        "'Telephony' is not a source id (lower-case letters, digits, '_', '.', '-'; at most 64 characters)",
    ),
    (
        f"{'t' * 65}: {TEL}\n",
        "'<a name of 65 characters>' is not a source id (lower-case letters, digits, '_', '.', '-'; at most 64 "
        "characters)",
    ),
    (f"telephony: {TEL}\nreception: {TEL}\n", "sources 'telephony' and 'reception' share a token; each source needs"),
    (f"telephony: {{token: {TEL}, municipalities: ['183', '165']}}\nselfservice: {SELF}\n", None),
    (f"telephony: {{token: {TEL}}}\n", "source 'telephony' needs 'municipalities'"),
    (f"telephony: {{token: {TEL}, municipalities: [183]}}\n", "telephony.municipalities[0]: 183 must be written in"),
    (
        f"telephony: {{token: {TEL}, municipalities: ['999']}}\n",
        "telephony.municipalities[0]: '999' is not one of Denmark's 98",
    ),
]
# What no schema can say: one source's token given twice, and which three-digit numbers are municipalities.
BEYOND_SCHEMA = ("share a token", "is not one of Denmark's")


@pytest.mark.parametrize(("text", "message"), TOKEN_FILES, ids=range(len(TOKEN_FILES)))
def test_the_tokens_schema_accepts_what_the_ingest_accepts(tmp_path: Path, text: str, message: str | None) -> None:
    path = write(tmp_path, text, "tokens.yaml")
    if message is None:
        assert load_tokens(path, municipality="183").sources == ["telephony", "selfservice"]
        assert schema("ingest-tokens.v1.json").is_valid(yaml.safe_load(text))
        return
    with pytest.raises(TokenFileError) as caught:
        load_tokens(path, municipality="183")
    assert str(caught.value).startswith(f"{path}: {message}")
    assert TEL not in str(caught.value)
    beyond = any(rule in message for rule in BEYOND_SCHEMA)
    assert schema("ingest-tokens.v1.json").is_valid(yaml.safe_load(text)) is beyond


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_tokens_file_that_is_a_device_is_refused_at_once(device: str) -> None:
    with pytest.raises(TokenFileError) as caught:
        load_tokens(Path(device))
    assert str(caught.value) == f"{device}: (file): is a character device; a tokens file must be a regular file"


# --- simulator profiles ------------------------------------------------------------------------


def test_the_shipped_profiles_load_and_follow_their_schemas() -> None:
    ishoej = load_profile()
    assert (ishoej.municipality, ishoej.inquiries_per_day, len(ishoej.departments)) == ("183", 1200, 8)
    assert ishoej.departments[2].slug == "boern-og-unge"
    national = load_national_profile()
    assert (national.base.municipality, len(national.population), national.scale) == ("183", 98, 0.04)
    for path, name in (
        (SIMULATOR / "ishoej.yaml", "simulator-profile"),
        (SIMULATOR / "national.yaml", "simulator-national"),
    ):
        assert schema(f"{name}.v1.json").is_valid(yaml.safe_load(path.read_text(encoding="utf-8")))


def profile_text(**changes: str) -> str:
    text = simulator_profile().read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "inquiries_per_day: 1200",
            "inquiries_per_day: .nan",
            "inquiries_per_day: is NaN or infinite; write a finite number",
        ),
        ("inquiries_per_day: 1200", "per_day: 1200", "inquiries_per_day: is required; PATH: per_day: unknown field;"),
        ("    sms: 0.05\n", "    fax: 0.05\n", "channels.out.fax is not a channel with direction out"),
        ("personal: 0.15", "personal: -0.15", "channels.in.personal: -0.15 is less than the minimum of 0"),
        ("SLVBTJN: 0.07", "KLAGE: 0.07", "inquiry_types.KLAGE is not a KOMHEN inquiry type"),
        ('municipality: "183"', 'municipality: "Atlantis"', "municipality 'Atlantis' is none of the 98 municipalities"),
        ("form_share: 0.3", "form_share: 30", "form_share: 30 is greater than the maximum of 1"),
        (
            'Social:             {weight: 0.05, kle: ["27.00.00", "32.00.00"]}',
            "Social:             {name: Social, weight: 0.05}",
            "departments.Social.name: unknown field; allowed: weight, kle",
        ),
        ('kle: ["25.00.00"]', 'kle: ["25"]', "departments.Skat og Opkrævning.kle[0]: '25' is not a KLE number"),
    ],
    ids=[
        "NaN",
        "missing key",
        "unknown channel",
        "negative weight",
        "inquiry type",
        "municipality",
        "share",
        "name",
        "KLE",
    ],
)
def test_a_bad_profile_is_refused_naming_the_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = write(tmp_path, profile_text(**{old: new}))
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert f"{path}: {message.replace('PATH', str(path))}" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_bad_national_profile_is_refused_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "ishoej.yaml").write_text(simulator_profile().read_text(encoding="utf-8"), encoding="utf-8")
    text = (SIMULATOR / "national.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, text.replace('"183": 24000', '"18": 24000'), "national.yaml")
    with pytest.raises(ProfileError) as caught:
        load_national_profile(path)
    assert str(caught.value) == f"{path}: population: '18' is not a municipality number of three digits, e.g. 183"
    path.write_text(text.replace("scale: 0.04", "scale: 0"), encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_national_profile(path)
    assert str(caught.value) == f"{path}: scale: 0 is less than or equal to the minimum of 0"


# --- units and reference files of the status report ---------------------------------------------


def test_a_units_file_and_a_reference_file_become_their_values() -> None:
    units = load_units(REPO_ROOT / "tests" / "data" / "status" / "units-183.yaml", "183")
    assert (units.municipality, units.names.department("boern-og-unge")) == ("183", "Børn og Unge")
    assert units.groups["borger-og-teknik"].departments == ("borgerservice", "teknik-og-miljoe")
    reference = load_reference(REPO_ROOT / "deploy" / "reference" / "landsgennemsnit-2013.yaml")
    assert (reference.name, reference.values["first_contact_resolution"]) == ("Landsgennemsnit 2013", 0.64)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema_version: 1\nmunicipality: 183\n", "municipality: 183 is not of type 'string'"),
        (
            "schema_version: 1\ndepartments: {Borger Service: x}\n",
            "departments: 'Borger Service' is not a department slug",
        ),
        ("schema_version: 1\ngroups: {g: {name: G}}\n", "groups.g.departments: is required"),
        ("schema_version: 2\n", "schema_version: 1 was expected"),
    ],
    ids=["number", "slug", "group", "version"],
)
def test_a_bad_units_file_is_refused_with_its_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ReportInputError) as caught:
        load_units(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_reference_value_of_nan_is_refused_naming_the_figure(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 1\nname: X\nvalues: {self_service_share: .nan}\n")
    with pytest.raises(ReportInputError) as caught:
        load_reference(path)
    assert str(caught.value) == f"{path}: values.self_service_share: is NaN or infinite; write a finite number"


# --- the shipped tables ------------------------------------------------------------------------


def test_the_shipped_tables_are_read_once_as_frozen_values() -> None:
    assert code_table() is code_table() and municipality_table() is municipality_table()
    assert (len(code_table().channels), len(municipality_table().all()), len(municipality_table().regions)) == (
        13,
        98,
        5,
    )
    assert measure_book().codes is code_table() and measure_book().prices == channel_prices()
    contract = event_contract()
    assert contract.municipalities == frozenset(municipality_table().by_number)
    assert contract.inquiry_types == tuple(code_table().inquiry_types)
    assert contract.service_required == (
        "schema_version",
        "kind",
        "event_id",
        "source",
        "occurred_at",
        "municipality",
        "department",
    )


def test_the_measure_book_gives_prices_to_the_cost_measure_only() -> None:
    from streams.domain.measures.measures import Measure

    book = measure_book()
    assert {m for m in Measure if book.prices_for(m)} == {Measure.COST_PER_INQUIRY}
