"""Read KOMHEN counting-week exports (TraceTool, Det Digitale Landkort) as inquiry events.

Municipalities hold years of these files; importing them puts the old counting weeks on
the same dashboards as the live count. The files come as they were saved:

- `;`-separated, Latin-1 or UTF-8 with or without BOM, CRLF or LF, trailing `;`;
- the TraceTool header `Kommune;ID;Enhed;Opgave;Kanal;Type;Afslutning;Blanket;Dato;
  StartTidspunkt;SlutTidspunkt;Datakilde;<local columns>;` or KL's upload layout
  `KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;Henvendelses type;Afslutning;Blanket;Dato`
  (columns are found by name, so order and extra local columns do not matter);
- dates `DD-MM-YYYY HH:MM:SS` in Danish local time.

Every data row gives either an event (schema v1 JSON that `parse_event` accepts) or a
rejection with file, line and a `Reason`; nothing is dropped without a trace. One physical
line is one row: a stray quote in a free-text local column cannot swallow the rows after it.

Use (the CLI's `komhen import`):

    export = open_export("uge46.csv")   # ExportFormatError if it is no KOMHEN export
    summary.add_file(export)
    with progress(total=export.rows):   # data rows, known before the first is mapped
        for result in export:           # Imported (publish result.event) | RejectedRow
            summary.add(result)
    print(summary.format())
"""

from __future__ import annotations

import base64
import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from streams.danish import whole
from streams.domain.codes import code_table
from streams.domain.departments import NoSlug, department_slug
from streams.domain.events import SCHEMA_VERSION, InvalidEvent, Reason, parse_event
from streams.domain.privacy import contains_cpr, shown
from streams.domain.windows import local_moment
from streams.errors import UnusableInput

SOURCE = "komhen-import"
MAX_DURATION_S = 86_400  # the schema's maximum for duration_s

# Header names (lowercase, spaces removed) of each field in both layouts.
_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "municipality": ("kommune", "kommuneid"),
    "unit": ("enhed",),
    "kle": ("opgave", "kleopgavekode"),
    "channel": ("kanal", "henvendelseskanal"),
    "inquiry_type": ("type", "henvendelsestype"),
    "completion": ("afslutning",),
    "form": ("blanket",),
    "date": ("dato",),
    "start": ("starttidspunkt",),
    "end": ("sluttidspunkt",),
}
_REQUIRED = ("municipality", "unit", "channel", "date")
_HEADER_NAMES = {"municipality": "Kommune", "unit": "Enhed", "channel": "Kanal", "date": "Dato"}
_COLUMN_NAMES = {
    **_HEADER_NAMES,
    "kle": "Opgave",
    "inquiry_type": "Type",
    "completion": "Afslutning",
    "form": "Blanket",
    "start": "StartTidspunkt",
    "end": "SlutTidspunkt",
}

_MUNICIPALITY = re.compile(r"[0-9]{3}\Z")
# A KLE number, optionally followed by its title ("23.05.10 Flytning").
_KLE = re.compile(r"([0-9]{2}\.[0-9]{2}(?:\.[0-9]{2})?)(?:\s.*)?\Z")
_DATE = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?\Z")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\Z")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")  # CRLF, LF, and the odd old-Mac CR-only file


class ExportFormatError(UnusableInput):
    """A file that is not a KOMHEN export at all (no usable header); no row is read."""


@dataclass(frozen=True, slots=True)
class Imported:
    """A row mapped to an event; `event` is schema v1 JSON, already checked by parse_event."""

    file: str
    line: int
    event: dict[str, Any]
    duration_ignored: bool = False  # start/end present but unreadable or not sane


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row that cannot be counted, with where it is and why."""

    file: str
    line: int
    reason: Reason
    detail: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.reason.value}: {self.detail}"


RowResult = Imported | RejectedRow


def detect_encoding(content: bytes) -> str:
    """utf-8-sig with a BOM, utf-8 if the bytes are valid UTF-8, else latin-1.

    Latin-1 text with æøå is practically never valid UTF-8 (ø is byte 0xF8, never valid in
    UTF-8; æ and å start a 3-byte sequence that a following letter cannot continue), so
    trying UTF-8 first is safe, and latin-1 decodes any bytes.
    """
    if content.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def content_id(content: bytes) -> str:
    """16 base32 characters of the file's SHA-256, the stem of every event id of the file.

    Base32 (a-z, 2-7) rather than hex: it has no 0 or 1, so no id can look like a CPR
    number (whose month needs one) and be rejected by the personal-data check.
    """
    return base64.b32encode(hashlib.sha256(content).digest()).decode("ascii")[:16].lower()


def _normalise_header(name: str) -> str:
    return "".join(name.split()).lower()


def _split(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=";"))


class ExportFile:
    """One export file, decoded and split, ready to be iterated row by row.

    The whole file is read at once: its hash names the events, and the encoding can only be
    told from all of it. Counting-week files are a few MB at most.
    """

    def __init__(
        self,
        content: bytes,
        name: str,
        *,
        tz: ZoneInfo,
        received_at: datetime | None = None,
        retention: timedelta | None = None,
    ) -> None:
        self.name = name
        self.tz = tz  # the time zone the file's dates are local times of
        self.encoding = detect_encoding(content)
        self.content_id = content_id(content)
        self.received_at = received_at
        self.retention = retention
        codes = code_table()
        self._completions = {code: value for value, code in codes.completion_codes.items()}
        self._forms = {code: value for value, code in codes.form_codes.items()}
        lines = _LINE_BREAK.split(content.decode(self.encoding))
        numbered = [(number, text) for number, text in enumerate(lines, start=1) if text.strip(" \t;\r")]
        if not numbered:
            raise ExportFormatError(f"{name}: the file is empty")
        header_line, header_text = numbered[0]
        try:
            header = [_normalise_header(h) for h in _split(header_text)]
        except csv.Error as exc:  # e.g. a field over csv's size limit: no export has such a header
            raise ExportFormatError(f"{name}:{header_line}: the header cannot be read ({exc})") from None
        self.columns: dict[str, int] = {}
        for field_name, names in _COLUMNS.items():
            index = next((i for i, h in enumerate(header) if h in names), None)
            if index is not None:
                self.columns[field_name] = index
        missing = [_HEADER_NAMES[f] for f in _REQUIRED if f not in self.columns]
        if missing:
            raise ExportFormatError(
                f"{name}:{header_line}: the header lacks {', '.join(missing)}; expected a TraceTool export "
                "(Kommune;ID;Enhed;Opgave;Kanal;…) or KL's upload layout (KommuneID;Enhed;KLE Opgave kode;…)"
            )
        self.layout: Literal["tracetool", "kl-upload"] = "kl-upload" if "kommuneid" in header else "tracetool"
        self._lines = numbered[1:]
        self.blank_lines = len(lines) - len(numbered) - (1 if lines[-1] == "" else 0)

    @property
    def rows(self) -> int:
        """Data rows (not header, not blank lines): the total for a progress bar."""
        return len(self._lines)

    def __iter__(self) -> Iterator[RowResult]:
        for number, text in self._lines:
            yield self._row(number, text)

    def _row(self, line: int, text: str) -> RowResult:
        try:
            values = _split(text)
        except csv.Error as e:  # a field over csv's size limit, NUL bytes and similar
            return RejectedRow(self.name, line, Reason.INVALID_FORMAT, f"unreadable line: {e}")
        for field_name, index in self.columns.items():  # before anything quotes a value, or a unit becomes a label
            if index < len(values) and contains_cpr(values[index]):
                return RejectedRow(
                    self.name,
                    line,
                    Reason.PERSONAL_DATA,
                    f"{_COLUMN_NAMES[field_name]} contains a CPR-like number; the row is not imported",
                )
        try:
            obj, duration_ignored = self._event(line, values)
            parse_event(obj, received_at=self.received_at, retention=self.retention)
        except InvalidEvent as e:
            return RejectedRow(self.name, line, e.reason, e.detail)
        return Imported(self.name, line, obj, duration_ignored)

    def _value(self, values: list[str], field_name: str) -> str:
        index = self.columns.get(field_name)
        if index is None or index >= len(values):
            return ""
        return values[index].strip()

    def _event(self, line: int, values: list[str]) -> tuple[dict[str, Any], bool]:
        """The schema v1 JSON of a row; raises InvalidEvent with the row's reason."""
        codes = code_table()
        municipality = self._value(values, "municipality")
        if not municipality:
            raise InvalidEvent(Reason.MISSING_FIELD, "Kommune is blank", "municipality")
        if not _MUNICIPALITY.match(municipality):
            raise InvalidEvent(
                Reason.INVALID_FORMAT,
                f"Kommune {shown(municipality)} is not a 3-digit municipality number",
                "municipality",
            )
        try:
            department = department_slug(self._value(values, "unit"))
        except NoSlug as e:
            raise InvalidEvent(Reason.INVALID_FORMAT, str(e), "department") from None

        code = self._value(values, "channel").upper()
        if not code:
            raise InvalidEvent(Reason.MISSING_FIELD, "Kanal is blank", "channel")
        channel_direction = codes.by_export_code.get(code)
        if channel_direction is None:
            raise InvalidEvent(Reason.UNKNOWN_CODE, f"Kanal {shown(code)} is not a KOMHEN channel code", "channel")
        channel, direction = channel_direction

        occurred_at = self._date(values)
        obj: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "event_id": f"kmh-{self.content_id}-{line}",
            "source": SOURCE,
            "occurred_at": occurred_at.isoformat(),
            "municipality": municipality,
            "department": department,
            "channel": channel,
            "direction": direction,
        }

        kle = self._value(values, "kle")
        if kle:
            match = _KLE.match(kle)
            if match is None:
                raise InvalidEvent(Reason.INVALID_FORMAT, f"Opgave {shown(kle)} is not a KLE number NN.NN.NN", "kle")
            obj["kle"] = match.group(1)
        inquiry_type = self._value(values, "inquiry_type").upper()
        if inquiry_type:
            if inquiry_type not in codes.inquiry_types:
                raise InvalidEvent(
                    Reason.UNKNOWN_CODE, f"Type {shown(inquiry_type)} is not a KOMHEN inquiry type", "inquiry_type"
                )
            obj["inquiry_type"] = inquiry_type
        completion = self._value(values, "completion").upper()
        if completion:
            if completion not in self._completions:
                raise InvalidEvent(
                    Reason.UNKNOWN_CODE, f"Afslutning {shown(completion)} is not STRAKS or HOLD", "completion"
                )
            obj["completion"] = self._completions[completion]
        form = self._value(values, "form").upper()
        if form:
            if form not in self._forms:
                raise InvalidEvent(Reason.UNKNOWN_CODE, f"Blanket {shown(form)} is not JA or NEJ", "form")
            obj["form"] = self._forms[form]

        duration_ignored = False
        start, end = self._value(values, "start"), self._value(values, "end")
        if start and end:
            duration = _duration(start, end, occurred_at.date(), self.tz)
            if duration is None:
                duration_ignored = True
            else:
                obj["duration_s"] = duration
        return obj, duration_ignored

    def _date(self, values: list[str]) -> datetime:
        text = self._value(values, "date")
        if not text:
            raise InvalidEvent(Reason.MISSING_FIELD, "Dato is blank", "occurred_at")
        moment = _local_datetime(text, self.tz)
        if moment is None:
            raise InvalidEvent(
                Reason.INVALID_FORMAT, f"Dato {shown(text)} is not a date DD-MM-YYYY HH:MM:SS", "occurred_at"
            )
        return moment


def _local_datetime(text: str, tz: ZoneInfo) -> datetime | None:
    """`DD-MM-YYYY[ HH:MM[:SS]]` as an aware moment (see windows.local_moment); None if it is no real time."""
    match = _DATE.match(text)
    if match is None:
        return None
    day, month, year, hour, minute, second = match.groups()
    try:
        naive = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        return local_moment(naive, tz)
    except (ValueError, OverflowError):  # 31-11, 24:00, or year 1 falling off the calendar in UTC
        return None


def _duration(start: str, end: str, day: date, tz: ZoneInfo) -> int | None:
    """Whole seconds from start to end (full dates or times on the row's day), if sane."""
    moments = []
    for text in (start, end):
        moment = _local_datetime(text, tz)
        if moment is None:
            match = _TIME.match(text)
            if match is None:
                return None
            hour, minute, second = (int(g or 0) for g in match.groups())
            if hour > 23 or minute > 59 or second > 59:
                return None
            moment = _local_datetime(f"{day:%d-%m-%Y} {hour:02}:{minute:02}:{second:02}", tz)
            assert moment is not None
        moments.append(moment)
    # In UTC: two datetimes sharing a tzinfo subtract as wall clocks, which is wrong across DST.
    seconds = (moments[1].astimezone(UTC) - moments[0].astimezone(UTC)).total_seconds()
    if not 0 <= seconds <= MAX_DURATION_S:
        return None
    return int(seconds)


def open_export(
    path: str | Path,
    *,
    tz: ZoneInfo,
    received_at: datetime | None = None,
    retention: timedelta | None = None,
) -> ExportFile:
    """Read a file from disk; `received_at`/`retention` are passed to parse_event per row."""
    path = Path(path)
    return ExportFile(path.read_bytes(), str(path), tz=tz, received_at=received_at, retention=retention)


# Danish words for the reasons an import can give; other reasons show their code only.
_REASONS_DA = {
    Reason.MISSING_FIELD: "tomt felt",
    Reason.INVALID_FORMAT: "ugyldigt format",
    Reason.UNKNOWN_CODE: "ukendt kode",
    Reason.DIRECTION_NOT_ALLOWED: "retning ikke tilladt for kanalen",
    Reason.COMPLETION_NOT_ALLOWED: "STRAKS ikke muligt for kanalen",
    Reason.PERSONAL_DATA: "ligner et CPR-nummer",
    Reason.FUTURE_TIMESTAMP: "dato i fremtiden",
    Reason.TOO_OLD: "ældre end opbevaringstiden",
    Reason.TOO_LONG: "for langt felt",
}
EXAMPLES_PER_REASON = 3


def _number(n: int, language: str) -> str:
    return whole(n) if language == "da" else f"{n:,}"


@dataclass
class ImportSummary:
    """What an import run did, for the line people read at the end.

    >>> s = ImportSummary()
    >>> s.add(RejectedRow("a.csv", 7, Reason.UNKNOWN_CODE, "Kanal 'FAX' is not a KOMHEN channel code"))
    >>> print(s.format("en"))
    Read 0 files, 1 row: 0 events, 1 rejected.
    RejectedRow by reason:
      unknown_code: 1 (e.g. a.csv:7)
    """

    files: int = 0
    total_rows: int = 0  # data rows of the files added so far
    rows: int = 0
    events: int = 0
    published: int | None = None  # set by a caller that publishes; None = not published
    blank_lines: int = 0
    durations_ignored: int = 0
    rejected: Counter[Reason] = field(default_factory=Counter)
    examples: dict[Reason, list[RejectedRow]] = field(default_factory=dict)

    def add_file(self, export: ExportFile) -> None:
        self.files += 1
        self.total_rows += export.rows
        self.blank_lines += export.blank_lines

    def add(self, result: RowResult) -> None:
        self.rows += 1
        if isinstance(result, Imported):
            self.events += 1
            self.durations_ignored += result.duration_ignored
            return
        self.rejected[result.reason] += 1
        examples = self.examples.setdefault(result.reason, [])
        if len(examples) < EXAMPLES_PER_REASON:
            examples.append(result)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def interrupted(self, language: Literal["da", "en"] = "da") -> str:
        """The line for Ctrl-C: how far the import got, and that running it again is safe."""
        done, total = _number(self.rows, language), _number(self.total_rows, language)
        if language == "da":
            return (
                f"Afbrudt efter {done} af {total} rækker. Kør den samme import igen: "
                "rækker, der allerede er talt, tælles kun én gang."
            )
        return f"Interrupted after {done} of {total} rows. Run the same import again: rows already counted count once."

    def format(self, language: Literal["da", "en"] = "da") -> str:
        """A few lines for the end of `komhen import`, in Danish (default) or English."""

        def n(count: int) -> str:
            return _number(count, language)

        da = language == "da"
        if da:
            head = (
                f"Læst {n(self.files)} {'fil' if self.files == 1 else 'filer'}, {n(self.rows)} "
                f"{'række' if self.rows == 1 else 'rækker'}: {n(self.events)} "
                f"{'henvendelse' if self.events == 1 else 'henvendelser'}, {n(self.rejected_total)} afvist"
            )
        else:
            head = (
                f"Read {n(self.files)} {'file' if self.files == 1 else 'files'}, {n(self.rows)} "
                f"{'row' if self.rows == 1 else 'rows'}: {n(self.events)} "
                f"{'event' if self.events == 1 else 'events'}, {n(self.rejected_total)} rejected"
            )
        if self.published is not None:
            head += f", {n(self.published)} {'sendt' if da else 'published'}"
        lines = [head + "."]
        if self.blank_lines:
            one = self.blank_lines == 1
            if da:
                lines.append(f"{n(self.blank_lines)} {'tom linje' if one else 'tomme linjer'} sprunget over.")
            else:
                lines.append(f"{n(self.blank_lines)} blank {'line' if one else 'lines'} skipped.")
        if self.durations_ignored:
            lines.append(
                f"{n(self.durations_ignored)} "
                + (
                    "varigheder udeladt (start/slut ulæselig eller urimelig)."
                    if da
                    else "durations left out (start/end unreadable or not sane)."
                )
            )
        if self.rejected:
            lines.append("Afvist pr. årsag:" if da else "RejectedRow by reason:")
            for reason, count in sorted(self.rejected.items(), key=lambda item: (-item[1], item[0].value)):
                label = f"{reason.value} ({_REASONS_DA[reason]})" if da and reason in _REASONS_DA else reason.value
                where = ", ".join(f"{r.file}:{r.line}" for r in self.examples.get(reason, []))
                lines.append(f"  {label}: {n(count)} ({'fx' if da else 'e.g.'} {where})")
        return "\n".join(lines)
