"""Source-mapping documents: read, checked and turned into frozen values here and nowhere else.

Two kinds of document share one contract, schemas/source-mapping.v1.json:

- a **unit mapping** (`--mapping`): the municipality, and source keys (queue, form, branch …) to
  departments and KLE tasks. Every value is read as text, so queue `0701` stays `0701` rather than
  becoming the octal number 449, and `23.05.10` stays a KLE number.
- a **source definition**: where a system's records are and what each one means (see
  streams.domain.sources.definition), optionally with its own units. Shipped definitions
  (OS2forms, Qmatic, contact-centre exports) are package data, selectable by name.

Every problem is one MappingError naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from streams.domain.events.codes import code_table
from streams.domain.organisation.departments import NoSlug, unit_department
from streams.domain.events.inquiry import rules
from streams.domain.organisation.municipalities import resolve
from streams.domain.sources.units import SourceMapping, Task
from streams.contract.errors import UnusableInput
from streams.documents.reading import YamlFileError, read_yaml

UNIT_KEYS = ("municipality", "departments", "tasks")


class MappingError(UnusableInput):
    """A mapping file that cannot be used; the message names the file and the key."""


def load_mapping(path: str | Path, *, tz: ZoneInfo) -> SourceMapping:
    """Read a unit mapping file (YAML); raise MappingError naming the file and key of any problem."""
    name = str(path)
    try:
        raw = read_yaml(Path(path), as_text=True)
    except YamlFileError as e:
        raise MappingError(str(e)) from None
    if not isinstance(raw, dict):
        raise MappingError(f"{name}: expected keys municipality, departments and optionally tasks")
    unknown = sorted(raw.keys() - set(UNIT_KEYS))
    if unknown:
        raise MappingError(f"{name}: unknown key {unknown[0]!r}; allowed are municipality, departments, tasks")
    return units(name, raw, tz)


def units(name: str, raw: Mapping[str, Any], tz: ZoneInfo) -> SourceMapping:
    """The unit part of a document read as text: municipality, departments and tasks."""
    given = raw.get("municipality")
    found = resolve(given) if isinstance(given, str) else None
    if found is None:
        raise MappingError(
            f"{name}: municipality must name one of the 98 municipalities by number or name, such as 183 or Ishøj, "
            f"got {given!r}"
        )
    departments: dict[str, str] = {}
    names: dict[str, str] = {}
    for key, unit in _table(name, raw, "departments").items():
        if not isinstance(unit, str):
            raise MappingError(f"{name}: departments.{key}: expected a department name, got a {type(unit).__name__}")
        try:
            departments[key] = unit_department(unit, found.number)
        except NoSlug as e:
            raise MappingError(f"{name}: departments.{key}: {e}") from None
        names.setdefault(departments[key], unit.strip())  # the first spelling of a department is its name
    tasks = {key: _task(name, key, value) for key, value in _table(name, raw, "tasks").items()}
    return SourceMapping(
        name, found.number, tz, MappingProxyType(departments), MappingProxyType(tasks), MappingProxyType(names)
    )


def _table(name: str, raw: Mapping[str, Any], section: str) -> dict[str, Any]:
    value = raw.get(section, {})
    if not isinstance(value, dict):
        raise MappingError(f"{name}: {section} must be a mapping of source keys, got {value!r}")
    return {key.strip(): item for key, item in value.items()}


def _task(name: str, key: str, value: Any) -> Task:
    where = f"{name}: tasks.{key}"
    if not isinstance(value, dict):
        raise MappingError(f"{where}: expected kle and/or inquiry_type")
    unknown = sorted(value.keys() - {"kle", "inquiry_type"})
    if unknown:
        raise MappingError(f"{where}: unknown key {unknown[0]!r}; allowed are kle, inquiry_type")
    kle = value.get("kle")
    if kle is not None and not rules().patterns["kle"].match(kle):
        raise MappingError(f"{where}.kle: {kle!r} is not a KLE number NN.NN.NN")
    inquiry_type = value.get("inquiry_type")
    if inquiry_type is not None:
        inquiry_type = inquiry_type.upper()
        if inquiry_type not in code_table().inquiry_types:
            allowed = ", ".join(code_table().inquiry_types)
            raise MappingError(f"{where}.inquiry_type: {inquiry_type!r} is not one of {allowed}")
    return Task(kle, inquiry_type)
