"""The identifiers' patterns are the contract's: the code writes them once, and every schema in
`schemas/` that writes one writes the same."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from streams.contract import identifiers
from streams.documents.reference import event_contract
from tests.fixtures.factories import REPO_ROOT, SCHEMAS

# How each kind of id begins where a schema writes it (a scope pattern with `*` is another thing).
KINDS = {
    "^[a-z0-9][a-z0-9_.-]": ("source", identifiers.SOURCE),
    "^[a-z0-9][a-z0-9_-]": ("department", identifiers.DEPARTMENT),
    "^[0-9]{3}$": ("municipality", identifiers.MUNICIPALITY),
}


def id_patterns(node: Any, where: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, kind, subschema) of every id pattern a schema writes."""
    if isinstance(node, dict):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            for start, (kind, _) in KINDS.items():
                if pattern.startswith(start):
                    yield where, kind, node
        for key, child in node.items():
            yield from id_patterns(child, f"{where}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from id_patterns(child, f"{where}/{i}")


def as_code(spec: dict[str, Any]) -> str:
    """The schema's pattern with its maxLength folded in, in the form the code writes it."""
    body = spec["pattern"].removeprefix("^").removesuffix("$")
    if "maxLength" in spec:  # "^[first][rest]*$" with maxLength n is "[first][rest]{0,n-1}"
        body = body.removesuffix("*") + f"{{0,{spec['maxLength'] - 1}}}"
    return body + r"\Z"


SCHEMA_PATTERNS = [
    (f"{path.name}{where}", kind, spec)
    for path in sorted(SCHEMAS.glob("*.json"))
    for where, kind, spec in id_patterns(json.loads(path.read_text(encoding="utf-8")), "#")
]


def test_the_contract_schemas_write_every_kind_of_id() -> None:
    written = {(where.split("#")[0], kind) for where, kind, _ in SCHEMA_PATTERNS}
    assert written >= {
        ("inquiry-event.v1.json", "source"),
        ("inquiry-event.v1.json", "municipality"),
        ("inquiry-event.v1.json", "department"),
        ("service-event.v1.json", "source"),
        ("service-event.v1.json", "municipality"),
        ("service-event.v1.json", "department"),
        ("department-day-summary.v1.json", "department"),
        ("ingest-tokens.v1.json", "source"),
        ("targets.v1.json", "department"),
        ("report-units.v1.json", "department"),
    }


@pytest.mark.parametrize(("where", "kind", "spec"), SCHEMA_PATTERNS, ids=[w for w, _, _ in SCHEMA_PATTERNS])
def test_each_id_pattern_a_schema_writes_is_the_identifiers_one(where: str, kind: str, spec: dict[str, Any]) -> None:
    assert as_code(spec) == dict(KINDS.values())[kind].pattern


def test_the_code_writes_the_id_patterns_in_the_identifiers_module_only() -> None:
    writers = sorted(
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "streams").rglob("*.py")
        if "a-z0-9][a-z0-9" in path.read_text(encoding="utf-8")
    )
    assert writers == ["streams/contract/identifiers.py"]


def test_the_event_contract_reads_the_same_patterns_from_the_schema() -> None:
    contract = event_contract()
    for field, pattern in (("source", identifiers.SOURCE), ("department", identifiers.DEPARTMENT)):
        assert contract.max_length[field] == identifiers.MAX_LENGTH
        for text in ("a", "borgerservice", "x" * identifiers.MAX_LENGTH, "x" * (identifiers.MAX_LENGTH + 1), "B"):
            within = len(text) <= contract.max_length[field]
            assert bool(contract.patterns[field].match(text) and within) == bool(pattern.match(text)), text
    assert contract.patterns["municipality"].pattern.removeprefix("^") == identifiers.MUNICIPALITY.pattern


@pytest.mark.parametrize("pattern", [identifiers.SOURCE, identifiers.DEPARTMENT])
def test_max_length_is_the_patterns_length(pattern: re.Pattern[str]) -> None:
    assert pattern.match("a" * identifiers.MAX_LENGTH)
    assert not pattern.match("a" * (identifiers.MAX_LENGTH + 1))


@pytest.mark.parametrize("reserved", [identifiers.ALL_DEPARTMENTS, identifiers.NATIONAL])
def test_reserved_identifiers_can_never_be_sent_by_a_source(reserved: str) -> None:
    assert not identifiers.DEPARTMENT.match(reserved)
    assert not identifiers.MUNICIPALITY.match(reserved)


def test_the_unknown_department_is_an_ordinary_slug() -> None:
    assert identifiers.DEPARTMENT.match(identifiers.UNKNOWN_DEPARTMENT)
