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

import codecs
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from streams.contract.errors import UnusableInput
from streams.contract.texts import text as said
from streams.documents.problems import excerpt
from streams.documents.reading import DocumentError, parse_yaml, read_document, read_text
from streams.documents.reference import code_table, municipality_table
from streams.documents.validation import schema_problems
from streams.domain.events.codes import DIRECTIONS
from streams.domain.events.descriptive import is_kle
from streams.domain.events.service import ServiceKind
from streams.domain.organisation.departments import NoSlug, unit_department
from streams.domain.sources.definition import (
    Choice,
    Condition,
    Field,
    InquirySpec,
    KeyPath,
    Outcome,
    OutcomeKind,
    RecordFormat,
    Records,
    Rule,
    SourceDefinition,
    TimeFormat,
    TimeSpec,
)
from streams.domain.sources.units import SourceMapping, Task

UNIT_KEYS = ("municipality", "departments", "tasks")


class MappingError(UnusableInput):
    """A mapping file that cannot be used; the message names the file and the key."""


SectionParser = Callable[[str, Any], Any]
"""Reads an adapter's own section of a unit mapping (file name, raw value read as text), or raises MappingError."""


def load_mapping(
    path: str | Path, *, tz: ZoneInfo, sections: Mapping[str, SectionParser] | None = None
) -> SourceMapping:
    """Read a unit mapping file (YAML); raise MappingError naming the file and key of any problem.

    `sections` are an adapter's own top-level keys (Asterisk's `asterisk:` dial contexts), each
    read by its parser into the mapping's `options`, also when the file leaves the key out.
    """
    name = str(path)
    sections = sections or {}
    try:
        raw = read_document(Path(path), "mapping file", as_text=True)
    except DocumentError as e:
        raise MappingError(str(e)) from None
    if not isinstance(raw, dict):
        raise MappingError(f"{name}: {said('mapping.not_a_mapping')}")
    allowed = [*UNIT_KEYS, *sections]
    unknown = sorted(raw.keys() - set(allowed))
    if unknown:
        raise MappingError(f"{name}: " + said("mapping.unknown_key", key=repr(unknown[0]), allowed=", ".join(allowed)))
    mapping = units(name, raw, tz)
    if not sections:
        return mapping
    return replace(mapping, options=MappingProxyType({key: read(name, raw.get(key)) for key, read in sections.items()}))


def units(name: str, raw: Mapping[str, Any], tz: ZoneInfo) -> SourceMapping:
    """The unit part of a document read as text: municipality, departments and tasks."""
    given = raw.get("municipality")
    found = municipality_table().resolve(given) if isinstance(given, str) else None
    if found is None:
        raise MappingError(f"{name}: " + said("mapping.municipality", given=excerpt(given)))
    departments: dict[str, str] = {}
    names: dict[str, str] = {}
    for key, unit in _table(name, raw, "departments").items():
        if not isinstance(unit, str):
            raise MappingError(f"{name}: departments.{key}: " + said("mapping.department", kind=type(unit).__name__))
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
        raise MappingError(f"{name}: " + said("mapping.table", section=section, given=excerpt(value)))
    return {key.strip(): item for key, item in value.items()}


def _task(name: str, key: str, value: Any) -> Task:
    where = f"{name}: tasks.{key}"
    if not isinstance(value, dict):
        raise MappingError(f"{where}: {said('mapping.task')}")
    unknown = sorted(value.keys() - {"kle", "inquiry_type"})
    if unknown:
        raise MappingError(
            f"{where}: " + said("mapping.unknown_key", key=repr(unknown[0]), allowed="kle, inquiry_type")
        )
    kle = value.get("kle")
    if kle is not None and not is_kle(kle):
        raise MappingError(f"{where}.kle: " + said("mapping.kle", kle=repr(kle)))
    inquiry_type = value.get("inquiry_type")
    if inquiry_type is not None:
        inquiry_type = inquiry_type.upper()
        if inquiry_type not in code_table().inquiry_types:
            allowed = ", ".join(code_table().inquiry_types)
            raise MappingError(
                f"{where}.inquiry_type: " + said("mapping.inquiry_type", code=repr(inquiry_type), allowed=allowed)
            )
    return Task(kle, inquiry_type)


# --- source definitions ----------------------------------------------------------------------


def load_definition(path: str | Path, *, tz: ZoneInfo) -> SourceDefinition:
    """Read a source definition (YAML), check it against schemas/source-mapping.v1.json and make it a value."""
    try:
        text = read_text(Path(path), "source definition")
    except DocumentError as e:
        raise MappingError(str(e)) from None
    return parse_definition(text, str(path), tz=tz)


def parse_definition(text: str, name: str, *, tz: ZoneInfo) -> SourceDefinition:
    """A source definition from its YAML text; MappingError names the file, the key and the problem.

    The document is parsed twice: typed, to check it against the schema (booleans, numbers), and
    as text, for everything that is a source's value (keys of departments, tasks and value maps,
    and the values rules compare), so `0701` stays `0701`.
    """
    try:
        typed, raw = parse_yaml(text, name), parse_yaml(text, name, as_text=True)
    except DocumentError as e:
        raise MappingError(str(e)) from None
    if not isinstance(typed, dict) or "records" not in typed:
        raise MappingError(f"{name}: {said('definition.needs')}")
    problems = schema_problems("source-mapping.v1.json", _text_keys(typed))
    if problems:
        where, what = problems[0]
        more = said("doc.and_more", n=len(problems) - 1) if len(problems) > 1 else ""
        raise MappingError(f"{name}: {where}: {what}{more}")
    return _Builder(name, typed, raw, tz).definition()


def _text_keys(value: Any) -> Any:
    """The typed document with every mapping key as text (YAML may read a key 449 or true)."""
    if isinstance(value, dict):
        return {str(k): _text_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text_keys(v) for v in value]
    return value


def _listed(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def _path(text: str) -> KeyPath:
    return tuple(text.split("."))


class _Builder:
    """Turns a schema-valid document into a SourceDefinition, checking what the schema cannot."""

    def __init__(self, name: str, typed: dict[str, Any], raw: dict[str, Any], tz: ZoneInfo) -> None:
        self.name = name
        self.typed = typed
        self.raw = raw
        self.tz = tz
        self.csv = typed["records"]["format"] == RecordFormat.CSV

    def fail(self, where: str, what: str) -> MappingError:
        return MappingError(f"{self.name}: {where}: {what}")

    def definition(self) -> SourceDefinition:
        fields = {field_name: self.field(field_name) for field_name in self.typed["fields"]}
        self.field_names = set(fields)
        self.spec = self.inquiry()
        return SourceDefinition(
            file=self.name,
            source=self.typed["source"],
            records=self.records(),
            fields=MappingProxyType(fields),
            identity=self.names("identity", self.typed["identity"]),
            time=self.time(),
            unit=self.names("unit", self.typed.get("unit", [])),
            task=self.names("task", self.typed.get("task", [])),
            inquiry=self.spec,
            rules=tuple(self.rule(i) for i in range(len(self.typed["rules"]))),
            description=" ".join(str(self.typed.get("description", "")).split()),
            units=units(self.name, self.raw, self.tz) if "municipality" in self.raw else None,
        )

    def records(self) -> Records:
        spec = self.typed["records"]
        encoding = spec.get("encoding")
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise self.fail("records.encoding", said("definition.encoding", encoding=repr(encoding))) from None
        if self.csv and spec.get("header") is False and not spec.get("columns"):
            raise self.fail("records.columns", said("definition.columns"))
        return Records(
            format=RecordFormat(spec["format"]),
            delimiter=spec.get("delimiter"),
            encoding=encoding,
            header=spec.get("header", True),
            columns=tuple(c.strip().lower() for c in spec.get("columns", ())),
            path=tuple(_path(p) for p in _listed(spec["path"])) if "path" in spec else (),
        )

    def field(self, field_name: str) -> Field:
        typed, raw = self.typed["fields"][field_name], self.raw["fields"][field_name]
        if not isinstance(typed, dict):
            typed, raw = {"path": typed}, {"path": raw}
        values = raw.get("map")
        return Field(
            name=field_name,
            paths=tuple(_path(p.strip().lower() if self.csv else p) for p in _listed(typed["path"])),
            values=MappingProxyType({k.strip().lower(): v for k, v in values.items()}) if values else None,
            default=raw.get("default"),
            lowercase=bool(typed.get("lowercase", False)),
        )

    def names(self, where: str, value: Any) -> tuple[str, ...]:
        listed = tuple(str(v) for v in _listed(value)) if value != [] else ()
        unknown = [n for n in listed if n not in self.field_names]
        if unknown:
            fields = ", ".join(sorted(self.field_names))
            raise self.fail(where, said("definition.not_a_field", name=repr(unknown[0]), fields=fields))
        return listed

    def time(self) -> TimeSpec:
        spec = self.typed["time"]
        formats = tuple(_listed(spec.get("format", TimeFormat.ISO.value)))
        for f in formats:
            if f not in {t.value for t in TimeFormat} and "%" not in f:
                raise self.fail("time.format", said("definition.time_format", format=repr(f)))
        zone = None
        if "zone" in spec:
            try:
                zone = ZoneInfo(spec["zone"])
            except (ZoneInfoNotFoundError, ValueError):
                raise self.fail("time.zone", said("settings.timezone", zone=repr(spec["zone"]))) from None
        return TimeSpec(fields=self.names("time.field", spec["field"]), formats=formats, zone=zone)

    def choice(self, where: str, value: Any, codes: Collection[str]) -> Choice:
        if isinstance(value, dict):
            return Choice(field=self.names(where, value["field"])[0])
        if value not in codes:
            raise self.fail(where, said("definition.not_one_of", value=repr(value), allowed=", ".join(sorted(codes))))
        return Choice(value=value)

    def inquiry(self) -> InquirySpec:
        spec = self.typed["inquiry"]
        channel = self.choice("inquiry.channel", spec["channel"], code_table().channels)
        direction = self.choice("inquiry.direction", spec["direction"], DIRECTIONS)
        self.check_pair("inquiry", channel, direction)
        descriptive = {
            k: self.names(f"inquiry.{k}", spec[k])[0] for k in ("kle", "inquiry_type", "duration_s") if k in spec
        }
        return InquirySpec(channel=channel, direction=direction, form=spec.get("form"), **descriptive)

    def check_pair(self, where: str, channel: Choice, direction: Choice) -> None:
        if channel.value is not None and direction.value is not None:
            allowed = code_table().channels[channel.value].directions
            if direction.value not in allowed:
                either = said("definition.or").join(allowed)
                raise self.fail(
                    f"{where}.direction", said("definition.direction", channel=channel.value, allowed=either)
                )

    def rule(self, i: int) -> Rule:
        spec, where = self.typed["rules"][i], f"rules[{i}]"
        when = tuple(self.condition(f"{where}.when.{k}", k, v) for k, v in self.raw["rules"][i].get("when", {}).items())
        if "skip" in spec:
            outcome = Outcome(OutcomeKind.SKIP, reason=spec["skip"]["reason"], reason_da=spec["skip"]["da"])
        else:
            services = tuple(ServiceKind(k) for k in _listed(spec.get("service", [])) if k != [])
            if "inquiry" not in spec:
                outcome = Outcome(OutcomeKind.SERVICE, services=services)
            else:
                own = spec["inquiry"] if isinstance(spec["inquiry"], dict) else {}
                channel = (
                    self.choice(f"{where}.inquiry.channel", own["channel"], code_table().channels)
                    if "channel" in own
                    else None
                )
                direction = (
                    self.choice(f"{where}.inquiry.direction", own["direction"], DIRECTIONS)
                    if "direction" in own
                    else None
                )
                self.check_pair(
                    f"{where}.inquiry", channel or self.inquiry().channel, direction or self.inquiry().direction
                )
                outcome = Outcome(OutcomeKind.INQUIRY, services=services, channel=channel, direction=direction)
        return Rule(when=when, outcome=outcome)

    def condition(self, where: str, field_name: str, value: Any) -> Condition:
        self.names(where, field_name)
        if isinstance(value, dict):
            if "matches" in value:
                try:
                    return Condition(field_name, pattern=re.compile(value["matches"]))
                except re.error as e:
                    raise self.fail(where, _not_a_pattern(value["matches"], e)) from None
            return Condition(field_name, present=value["present"].lower() in ("true", "yes", "on"))
        return Condition(field_name, values=frozenset(v.strip().lower() for v in _listed(value)))


def _not_a_pattern(pattern: str, error: re.error) -> str:
    """Why `pattern` is no regular expression, and where: the character, not Python's English sentence."""
    if error.pos is None:
        return said("definition.pattern_somewhere", pattern=repr(pattern))
    return said("definition.pattern", pattern=repr(pattern), position=str(error.pos + 1))
