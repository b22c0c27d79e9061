"""The identifiers' patterns are the contract's: the code and every schema in `schemas/` agree on them."""

from __future__ import annotations

import json
import re

import pytest

from streams.contract import identifiers
from tests.factories import REPO_ROOT

SCHEMAS = ("inquiry-event.v1.json", "service-event.v1.json")


def schema_pattern(schema: str, field: str) -> re.Pattern[str]:
    """The schema's pattern with its maxLength folded in, in the form the code writes it."""
    spec = json.loads((REPO_ROOT / "schemas" / schema).read_text(encoding="utf-8"))["properties"][field]
    body = spec["pattern"].removeprefix("^").removesuffix("$")
    if "maxLength" in spec:  # "^[first][rest]*$" with maxLength n is "[first][rest]{0,n-1}"
        body = body.removesuffix("*") + f"{{0,{spec['maxLength'] - 1}}}"
    return re.compile(body + r"\Z")


@pytest.mark.parametrize("schema", SCHEMAS)
@pytest.mark.parametrize(
    ("field", "pattern"),
    [
        ("source", identifiers.SOURCE),
        ("municipality", identifiers.MUNICIPALITY),
        ("department", identifiers.DEPARTMENT),
    ],
)
def test_each_identifier_pattern_is_the_schemas(schema: str, field: str, pattern: re.Pattern[str]) -> None:
    assert schema_pattern(schema, field).pattern == pattern.pattern


@pytest.mark.parametrize("reserved", [identifiers.ALL_DEPARTMENTS, identifiers.NATIONAL])
def test_reserved_identifiers_can_never_be_sent_by_a_source(reserved: str) -> None:
    assert not identifiers.DEPARTMENT.match(reserved)
    assert not identifiers.MUNICIPALITY.match(reserved)


def test_the_unknown_department_is_an_ordinary_slug() -> None:
    assert identifiers.DEPARTMENT.match(identifiers.UNKNOWN_DEPARTMENT)
