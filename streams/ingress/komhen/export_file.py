"""Read KOMHEN counting-week exports (TraceTool, Det Digitale Landkort) as inquiry events.

Municipalities hold years of these files; importing them puts the old counting weeks on
the same dashboards as the live count. The files come as they were saved:

- `;`-separated, Latin-1 or UTF-8 with or without BOM, CRLF or LF, trailing `;`;
- the TraceTool header `Kommune;ID;Enhed;Opgave;Kanal;Type;Afslutning;Blanket;Dato;
  StartTidspunkt;SlutTidspunkt;Datakilde;<local columns>;` or KL's upload layout
  `KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;Henvendelses type;Afslutning;Blanket;Dato`
  (columns are found by name, so order and extra local columns do not matter);
- `Kommune` holds a municipality's number or its name (`Ishøj`, `Københavns Kommune`: see
  streams/domain/organisation/municipalities.py); in Det Digitale Landkort's exports `ID` holds the number,
  in TraceTool's its own registration number. `ID` is read as the municipality only where the
  whole file shows it is one (it equals every row's Kommune) and only for rows whose Kommune is
  blank or unknown;
- units (`Enhed`) may start with the municipality number (`183borgerservice`), which is not part
  of the department; the unit as written becomes the department's display name;
- dates `DD-MM-YYYY HH:MM:SS` in Danish local time.

Counting fields decide: a row is rejected only when its municipality, unit, channel or date
cannot be read (or holds personal data, or is too old for a wall-clock worker), each with file,
line and a `Reason`. Descriptive columns (Opgave, Type, Afslutning, Blanket, Start/Slut) are
normalised where the meaning is clear (`J` → JA, `23.05.10 Flytning` → 23.05.10) and otherwise
left out; the row counts, and each such finding is listed in the summary. STRAKS is kept on
every channel, as municipalities registered it. One physical line is one row: a stray quote in
a free-text local column cannot swallow the rows after it. Every message exists in Danish (the
default) and English.

Use (the CLI's `komhen import`):

    export = open_export("uge46.csv", tz=tz)   # ExportFormatError if it is no KOMHEN export
    summary.add_file(export)
    for result in export:                       # Imported (publish result.event) | RejectedRow
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
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from streams.contract.danish import whole
from streams.contract.errors import UnusableInput
from streams.documents.reference import code_table, event_contract, municipality_table
from streams.domain.counting.windows import local_moment
from streams.domain.events.descriptive import (
    MAX_NAME_LENGTH,
    FindingReason,
    completion_code,
    form_flag,
    inquiry_type_code,
    is_kle,
    kle_code,
)
from streams.domain.events.inquiry import SCHEMA_VERSION, EventParser, InvalidEvent, Reason
from streams.domain.events.privacy import contains_cpr, redact, shown
from streams.domain.organisation.departments import NoSlug, unit_department, without_municipality_number
from streams.domain.organisation.municipalities import COUNT as MUNICIPALITY_COUNT
from streams.domain.organisation.municipalities import Municipality

Language = Literal["da", "en"]
SOURCE = "komhen-import"
MAX_DURATION_S = 86_400  # the schema's maximum for duration_s
COUNTING_FIELDS = ("municipality", "department", "channel", "occurred_at")  # what a row can be rejected for

# Header names (lowercase, spaces removed) of each field in both layouts.
_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "municipality": ("kommune", "kommuneid", "kommunenavn"),
    "municipality_number": ("kommunenr", "kommunenummer", "kommunekode"),
    "id": ("id",),
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
_REQUIRED = ("unit", "channel", "date")
_HEADER_NAMES = {"municipality": "Kommune", "unit": "Enhed", "channel": "Kanal", "date": "Dato"}
# The file's column of each descriptive field, for messages.
COLUMN_OF = {
    "kle": "Opgave",
    "inquiry_type": "Type",
    "completion": "Afslutning",
    "form": "Blanket",
    "duration_s": "Start/SlutTidspunkt",
    "department_name": "Enhed",
}
# The event field each column becomes: a CPR-like number rejects a row in a counting column
# (a unit must never become a department label), and is left out of a descriptive one.
_COUNTING_COLUMNS = {
    "municipality": "municipality",
    "municipality_number": "municipality",
    "id": "municipality",  # some files hold the municipality number there
    "unit": "department",
    "channel": "channel",
    "date": "occurred_at",
}
_DESCRIPTIVE_COLUMNS = {
    "kle": "kle",
    "inquiry_type": "inquiry_type",
    "completion": "completion",
    "form": "form",
    "start": "duration_s",
    "end": "duration_s",
}
# Every column the importer reads, as files title it, for messages.
_TITLES = {
    **_HEADER_NAMES,
    **COLUMN_OF,
    "municipality_number": "Kommunenummer",
    "id": "ID",
    "start": "StartTidspunkt",
    "end": "SlutTidspunkt",
}

_DATE = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?\Z")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\Z")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")  # CRLF, LF, and the odd old-Mac CR-only file


class ExportFormatError(UnusableInput):
    """A file that is not a KOMHEN export at all (no usable header); no row is read."""


class RowError(InvalidEvent):
    """A row that cannot be counted, with its sentence in Danish as well."""

    def __init__(self, reason: Reason, field: str, en: str, da: str) -> None:
        super().__init__(reason, en, field)
        self.detail_da = da


@dataclass(frozen=True, slots=True)
class RowFinding:
    """A descriptive value of a counted row that was normalised (`kept` is what it became) or left out."""

    field: str  # the event field: kle, inquiry_type, completion, form, duration_s, department_name
    reason: FindingReason
    value: str  # as the file has it (at most 40 characters)
    kept: str | None = None


@dataclass(frozen=True, slots=True)
class Imported:
    """A row mapped to an event; `event` is schema v1 JSON, already checked by an EventParser."""

    file: str
    line: int
    event: dict[str, Any]
    findings: tuple[RowFinding, ...] = ()


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row (or a source record) that cannot be counted, with where it is and why.

    `detail` is English; rows of KOMHEN files also carry `detail_da` and the counting `field`.
    """

    file: str
    line: int
    reason: Reason
    detail: str
    detail_da: str | None = None
    field: str | None = None

    def format(self, language: Language = "en") -> str:
        """One line: file, line, reason and what is wrong (CPR-like numbers removed)."""
        if language == "da" and self.detail_da is not None:
            return redact(f"{self.file}:{self.line}: afvist ({_reason_da(self.reason)}): {self.detail_da}")
        return redact(f"{self.file}:{self.line}: {self.reason.value}: {self.detail}")


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


def _q(value: str) -> str:
    return shown(value)


class ExportFile:
    """One export file, decoded and split, ready to be iterated row by row.

    The whole file is read at once: its hash names the events, and the encoding can only be
    told from all of it. Counting-week files are a few MB at most.

    `received_at` bounds dates in the future (a clock error); with `retention` (a wall-clock
    worker's), rows older than it are rejected as `too_old` before anything else is read of
    them: such a worker would reject them, and `too_old_rows()` finds them before sending.
    """

    def __init__(
        self,
        content: bytes,
        name: str,
        *,
        tz: ZoneInfo,
        received_at: datetime | None = None,
        retention: timedelta | None = None,
        language: Language = "da",
    ) -> None:
        self.name = name
        self.tz = tz  # the time zone the file's dates are local times of
        self.encoding = detect_encoding(content)
        self.content_id = content_id(content)
        self.received_at = received_at
        self.retention = retention
        lines = _LINE_BREAK.split(content.decode(self.encoding))
        numbered = [(number, text) for number, text in enumerate(lines, start=1) if text.strip(" \t;\r")]
        if not numbered:
            raise ExportFormatError(f"{name}: filen er tom" if language == "da" else f"{name}: the file is empty")
        header_line, header_text = numbered[0]
        try:
            header = [_normalise_header(h) for h in _split(header_text)]
        except csv.Error as exc:  # e.g. a field over csv's size limit: no export has such a header
            raise ExportFormatError(
                f"{name}:{header_line}: overskriften kan ikke læses ({exc}); er det en KOMHEN-eksport?"
                if language == "da"
                else f"{name}:{header_line}: the header cannot be read ({exc}); is this a KOMHEN export?"
            ) from None
        self.columns: dict[str, int] = {}
        for field_name, names in _COLUMNS.items():
            index = next((i for i, h in enumerate(header) if h in names), None)
            if index is not None:
                self.columns[field_name] = index
        missing = [_HEADER_NAMES[f] for f in _REQUIRED if f not in self.columns]
        if "municipality" not in self.columns and "municipality_number" not in self.columns:
            missing.insert(0, _HEADER_NAMES["municipality"])
        if missing:
            raise ExportFormatError(
                f"{name}:{header_line}: overskriften mangler {', '.join(missing)}; forventet er en TraceTool-eksport "
                "(Kommune;ID;Enhed;Opgave;Kanal;…) eller KL's uploadformat (KommuneID;Enhed;KLE Opgave kode;…)"
                if language == "da"
                else f"{name}:{header_line}: the header lacks {', '.join(missing)}; expected a TraceTool export "
                "(Kommune;ID;Enhed;Opgave;Kanal;…) or KL's upload layout (KommuneID;Enhed;KLE Opgave kode;…)"
            )
        self.layout: Literal["tracetool", "kl-upload"] = "kl-upload" if "kommuneid" in header else "tracetool"
        self._lines = numbered[1:]
        self.blank_lines = len(lines) - len(numbered) - (1 if lines[-1] == "" else 0)
        self._codes = code_table()
        self._completion_codes = self._codes.completion_codes  # immediate -> STRAKS
        self._form_codes = self._codes.form_codes
        self._municipalities = municipality_table()
        self._parser = EventParser(event_contract())

    @property
    def rows(self) -> int:
        """Data rows (not header, not blank lines): the total for a progress bar."""
        return len(self._lines)

    def __iter__(self) -> Iterator[RowResult]:
        for number, text in self._lines:
            yield self._row(number, text)

    # -- the file as a whole ---------------------------------------------------------------

    def _values_of_rows(self) -> Iterator[list[str]]:
        for _, text in self._lines:
            try:
                yield _split(text)
            except csv.Error:
                continue

    @cached_property
    def id_is_municipality(self) -> bool:
        """Whether the ID column holds the municipality's number (Det Digitale Landkort) rather than a
        registration number (TraceTool): true when, on every row whose Kommune names a municipality
        and whose ID is filled in, the ID is that municipality's number, and there is such a row."""
        if "id" not in self.columns or (
            "municipality" not in self.columns and "municipality_number" not in self.columns
        ):
            return False
        seen = False
        for values in self._values_of_rows():
            named = self._named_municipality(values)
            number = self._value(values, "id")
            if named is None or not number:
                continue
            if not number.isdigit() or self._municipalities.resolve(number) is not named:
                return False
            seen = True
        return seen

    def too_old_rows(self) -> list[tuple[int, datetime]]:
        """(line, date) of each row older than the retention: a wall-clock worker would reject it."""
        if self.received_at is None or self.retention is None:
            return []
        out = []
        for number, text in self._lines:
            try:
                moment = _local_datetime(self._value(_split(text), "date"), self.tz)
            except csv.Error:
                continue
            if moment is not None and self.received_at - moment > self.retention:
                out.append((number, moment))
        return out

    # -- one row ---------------------------------------------------------------------------

    def _row(self, line: int, text: str) -> RowResult:
        try:
            values = _split(text)
        except csv.Error as e:  # a field over csv's size limit, NUL bytes and similar
            return RejectedRow(
                self.name, line, Reason.INVALID_FORMAT, f"unreadable line: {e}", f"linjen kan ikke læses: {e}"
            )
        findings: list[RowFinding] = []
        for field_name, index in self.columns.items():  # before anything quotes a value, or a unit becomes a label
            if index >= len(values) or not contains_cpr(values[index]):
                continue
            if field_name in _DESCRIPTIVE_COLUMNS:  # the inquiry still counts; the value is never read
                values[index] = ""
                findings.append(RowFinding(_DESCRIPTIVE_COLUMNS[field_name], FindingReason.PERSONAL_DATA, ""))
                continue
            title = _TITLES[field_name]
            return RejectedRow(
                self.name,
                line,
                Reason.PERSONAL_DATA,
                f"{title} contains a CPR-like number; the row is not imported",
                f"{title} indeholder et CPR-lignende nummer; rækken importeres ikke",
                _COUNTING_COLUMNS[field_name],
            )
        try:
            obj = self._event(line, values, findings)
            self._parser.parse(obj, received_at=self.received_at)
        except RowError as e:
            return RejectedRow(self.name, line, e.reason, e.detail, e.detail_da, e.field)
        except InvalidEvent as e:
            return RejectedRow(self.name, line, e.reason, e.detail, _danish(e), e.field)
        return Imported(self.name, line, obj, tuple(findings))

    def _value(self, values: list[str], field_name: str) -> str:
        index = self.columns.get(field_name)
        if index is None or index >= len(values):
            return ""
        return values[index].strip()

    def _named_municipality(self, values: list[str]) -> Municipality | None:
        """The municipality the Kommune (or Kommunenummer) column names, if it names one."""
        resolve = self._municipalities.resolve
        return resolve(self._value(values, "municipality")) or resolve(self._value(values, "municipality_number"))

    def _municipality(self, values: list[str]) -> Municipality:
        found = self._named_municipality(values)
        if found is not None:
            return found
        if self.id_is_municipality:
            found = self._municipalities.resolve(self._value(values, "id"))
            if found is not None:
                return found
        text = self._value(values, "municipality") or self._value(values, "municipality_number")
        if not text:
            raise RowError(
                Reason.MISSING_FIELD,
                "municipality",
                "Kommune is blank; give the municipality's number or name (e.g. 183 or Ishøj)",
                "Kommune er tom; skriv kommunens nummer eller navn (fx 183 eller Ishøj)",
            )
        raise RowError(
            Reason.UNKNOWN_CODE,
            "municipality",
            f"Kommune {_q(text)} is neither one of the {MUNICIPALITY_COUNT} municipality numbers nor a "
            "municipality's name (e.g. 183 or Ishøj)",
            f"Kommune {_q(text)} er hverken et af de {MUNICIPALITY_COUNT} kommunenumre eller et kommunenavn "
            "(fx 183 eller Ishøj)",
        )

    def _event(self, line: int, values: list[str], findings: list[RowFinding]) -> dict[str, Any]:
        """The schema v1 JSON of a row; raises RowError with the row's reason."""
        occurred_at = self._date(values)  # first: a row too old is not read further
        municipality = self._municipality(values).number
        unit = self._value(values, "unit")
        try:
            department = unit_department(unit, municipality)
        except NoSlug as e:
            raise RowError(
                Reason.INVALID_FORMAT,
                "department",
                str(e),
                f"Enhed {_q(without_municipality_number(unit, municipality))} har hverken bogstaver eller cifre at "
                "kende afdelingen på",
            ) from None
        channel, direction = self._channel(values)
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
        self._descriptive(values, occurred_at, obj, findings)
        name = self._value(values, "unit")
        if name:
            if len(name) > MAX_NAME_LENGTH:
                findings.append(RowFinding("department_name", FindingReason.TOO_LONG, name[:40]))
            else:
                obj["department_name"] = name
        return obj

    def _channel(self, values: list[str]) -> tuple[str, str]:
        code = self._value(values, "channel").upper()
        if not code:
            raise RowError(
                Reason.MISSING_FIELD,
                "channel",
                "Kanal is blank; give a KOMHEN channel code (e.g. TLFIND)",
                "Kanal er tom; skriv en KOMHEN-kanalkode (fx TLFIND)",
            )
        channel_direction = self._codes.by_export_code.get(code)
        if channel_direction is None:
            raise RowError(
                Reason.UNKNOWN_CODE,
                "channel",
                f"Kanal {_q(code)} is not a KOMHEN channel code",
                f"Kanal {_q(code)} er ikke en KOMHEN-kanalkode (fx TLFIND, PRSNLG, SLVBTJN)",
            )
        return channel_direction

    def _descriptive(
        self, values: list[str], occurred_at: datetime, obj: dict[str, Any], findings: list[RowFinding]
    ) -> None:
        """Opgave, Type, Afslutning, Blanket and the duration: kept, normalised or left out with a finding."""
        kle = self._value(values, "kle")
        if kle:
            code = kle_code(kle)
            if code is None:
                findings.append(RowFinding("kle", FindingReason.INVALID_FORMAT, kle[:40]))
            else:
                obj["kle"] = code
                if not is_kle(kle):
                    findings.append(RowFinding("kle", FindingReason.NORMALISED, kle[:40], code))
        inquiry_type = self._value(values, "inquiry_type")
        if inquiry_type:
            code = inquiry_type_code(inquiry_type, self._codes.inquiry_types)
            if code is None:
                findings.append(RowFinding("inquiry_type", FindingReason.UNKNOWN_CODE, inquiry_type[:40]))
            else:
                obj["inquiry_type"] = code  # the codes in any case: as TraceTool files have them
        completion = self._value(values, "completion")
        if completion:
            value = completion_code(completion)
            if value is None:
                findings.append(RowFinding("completion", FindingReason.UNKNOWN_CODE, completion[:40]))
            else:
                obj["completion"] = value  # STRAKS kept on every channel, as registered
                if completion.upper() not in ("STRAKS", "HOLD"):
                    kept = self._completion_codes[value]
                    findings.append(RowFinding("completion", FindingReason.NORMALISED, completion[:40], kept))
        form = self._value(values, "form")
        if form:
            flag = form_flag(form)
            if flag is None:
                findings.append(RowFinding("form", FindingReason.UNKNOWN_CODE, form[:40]))
            else:
                obj["form"] = flag
                if form.upper() not in ("JA", "NEJ"):
                    findings.append(RowFinding("form", FindingReason.NORMALISED, form[:40], self._form_codes[flag]))
        start, end = self._value(values, "start"), self._value(values, "end")
        if start and end:
            duration = _duration(start, end, occurred_at.date(), self.tz)
            if duration is None:
                findings.append(RowFinding("duration_s", FindingReason.INVALID_FORMAT, f"{start} – {end}"[:40]))
            else:
                obj["duration_s"] = duration

    def _date(self, values: list[str]) -> datetime:
        text = self._value(values, "date")
        if not text:
            raise RowError(
                Reason.MISSING_FIELD,
                "occurred_at",
                "Dato is blank; give the date as DD-MM-YYYY HH:MM:SS",
                "Dato er tom; skriv datoen som DD-MM-ÅÅÅÅ TT:MM:SS",
            )
        moment = _local_datetime(text, self.tz)
        if moment is None:
            raise RowError(
                Reason.INVALID_FORMAT,
                "occurred_at",
                f"Dato {_q(text)} is not a date DD-MM-YYYY HH:MM:SS",
                f"Dato {_q(text)} er ikke en dato DD-MM-ÅÅÅÅ TT:MM:SS",
            )
        if self.received_at is not None and self.retention is not None and self.received_at - moment > self.retention:
            days = self.retention.days
            raise RowError(
                Reason.TOO_OLD,
                "occurred_at",
                f"Dato {text} is older than the retention of {days} days: a worker with the wall clock would "
                "reject it (import with --clock event)",
                f"Dato {text} er ældre end opbevaringstiden på {whole(days)} dage: en worker med vægur ville "
                "afvise den (importér med --clock event)",
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
    language: Language = "da",
) -> ExportFile:
    """Read a file from disk (see ExportFile)."""
    path = Path(path)
    return ExportFile(
        path.read_bytes(), str(path), tz=tz, received_at=received_at, retention=retention, language=language
    )


# Danish words for the reasons an import can give.
_REASONS_DA = {
    Reason.MISSING_FIELD: "tomt felt",
    Reason.INVALID_FORMAT: "ugyldigt format",
    Reason.UNKNOWN_CODE: "ukendt kode",
    Reason.DIRECTION_NOT_ALLOWED: "retning ikke tilladt for kanalen",
    Reason.PERSONAL_DATA: "ligner et CPR-nummer",
    Reason.FUTURE_TIMESTAMP: "dato i fremtiden",
    Reason.TOO_OLD: "ældre end opbevaringstiden",
    Reason.TOO_LONG: "for langt felt",
}
_FINDINGS_DA = {
    FindingReason.NORMALISED: "rettet",
    FindingReason.UNKNOWN_CODE: "udeladt, ukendt kode",
    FindingReason.INVALID_FORMAT: "udeladt, ugyldigt format",
    FindingReason.WRONG_TYPE: "udeladt, forkert type",
    FindingReason.TOO_LONG: "udeladt, for lang",
    FindingReason.OTHER_DEPARTMENT: "udeladt, navn på en anden afdeling",
    FindingReason.PERSONAL_DATA: "udeladt, ligner et CPR-nummer",
}
_FINDINGS_EN = {
    FindingReason.NORMALISED: "normalised",
    FindingReason.UNKNOWN_CODE: "left out, unknown code",
    FindingReason.INVALID_FORMAT: "left out, invalid format",
    FindingReason.WRONG_TYPE: "left out, wrong type",
    FindingReason.TOO_LONG: "left out, too long",
    FindingReason.OTHER_DEPARTMENT: "left out, the name of another department",
    FindingReason.PERSONAL_DATA: "left out, looks like a CPR number",
}
_COLUMNS_DA = {"municipality": "Kommune", "department": "Enhed", "department_name": "Enhed", "occurred_at": "Dato"}


def _reason_da(reason: Reason) -> str:
    return _REASONS_DA.get(reason, reason.value)


def _danish(e: InvalidEvent) -> str:
    """A Danish sentence for a rejection the parser gave a mapped row."""
    column = _COLUMNS_DA.get(e.field or "", e.field or "rækken")
    if e.reason is Reason.PERSONAL_DATA:
        return f"{column} indeholder noget, der ligner et CPR-nummer; filen må ikke indeholde personoplysninger"
    if e.reason is Reason.FUTURE_TIMESTAMP:
        return f"{column} ligger mere end 5 minutter efter tidspunktet for importen; ret datoen"
    return f"{column}: {_reason_da(e.reason)}"


EXAMPLES_PER_REASON = 3


def _number(n: int, language: Language) -> str:
    return whole(n) if language == "da" else f"{n:,}"


@dataclass
class ImportSummary:
    """What an import run did, for the lines people read at the end.

    >>> s = ImportSummary()
    >>> s.add(RejectedRow("a.csv", 7, Reason.UNKNOWN_CODE, "Kanal 'FAX' is not a KOMHEN channel code"))
    >>> print(s.format("en"))
    Read 0 files, 1 row: 0 events, 1 rejected.
    Rejected by reason:
      unknown_code: 1 (e.g. a.csv:7)
    """

    files: int = 0
    total_rows: int = 0  # data rows of the files added so far
    rows: int = 0
    events: int = 0
    published: int | None = None  # set by a caller that publishes; None = not published
    blank_lines: int = 0
    retention_days: int | None = None  # set when rows older than it were held back (wall clock)
    rejected: Counter[Reason] = field(default_factory=Counter)
    examples: dict[Reason, list[RejectedRow]] = field(default_factory=dict)
    findings: Counter[tuple[str, FindingReason]] = field(default_factory=Counter)
    finding_examples: dict[tuple[str, FindingReason], list[str]] = field(default_factory=dict)
    findings_by_row: int = 0  # counted rows with at least one finding

    def add_file(self, export: ExportFile) -> None:
        self.files += 1
        self.total_rows += export.rows
        self.blank_lines += export.blank_lines

    def add(self, result: RowResult) -> None:
        self.rows += 1
        if isinstance(result, Imported):
            self.events += 1
            self.findings_by_row += bool(result.findings)
            for finding in result.findings:
                key = (finding.field, finding.reason)
                self.findings[key] += 1
                where = self.finding_examples.setdefault(key, [])
                if len(where) < EXAMPLES_PER_REASON:
                    where.append(f"{result.file}:{result.line}")
            return
        self.rejected[result.reason] += 1
        examples = self.examples.setdefault(result.reason, [])
        if len(examples) < EXAMPLES_PER_REASON:
            examples.append(result)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def interrupted(self, language: Language = "da") -> str:
        """The line for Ctrl-C: how far the import got, and that running it again is safe."""
        done, total = _number(self.rows, language), _number(self.total_rows, language)
        if language == "da":
            return (
                f"Afbrudt efter {done} af {total} rækker. Kør den samme import igen: "
                "rækker, der allerede er talt, tælles kun én gang."
            )
        return f"Interrupted after {done} of {total} rows. Run the same import again: rows already counted count once."

    def format(self, language: Language = "da") -> str:
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
        if self.rejected:
            lines.append("Afvist pr. årsag:" if da else "Rejected by reason:")
            for reason, count in sorted(self.rejected.items(), key=lambda item: (-item[1], item[0].value)):
                label = f"{reason.value} ({_REASONS_DA[reason]})" if da and reason in _REASONS_DA else reason.value
                where = ", ".join(f"{r.file}:{r.line}" for r in self.examples.get(reason, []))
                lines.append(f"  {label}: {n(count)} ({'fx' if da else 'e.g.'} {where})")
        if self.findings:
            rows = n(self.findings_by_row)
            lines.append(
                f"Beskrivende felter rettet eller udeladt i {rows} {'række' if self.findings_by_row == 1 else 'rækker'}"
                " (de er talt med):"
                if da
                else f"Descriptive fields normalised or left out in {rows} "
                f"{'row' if self.findings_by_row == 1 else 'rows'} (they are counted):"
            )
            for (field_name, finding), count in sorted(
                self.findings.items(), key=lambda item: (-item[1], item[0][0], item[0][1].value)
            ):
                what = _FINDINGS_DA[finding] if da else _FINDINGS_EN[finding]
                column = COLUMN_OF[field_name] if da else f"{field_name} ({COLUMN_OF[field_name]})"
                lines_at = ", ".join(self.finding_examples[(field_name, finding)])
                lines.append(f"  {column}, {what}: {n(count)} ({'fx' if da else 'e.g.'} {lines_at})")
        if self.rejected.get(Reason.TOO_OLD):
            lines.append(too_old_advice(self.retention_days, language))
        return "\n".join(lines)


def too_old_advice(retention_days: int | None, language: Language) -> str:
    """What to do about rows older than the retention, in one line."""
    days = whole(retention_days) if retention_days is not None else "400"
    if language == "da":
        return (
            f"Rækker ældre end {days} dage er ikke sendt: en worker med vægur (--clock wall) afviser dem som too_old. "
            "Kør workeren og importen med --clock event (KOMHEN_CLOCK=event) for at tælle gamle tælleuger."
        )
    return (
        f"Rows older than {days} days were not sent: a worker with the wall clock (--clock wall) rejects them as "
        "too_old. Run the worker and the import with --clock event (KOMHEN_CLOCK=event) to count old counting weeks."
    )
