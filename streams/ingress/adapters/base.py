"""What the source adapters share: reading records and turning mapped records into results.

An adapter is one pure function from a `SourceRecord` (a CSV row or a JSON line) to an inquiry, a
service event (or an inquiry and service events, or several service events) or a `Skip`.
Everything else lives here once: reading CSV or JSON lines with line numbers, typed field access
that raises `InvalidEvent` with the contract's reason codes, the department a unit key maps to
(an unmapped key counts in `unknown`, and the result says which key to map), and checking every
produced event against its contract, so a record is always either published, counted as a
measure, skipped for a stated reason or rejected with file, line and reason — never dropped
without a trace.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Collection, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from threading import Event
from types import MappingProxyType
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from streams.contract.identifiers import UNKNOWN_DEPARTMENT
from streams.documents.reference import event_contract
from streams.documents.source_mappings import SectionParser
from streams.domain.counting.windows import local_moment
from streams.domain.events.descriptive import Finding, FindingReason
from streams.domain.events.inquiry import EventParser, InquiryEvent, InvalidEvent, Reason, not_one_of
from streams.domain.events.privacy import shown
from streams.domain.events.service import ServiceEvent, parse_service_event
from streams.domain.sources.units import NO_TASK, SourceMapping, Task
from streams.ingress.adapters.follow import FileResults, follow_directory
from streams.ingress.komhen.encoding import decoded
from streams.ingress.komhen.results import RejectedRow

_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_TRUE = frozenset({"true", "yes", "ja", "1"})
_FALSE = frozenset({"false", "no", "nej", "0"})


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inquiry:
    """A record mapped to an inquiry event; `event` is schema v1 JSON as the parser normalised it,
    `findings` the descriptive values it rewrote or left out (the inquiry counts either way).

    `unmapped` is the unit key the mapping does not name (counted in `unknown`), "" when the record
    names no unit, None when its unit is mapped.
    """

    file: str
    line: int
    event: dict[str, Any]
    findings: tuple[Finding, ...] = ()
    unmapped: str | None = None
    notes: tuple[str, ...] = ()  # what the summary must tell (Danish), e.g. where a time came from


@dataclass(frozen=True, slots=True)
class ServiceMeasure:
    """A record mapped to a service event (schemas/service-event.v1.json), already validated."""

    file: str
    line: int
    measure: dict[str, Any]
    unmapped: str | None = None
    notes: tuple[str, ...] = ()


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


Mapped = InquiryEvent | ServiceEvent | Skip | tuple[InquiryEvent | ServiceEvent, ...]


def event_id(source: str, record_id: str) -> str:
    """`<source>-<record id>`: the source system's own id, so a re-read file yields the same ids.

    Never derived from a record's content: two identical records are two inquiries.
    """
    return f"{source}-{record_id}"


# --- records -------------------------------------------------------------------------------


def value_at(root: Any, path: tuple[str, ...]) -> Any:
    """The raw value at a path of keys (a key of digits indexes a list), None where there is none."""
    value = root
    for key in path:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


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
        self.unmapped: str | None = None  # the unit key to add to the mapping ("" when there was none)
        self.notes: list[str] = []  # what the summary must tell about the record (Danish)

    def value(self, path: tuple[str, ...]) -> Any:
        """The raw value at a path of keys (see value_at)."""
        return value_at(self._values, path)

    def department(self, mapping: SourceMapping, *keys: str | None) -> str:
        """The department of the first key the mapping names (most specific first); without one the
        record counts in `unknown`, and notes the key to map."""
        candidates = [key for key in keys if key]
        found = mapping.first_named(candidates)
        if found is None:
            self.unmapped = candidates[0] if candidates else ""
            return UNKNOWN_DEPARTMENT
        return mapping.departments[found]

    def text(self, name: str) -> str | None:
        """The value as stripped text, None when missing or blank; JSON integers are read as text."""
        value = self._values.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidEvent(Reason.WRONG_TYPE, "rejected.not_text", name, name=name, got=type(value).__name__)
        return str(value).strip() or None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise InvalidEvent(Reason.MISSING_FIELD, "rejected.missing", name, name=name)
        return value

    def choice(self, name: str, allowed: Collection[str]) -> str:
        """A required code, case-insensitive, returned in lower case."""
        value = self.required(name).lower()
        if value not in allowed:
            raise not_one_of(name, value, allowed, field=name)
        return value

    def moment(self, name: str) -> datetime:
        """A required ISO 8601 date and time; without an offset it is local time (the mapping's time zone)."""
        text = self.required(name)
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_time", name, name=name, value=shown(text)) from None
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
            self.findings.append(
                Finding("duration_s", FindingReason.INVALID_FORMAT, "finding.no_duration", {"problem": e})
            )
            return None
        # In UTC: two times sharing a zone subtract as wall clocks, which is wrong across DST.
        seconds = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
        if seconds < 0:
            before = {"end": end_name, "start": start_name}
            self.findings.append(
                Finding("duration_s", FindingReason.INVALID_FORMAT, "finding.end_before_start", before)
            )
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
        raise InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_flag", name, name=name, value=shown(text))

    def completion(self) -> str | None:
        """`resolved` true → immediate (STRAKS), false → forwarded (HOLD), blank → unset; anything else is
        left out with a finding (a completion is descriptive: the inquiry counts)."""
        try:
            resolved = self.flag("resolved")
        except InvalidEvent as e:
            self.findings.append(
                Finding("completion", FindingReason.UNKNOWN_CODE, "finding.no_completion", {"problem": e})
            )
            return None
        if resolved is None:
            return None
        return "immediate" if resolved else "forwarded"

    def task(self, mapping: SourceMapping, key: str | None) -> Task:
        """The record's own `kle` and `inquiry_type`, each falling back to the mapping's task for `key`."""
        default = mapping.tasks.get(key or "", NO_TASK)
        inquiry_type = self.text("inquiry_type")
        return Task(
            kle=self.text("kle") or default.kle,
            inquiry_type=inquiry_type.upper() if inquiry_type else default.inquiry_type,
        )


def read_records(path: Path, tz: ZoneInfo) -> Iterator[SourceRecord | RejectedRow]:
    """Every non-blank line of a CSV file (after its header) or a JSON-lines file, as a SourceRecord.

    The format is told from the first non-blank character (`{` means JSON lines). CSV may be
    `,`-, `;`- or tab-separated (whichever the header has more of), in any encoding
    streams.ingress.komhen.encoding tells (UTF-8, UTF-16 as Excel's "Unicode text", Latin-1);
    header names are matched in lower case. One physical line is one record, so a
    stray quote cannot swallow the lines after it.
    """
    return records_of(str(path), path.read_bytes(), tz)


def records_of(name: str, content: bytes, tz: ZoneInfo) -> Iterator[SourceRecord | RejectedRow]:
    """read_records of bytes already read (a file, or a request body named `name`)."""
    lines = [
        (number, text)
        for number, text in enumerate(_LINE_BREAK.split(decoded(content)), start=1)
        if text.strip(" \t;,")
    ]
    if not lines:
        return
    if lines[0][1].lstrip().startswith("{"):
        for number, text in lines:
            yield _json_record(name, number, text, tz)
        return
    header_text = lines[0][1]
    delimiter = max(",;\t", key=header_text.count)  # ties: `,` first; a tab for Excel's "Unicode text"
    header = [h.strip().lower() for h in _split(header_text, delimiter)]
    for number, text in lines[1:]:
        values = _split(text, delimiter)
        if any(v.strip() for v in values[len(header) :]):
            fields = {"fields": str(len(values)), "header": str(len(header))}
            yield RejectedRow.of(name, number, InvalidEvent(Reason.INVALID_FORMAT, "rejected.fields", **fields))
            continue
        yield SourceRecord(name, number, {h: v for h, v in zip(header, values, strict=False) if h}, tz)


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter))


def _json_record(name: str, number: int, text: str, tz: ZoneInfo) -> SourceRecord | RejectedRow:
    try:
        value = json.loads(text)
    except ValueError as e:
        return RejectedRow.not_json(name, number, e)
    except RecursionError:
        return RejectedRow.of(name, number, InvalidEvent(Reason.MALFORMED_JSON, "rejected.too_deep"))
    if type(value) is not dict:
        return RejectedRow.of(
            name, number, InvalidEvent(Reason.WRONG_TYPE, "rejected.record_not_object", got=type(value).__name__)
        )
    return SourceRecord(name, number, value, tz)


# --- adapters ------------------------------------------------------------------------------


Reader = Callable[[str, bytes, ZoneInfo], Iterator[SourceRecord | RejectedRow]]
StreamReader = Callable[[str, BinaryIO, SourceMapping], Iterator[SourceRecord | RejectedRow]]
"""A system's own format read as a stream (MeMo XML with attachments, a year's Master.csv), with the mapping's
options; the file is never held whole."""


@dataclass(frozen=True)
class Adapter:
    """A source: its name, its pure record mapper and how its files hold records; reading and following
    files is the same for all.

    >>> from streams.ingress.adapters.telephony import ADAPTER
    >>> ADAPTER.source
    'telephony'
    """

    source: str
    map_record: Callable[[SourceRecord, SourceMapping], Mapped]
    reader: Reader = records_of
    skip_reasons_da: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stream_reader: StreamReader | None = None  # instead of `reader`
    sections: Mapping[str, SectionParser] = field(default_factory=lambda: MappingProxyType({}))  # of the mapping

    def read(self, path: str | Path, mapping: SourceMapping) -> Iterator[AdapterResult]:
        """Every record of one file as results, in file order; a file that cannot be read is one rejection."""
        try:
            if self.stream_reader is None:
                content = Path(path).read_bytes()
            else:
                with Path(path).open("rb") as stream:
                    yield from self._results(self.stream_reader(str(path), stream, mapping), mapping)
                return
        except FileNotFoundError:
            raise  # followed folders: the file went away between listing and reading
        except OSError as e:
            yield RejectedRow.of(
                str(path), 0, InvalidEvent(Reason.INVALID_FORMAT, "rejected.file_unreadable", reason=str(e.strerror))
            )
            return
        yield from self.read_content(str(path), content, mapping)

    def read_content(self, name: str, content: bytes, mapping: SourceMapping) -> Iterator[AdapterResult]:
        """Every record of a file's content (or a request body) as results."""
        if self.stream_reader is not None:
            return self._results(self.stream_reader(name, io.BytesIO(content), mapping), mapping)
        return self._results(self.reader(name, content, mapping.tz), mapping)

    def _results(self, items: Iterator[SourceRecord | RejectedRow], mapping: SourceMapping) -> Iterator[AdapterResult]:
        parser = EventParser(event_contract())  # the content's: what it proves valid is not kept beyond it
        for item in items:
            if isinstance(item, RejectedRow):
                yield item
            else:
                yield from self.results(item, mapping, parser)

    def results(self, record: SourceRecord, mapping: SourceMapping, parser: EventParser) -> list[AdapterResult]:
        """Map one record and check what it became against its contract: a skip, a rejection, or one
        result per event (all of a record's events, or none of them)."""
        try:
            mapped = self.map_record(record, mapping)
            if isinstance(mapped, Skip):
                return [Skipped(record.file, record.line, mapped.reason)]
            several = (mapped,) if isinstance(mapped, InquiryEvent | ServiceEvent) else mapped  # (an event is a tuple)
            return [self._checked(one, record, mapping, parser) for one in several]
        except InvalidEvent as e:
            return [RejectedRow.of(record.file, record.line, e)]

    def _checked(
        self, mapped: InquiryEvent | ServiceEvent, record: SourceRecord, mapping: SourceMapping, parser: EventParser
    ) -> Inquiry | ServiceMeasure:
        if isinstance(mapped, ServiceEvent):
            obj = mapped.to_json()
            parse_service_event(obj, parser)
            return ServiceMeasure(record.file, record.line, obj, record.unmapped, tuple(record.notes))
        if mapped.department_name is None:
            mapped = mapped._replace(department_name=mapping.names.get(mapped.department))
        obj = mapped.to_json()
        findings = list(record.findings)
        event = parser.parse(obj, findings=findings)
        return Inquiry(
            record.file,
            record.line,
            event.to_json() if findings else obj,
            tuple(findings),
            record.unmapped,
            tuple(record.notes),
        )

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
