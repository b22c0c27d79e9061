"""A declarative source definition as a value: where a system's records are and what each one means.

Read from a source-mapping document (schemas/source-mapping.v1.json) by
streams.documents.source_mappings; streams.ingress.adapters.declarative applies it to records. Nothing
here reads a file, and a record's fields are only ever read through the paths named here: citizens'
answers, names and numbers the document does not name are never looked at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from streams.domain.events.service import ServiceKind
from streams.domain.sources.units import SourceMapping

KeyPath = tuple[str, ...]  # segments of a dotted path; a segment of digits indexes a JSON list


class RecordFormat(StrEnum):
    CSV = "csv"
    JSON = "json"  # an array of records, an object holding them at `path`, one record, or JSON lines
    NDJSON = "ndjson"


@dataclass(frozen=True)
class Records:
    """Where the records are in a file (or a request body)."""

    format: RecordFormat
    delimiter: str | None = None  # CSV; None: whichever of ';', ',' and tab the header has most of
    encoding: str | None = None  # None: UTF-8 with or without BOM, else Latin-1
    header: bool = True
    columns: tuple[str, ...] = ()  # CSV without a header: the column names in order
    path: tuple[KeyPath, ...] = ()  # JSON object: where the list (or the one record) is, first present wins


@dataclass(frozen=True)
class Field:
    """One value of a record: the first path that holds one, then the value map.

    Values are read as text (JSON true is `true`, 20 is `20`); a value the map does not list is kept
    unless the map has a default.
    """

    name: str
    paths: tuple[KeyPath, ...]
    values: Mapping[str, str] | None = None  # keys in lower case
    default: str | None = None
    lowercase: bool = False


class TimeFormat(StrEnum):
    ISO = "iso"  # ISO 8601 / RFC 3339, with or without an offset (+01:00, +0100, Z)
    EPOCH = "epoch"  # seconds since 1970 (a number or digits)
    EPOCH_MS = "epoch_ms"  # milliseconds since 1970


@dataclass(frozen=True)
class TimeSpec:
    """The event time: the first of `fields` that holds a value, read by the first format that fits.

    A format is a TimeFormat or a strptime pattern such as `%d-%m-%Y %H:%M`. A time without an
    offset is local time in `zone` (else the mapping's time zone).
    """

    fields: tuple[str, ...]
    formats: tuple[str, ...] = (TimeFormat.ISO.value,)
    zone: ZoneInfo | None = None


@dataclass(frozen=True)
class Condition:
    """A test of one field: equal to one of `values` (text, any case; true/false as flags), matching
    `pattern`, or present / absent."""

    field: str
    values: frozenset[str] | None = None
    pattern: re.Pattern[str] | None = None
    present: bool | None = None


class OutcomeKind(StrEnum):
    INQUIRY = "inquiry"
    SERVICE = "service"
    SKIP = "skip"


@dataclass(frozen=True)
class Choice:
    """A code that is either fixed (`value`) or read from a field."""

    value: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a record that meets a rule becomes."""

    kind: OutcomeKind
    services: tuple[ServiceKind, ...] = ()  # service events (also beside an inquiry)
    reason: str | None = None  # skip: a stable code
    reason_da: str | None = None  # skip: what it means, in Danish, for the command's summary
    channel: Choice | None = None  # inquiry: overrides the definition's
    direction: Choice | None = None


@dataclass(frozen=True)
class Rule:
    """All `when` conditions hold → `outcome`. Rules are tried in order; the first that holds decides."""

    when: tuple[Condition, ...]
    outcome: Outcome


@dataclass(frozen=True)
class InquirySpec:
    """How an inquiry's counting and descriptive fields come from the record."""

    channel: Choice
    direction: Choice
    form: bool | None = None
    kle: str | None = None  # field names; else the mapping's task for the unit
    inquiry_type: str | None = None
    duration_s: str | None = None


@dataclass(frozen=True)
class SourceDefinition:
    """A whole source-mapping document: the system's records and rules, and optionally its units.

    `units` is set when the document names the municipality itself (a self-contained mapping);
    shipped definitions leave it to the municipality's own mapping file.
    """

    file: str
    source: str
    records: Records
    fields: Mapping[str, Field]
    identity: tuple[str, ...]
    time: TimeSpec
    unit: tuple[str, ...]  # fields whose values, joined with '/', are the unit key (most specific first)
    task: tuple[str, ...]  # fields of the task key; the unit's when empty
    inquiry: InquirySpec
    rules: tuple[Rule, ...]
    description: str = ""
    units: SourceMapping | None = None

    def skip_reasons_da(self) -> dict[str, str]:
        """Each skip reason code with its Danish meaning."""
        return {r.outcome.reason: r.outcome.reason_da or r.outcome.reason for r in self.rules if r.outcome.reason}
