"""What the four source adapters share: reading records, mapping files, and turning mapped records into results.

An adapter is one pure function from a `SourceRecord` (a CSV row or a JSON line) to an inquiry, a
service event or a `Skip`. Everything else lives here once: reading CSV or JSON lines with line
numbers, typed field access that raises `InvalidEvent` with the contract's reason codes, the
department mapping file, and checking every produced event against its contract, so a record is
always either published, counted as a measure, skipped for a stated reason or rejected with
file, line and reason — never dropped without a trace.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Collection, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from threading import Event
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from streams.contract.errors import UnusableInput
from streams.contract.identifiers import UNKNOWN_DEPARTMENT
from streams.documents.reading import YamlFileError, read_yaml
from streams.domain.counting.windows import local_moment
from streams.domain.events.codes import code_table
from streams.domain.events.descriptive import Finding, FindingReason
from streams.domain.events.inquiry import InquiryEvent, InvalidEvent, Reason, parse_event, rules
from streams.domain.events.messages import TOO_DEEP
from streams.domain.events.privacy import shown
from streams.domain.events.service import ServiceEvent, parse_service_event
from streams.domain.organisation.departments import NoSlug, unit_department
from streams.domain.organisation.municipalities import resolve
from streams.ingress.adapters.follow import FileResults, follow_directory
from streams.ingress.komhen.export_file import RejectedRow, detect_encoding

_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_TRUE = frozenset({"true", "yes", "ja", "1"})
_FALSE = frozenset({"false", "no", "nej", "0"})


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inquiry:
    """A record mapped to an inquiry event; `event` is schema v1 JSON as parse_event normalised it,
    `findings` the descriptive values it rewrote or left out (the inquiry counts either way)."""

    file: str
    line: int
    event: dict[str, Any]
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceMeasure:
    """A record mapped to a service event (schemas/service-event.v1.json), already validated."""

    file: str
    line: int
    measure: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A valid record that is neither an inquiry nor a measure (a cancelled ticket), kept for the summary."""

    file: str
    line: int
    reason: str


AdapterResult = Inquiry | ServiceMeasure | Skipped | RejectedRow


@dataclass(frozen=True, slots=True)
class Skip:
    """What a mapper returns for a valid record that KOMHEN does not count; `reason` is a stable code."""

    reason: str


Mapped = InquiryEvent | ServiceEvent | Skip


def event_id(source: str, record_id: str) -> str:
    """`<source>-<record id>`: the source system's own id, so a re-read file yields the same ids.

    Never derived from a record's content: two identical records are two inquiries.
    """
    return f"{source}-{record_id}"


# --- records -------------------------------------------------------------------------------


class SourceRecord:
    """One input record (a CSV row or a JSON line) with checked field access.

    Blank values count as missing. Every failure raises InvalidEvent with a reason code, which
    the adapter turns into a rejection of this record's line.

    >>> r = SourceRecord("cdr.csv", 2, {"call_id": "c-1", "direction": "IN", "start": "2026-11-16 08:02:11"},
    ...     ZoneInfo("Europe/Copenhagen"))
    >>> r.choice("direction", ("in", "out")), r.moment("start").isoformat()
    ('in', '2026-11-16T08:02:11+01:00')
    """

    def __init__(self, file: str, line: int, values: Mapping[str, Any], tz: ZoneInfo) -> None:
        self.file = file
        self.line = line
        self._values = values
        self.tz = tz  # times without an offset are local times here
        self.findings: list[Finding] = []  # descriptive values left out: the inquiry counts without them

    def text(self, name: str) -> str | None:
        """The value as stripped text, None when missing or blank; JSON integers are read as text."""
        value = self._values.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidEvent(Reason.WRONG_TYPE, f"{name} must be text, got {type(value).__name__}", name)
        return str(value).strip() or None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise InvalidEvent(Reason.MISSING_FIELD, f"{name} is missing", name)
        return value

    def choice(self, name: str, allowed: Collection[str]) -> str:
        """A required code, case-insensitive, returned in lower case."""
        value = self.required(name).lower()
        if value not in allowed:
            raise InvalidEvent(Reason.UNKNOWN_CODE, f"{name} {shown(value)} is not one of {', '.join(allowed)}", name)
        return value

    def moment(self, name: str) -> datetime:
        """A required ISO 8601 date and time; without an offset it is local time (the mapping's time zone)."""
        text = self.required(name)
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidEvent(
                Reason.INVALID_FORMAT,
                f"{name} {shown(text)} is not a date and time like 2026-11-16T08:02:11+01:00",
                name,
            ) from None
        if value.tzinfo is None:
            value = local_moment(value, self.tz)
        return value

    def duration(self, start_name: str, end_name: str) -> int | None:
        """Whole seconds from one time to another; None when either is blank. A duration is descriptive:
        an unreadable end or one before the start is left out with a finding, the inquiry counts."""
        if self.text(start_name) is None or self.text(end_name) is None:
            return None
        start = self.moment(start_name)
        try:
            end = self.moment(end_name)
        except InvalidEvent as e:
            self.findings.append(Finding("duration_s", FindingReason.INVALID_FORMAT, f"{e.detail}; duration left out"))
            return None
        # In UTC: two times sharing a zone subtract as wall clocks, which is wrong across DST.
        seconds = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
        if seconds < 0:
            detail = f"{end_name} is before {start_name}; duration left out"
            self.findings.append(Finding("duration_s", FindingReason.INVALID_FORMAT, detail))
            return None
        return int(seconds)

    def flag(self, name: str) -> bool | None:
        """An optional yes/no: JSON true/false, or true/false, yes/no, ja/nej, 1/0 as text."""
        value = self._values.get(name)
        if isinstance(value, bool) or value is None:
            return value
        text = self.text(name)
        if text is None:
            return None
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise InvalidEvent(Reason.INVALID_FORMAT, f"{name} {shown(text)} is not true or false", name)

    def completion(self) -> str | None:
        """`resolved` true → immediate (STRAKS), false → forwarded (HOLD), blank → unset; anything else is
        left out with a finding (a completion is descriptive: the inquiry counts)."""
        try:
            resolved = self.flag("resolved")
        except InvalidEvent as e:
            self.findings.append(Finding("completion", FindingReason.UNKNOWN_CODE, f"{e.detail}; left out"))
            return None
        if resolved is None:
            return None
        return "immediate" if resolved else "forwarded"

    def task(self, mapping: SourceMapping, key: str | None) -> Task:
        """The record's own `kle` and `inquiry_type`, each falling back to the mapping's task for `key`."""
        default = mapping.tasks.get(key or "", _NO_TASK)
        inquiry_type = self.text("inquiry_type")
        return Task(
            kle=self.text("kle") or default.kle,
            inquiry_type=inquiry_type.upper() if inquiry_type else default.inquiry_type,
        )


def read_records(path: Path, tz: ZoneInfo) -> Iterator[SourceRecord | RejectedRow]:
    """Every non-blank line of a CSV file (after its header) or a JSON-lines file, as a SourceRecord.

    The format is told from the first non-blank character (`{` means JSON lines). CSV may be
    `,`- or `;`-separated (whichever the header has more of), UTF-8 with or without BOM or
    Latin-1; header names are matched in lower case. One physical line is one record, so a
    stray quote cannot swallow the lines after it.
    """
    name = str(path)
    content = path.read_bytes()
    lines = [
        (number, text)
        for number, text in enumerate(_LINE_BREAK.split(content.decode(detect_encoding(content))), start=1)
        if text.strip(" \t;,")
    ]
    if not lines:
        return
    if lines[0][1].lstrip().startswith("{"):
        for number, text in lines:
            yield _json_record(name, number, text, tz)
        return
    header_text = lines[0][1]
    delimiter = ";" if header_text.count(";") > header_text.count(",") else ","
    header = [h.strip().lower() for h in _split(header_text, delimiter)]
    for number, text in lines[1:]:
        values = _split(text, delimiter)
        if any(v.strip() for v in values[len(header) :]):
            yield RejectedRow(
                name, number, Reason.INVALID_FORMAT, f"the line has {len(values)} fields, the header {len(header)}"
            )
            continue
        yield SourceRecord(name, number, {h: v for h, v in zip(header, values, strict=False) if h}, tz)


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter))


def _json_record(name: str, number: int, text: str, tz: ZoneInfo) -> SourceRecord | RejectedRow:
    try:
        value = json.loads(text)
    except ValueError as e:
        return RejectedRow(name, number, Reason.MALFORMED_JSON, f"not valid JSON: {e}")
    except RecursionError:
        return RejectedRow(name, number, Reason.MALFORMED_JSON, TOO_DEEP)
    if type(value) is not dict:
        return RejectedRow(
            name, number, Reason.WRONG_TYPE, f"a record must be a JSON object, got {type(value).__name__}"
        )
    return SourceRecord(name, number, value, tz)


# --- mapping files -------------------------------------------------------------------------


class MappingError(UnusableInput):
    """A mapping file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Task:
    """KLE task and inquiry type a source key implies (e.g. a self-service form)."""

    kle: str | None = None
    inquiry_type: str | None = None


_NO_TASK = Task()


@dataclass(frozen=True)
class SourceMapping:
    """A source's mapping file: its municipality, and source keys (queue, form, unit …) to departments.

    >>> m = SourceMapping("queues.yaml", "183", ZoneInfo("Europe/Copenhagen"), {"7001": "borgerservice"})
    >>> m.department("7001"), m.department("7999"), m.department(None)
    ('borgerservice', 'unknown', 'unknown')
    """

    file: str
    municipality: str
    tz: ZoneInfo  # of the source's local times
    departments: Mapping[str, str]
    tasks: Mapping[str, Task] = field(default_factory=lambda: MappingProxyType({}))
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # department -> display name

    def department(self, key: str | None) -> str:
        """The department of a key; a blank or unmapped key is `unknown`, counted rather than dropped."""
        return self.departments.get(key or "", UNKNOWN_DEPARTMENT)


def load_mapping(path: str | Path, *, tz: ZoneInfo) -> SourceMapping:
    """Read a mapping file (YAML); raise MappingError naming the file and key of any problem.

    Every value is read as text, so queue `0701` stays `0701` rather
    than becoming the octal number 449, and `23.05.10` stays a KLE number.
    """
    name = str(path)
    try:
        raw = read_yaml(Path(path), as_text=True)
    except YamlFileError as e:
        raise MappingError(str(e)) from None
    if not isinstance(raw, dict):
        raise MappingError(f"{name}: expected keys municipality, departments and optionally tasks")
    unknown = sorted(raw.keys() - {"municipality", "departments", "tasks"})
    if unknown:
        raise MappingError(f"{name}: unknown key {unknown[0]!r}; allowed are municipality, departments, tasks")
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


# --- adapters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adapter:
    """A source: its name and its pure record mapper; reading and following files is the same for all.

    >>> from streams.ingress.adapters.telephony import ADAPTER
    >>> ADAPTER.source
    'telephony'
    """

    source: str
    map_record: Callable[[SourceRecord, SourceMapping], Mapped]

    def read(self, path: str | Path, mapping: SourceMapping) -> Iterator[AdapterResult]:
        """Every record of one file as a result, in file order."""
        for item in read_records(Path(path), mapping.tz):
            yield item if isinstance(item, RejectedRow) else self.result(item, mapping)

    def result(self, record: SourceRecord, mapping: SourceMapping) -> AdapterResult:
        """Map one record and check what it became against its contract."""
        try:
            mapped = self.map_record(record, mapping)
            if isinstance(mapped, Skip):
                return Skipped(record.file, record.line, mapped.reason)
            if isinstance(mapped, InquiryEvent) and mapped.department_name is None:
                mapped = mapped._replace(department_name=mapping.names.get(mapped.department))
            obj = mapped.to_json()
            if isinstance(mapped, ServiceEvent):
                parse_service_event(obj)
                return ServiceMeasure(record.file, record.line, obj)
            findings = list(record.findings)
            event = parse_event(obj, findings=findings)
            return Inquiry(record.file, record.line, event.to_json() if findings else obj, tuple(findings))
        except InvalidEvent as e:
            return RejectedRow(record.file, record.line, e.reason, e.detail)

    def follow(
        self,
        directory: str | Path,
        mapping: SourceMapping,
        *,
        state_file: str | Path | None = None,
        poll_interval_s: float = 2.0,
        stop: Event | None = None,
    ) -> Generator[FileResults[AdapterResult], None, None]:
        """Results of each new file in `directory`, one file at a time (see follow.follow_directory).

        The state file defaults to `<directory>/.komhen-<source>.state.json`.
        """
        directory = Path(directory)
        return follow_directory(
            directory,
            lambda path: self.read(path, mapping),
            state_file=Path(state_file) if state_file else directory / f".komhen-{self.source}.state.json",
            poll_interval_s=poll_interval_s,
            stop=stop,
        )
