"""The sources registry: which municipalities each source may write for, read and checked as a document;
and what holds without one (KOMHEN_MUNICIPALITY, or every source for every municipality)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from streams.contract.texts import speaking
from streams.documents.settings import ConfigError, Settings, load_settings
from streams.documents.shipped import schema
from streams.documents.source_registry import RegistryFileError, describe, load_source_registry, source_registry
from streams.domain.organisation.source_registry import SourceRegistry
from tests.fixtures.factories import REPO_ROOT, SCHEMAS


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """These tests read the English lines (the Danish ones: test_document_language)."""
    with speaking("en"):
        yield


REGISTRY = """\
telephony-183: {municipalities: ["183"]}
os2forms:
  municipalities: ["183", "165"]
komhen-import: {municipalities: ["101"]}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_registry_file_lets_each_source_write_for_its_municipalities_and_no_other_source_for_any(
    tmp_path: Path,
) -> None:
    registry = load_source_registry(write(tmp_path, REGISTRY))
    assert registry.sources == ["komhen-import", "os2forms", "telephony-183"]
    allowed = {
        (s, m)
        for s in ("telephony-183", "os2forms", "komhen-import", "telephony-165")
        for m in ("183", "165", "101")
        if registry.allows(s, m)
    }
    assert allowed == {("telephony-183", "183"), ("os2forms", "183"), ("os2forms", "165"), ("komhen-import", "101")}
    assert registry.refusal("telephony-165", "165") == "source telephony-165 is not in the sources registry"
    assert (
        registry.refusal("os2forms", "101") == "source os2forms may write for municipalities 165 and 183 only, not 101"
    )
    assert describe(registry) == (
        "sources registry: 3 sources, komhen-import (101), os2forms (165, 183), telephony-183 (183)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a mapping of source id: {municipalities: [...]} with at least one source"),
        ("- telephony\n", "expected a mapping of source id: {municipalities: [...]} with at least one source"),
        ("telephony: ['183']\n", "telephony: ['183'] is not of type 'object'"),
        ("telephony: {}\n", "telephony.municipalities: is required"),
        ("telephony: {municipalities: ['183'], token: x}\n", "telephony.token: unknown field; allowed: municipalities"),
        ("telephony: {municipalities: []}\n", "telephony.municipalities: is empty; list the municipalities the source"),
        (
            "telephony: {municipalities: [183]}\n",
            'telephony.municipalities[0]: 183 must be written in quotes, e.g. "183"',
        ),
        (
            "telephony: {municipalities: ['183', '000', '183']}\n",
            "telephony.municipalities[1]: '000' is not one of Denmark's 98 municipality numbers; {path}: "
            "telephony.municipalities[2]: municipality 183 is listed twice",
        ),
        ("Telephony: {municipalities: ['183']}\n", "(top level): 'Telephony' is not a source id of lower-case letters"),
        ("telephony: {municipalities: ['183']}\ntelephony: {municipalities: ['165']}\n", "line 2, column 1: is not"),
    ],
    ids=[
        "empty",
        "a list",
        "a list of numbers for a source",
        "no municipalities",
        "a token in the registry",
        "an empty list",
        "an unquoted number",
        "an unknown number and one twice",
        "a source id with capitals",
        "a source twice",
    ],
)
def test_a_bad_registry_is_refused_in_one_line_naming_the_source_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RegistryFileError) as raised:
        load_source_registry(path)
    assert str(raised.value).startswith(f"{path}: " + message.replace("{path}", str(path)))
    assert "\n" not in str(raised.value)


def test_a_registry_of_a_single_municipality_deployment_grants_that_municipality_only(tmp_path: Path) -> None:
    path = write(tmp_path, REGISTRY)
    with pytest.raises(RegistryFileError) as raised:
        load_source_registry(path, municipality="183")
    assert str(raised.value) == (
        f"{path}: source 'komhen-import' is given municipality 101, but this deployment counts municipality 183 "
        "alone (KOMHEN_MUNICIPALITY); remove it, or unset KOMHEN_MUNICIPALITY for a deployment of many municipalities"
    )
    assert load_source_registry(write(tmp_path, "tel: {municipalities: ['183']}\n"), "183").sources == ["tel"]


def test_without_a_registry_the_municipality_setting_or_nothing_decides(tmp_path: Path) -> None:
    single = source_registry(Settings(municipality="183"))
    assert single == SourceRegistry.single("183")
    assert (single.allows("any-source", "183"), single.allows("any-source", "165")) == (True, False)
    assert single.refusal("any-source", "165") == "source any-source may write for municipality 183 only, not 165"
    assert describe(single) == "every source writes for municipality 183 only (KOMHEN_MUNICIPALITY)"

    open_ = source_registry(Settings())
    assert open_.is_open and open_.allows("any-source", "751") and open_.refusal("x", "101") is None
    assert describe(open_).startswith(
        "no sources registry (KOMHEN_SOURCE_REGISTRY) and no KOMHEN_MUNICIPALITY: every source may write for every "
        "municipality"
    )

    path = write(tmp_path, REGISTRY)
    from_file = source_registry(replace(Settings(), source_registry=str(path)))
    assert from_file.sources == ["komhen-import", "os2forms", "telephony-183"] and not from_file.is_open

    with pytest.raises(ConfigError) as raised:
        source_registry(Settings(municipality="999"))
    assert str(raised.value) == (
        "configuration: municipality (KOMHEN_MUNICIPALITY) '999' is not one of Denmark's 98 municipality numbers; "
        "set it to the municipality's number, e.g. 183 for Ishøj"
    )


def test_the_settings_refuse_a_municipality_that_is_no_number_and_a_registry_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"KOMHEN_MUNICIPALITY": "Ishøj"})
    assert str(raised.value) == (
        "configuration: municipality (KOMHEN_MUNICIPALITY) must be a municipality number of 3 digits, e.g. 183, "
        "got 'Ishøj'"
    )
    with pytest.raises(ConfigError) as raised:
        load_settings({"KOMHEN_SOURCE_REGISTRY": str(tmp_path / "nope.yaml")})
    assert str(raised.value) == (
        f"configuration: source_registry (KOMHEN_SOURCE_REGISTRY) names a file that does not exist: "
        f"{tmp_path / 'nope.yaml'}"
    )
    s = load_settings({"KOMHEN_MUNICIPALITY": "183", "KOMHEN_SOURCE_REGISTRY": str(write(tmp_path, REGISTRY))})
    assert (s.municipality, s.source_registry) == ("183", str(tmp_path / "sources.yaml"))


def test_the_registry_schema_accepts_what_the_loader_accepts_and_writes_municipalities_as_the_tokens_schema() -> None:
    assert (
        schema("source-registry.v1.json")["$defs"]["municipalities"]
        == (schema("ingest-tokens.v1.json")["$defs"]["municipalities"])
    )
    assert json.loads((SCHEMAS / "source-registry.v1.json").read_text())["$id"].endswith("/source-registry.v1.json")
    from streams.documents.validation import validator

    assert validator("source-registry.v1.json").is_valid(yaml.safe_load(REGISTRY))
    assert not validator("source-registry.v1.json").is_valid({"telephony": {"municipalities": ["183", "183"]}})


def test_the_shipped_registry_of_the_deployments_loads() -> None:
    registry = load_source_registry(REPO_ROOT / "deploy" / "sources-registry.yaml")
    assert registry.sources == ["digitalpost", "komhen-import", "reception", "selfservice", "simulator", "telephony"]
    assert all(registry.grants[s] == frozenset({"183"}) for s in registry.sources)
