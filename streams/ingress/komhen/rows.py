"""One row of a KOMHEN export to an inquiry event (schema v1), or to a `RejectedRow` with its reason.

A module of its own because this is the importer's judgement, row by row: personal data screened
before any value is read, the counting fields (date, municipality, unit, channel) read or the row
rejected, the descriptive columns kept, normalised or left out with a finding. It needs of the
file only its name, columns, content id and time zone, and whether its ID column holds municipalities.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from streams.contract.texts import Worded
from streams.documents.reference import code_table, event_contract, municipality_table
from streams.domain.counting.windows import local_moment
from streams.domain.events.codes import CodeTable
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
from streams.domain.events.privacy import contains_cpr, shown
from streams.domain.organisation.departments import NoSlug, unit_department, without_municipality_number
from streams.domain.organisation.municipalities import COUNT as MUNICIPALITY_COUNT
from streams.domain.organisation.municipalities import Municipality
from streams.ingress.komhen.columns import (
    COUNTING_COLUMNS,
    DESCRIPTIVE_COLUMNS,
    TITLES,
    column_value,
    named_municipality,
    split_row,
)
from streams.ingress.komhen.results import Imported, RejectedRow, RowFinding, RowResult
from streams.ingress.komhen.texts import danish

SOURCE = "komhen-import"
MAX_DURATION_S = 86_400  # the schema's maximum for duration_s
COUNTING_FIELDS = ("municipality", "department", "channel", "occurred_at")  # what a row can be rejected for

_DATE = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?\Z")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\Z")


class RowError(InvalidEvent):
    """A row that cannot be counted for a column of its own, said as the file names it (not the event
    contract's rejection of the mapped row, which streams.ingress.komhen.texts.danish says)."""


def _q(value: str) -> str:
    return shown(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class RowMapper:
    """The rows of one file to events; the file-wide facts it needs are given once.

    `id_is_municipality` is asked only for a row whose Kommune names no municipality: answering it
    reads the whole file, which most files never need.
    """

    name: str
    columns: Mapping[str, int]
    content_id: str
    tz: ZoneInfo
    received_at: datetime | None
    retention: timedelta | None
    id_is_municipality: Callable[[], bool]
    delimiter: str = ";"
    codes: CodeTable = field(default_factory=code_table)
    parser: EventParser = field(default_factory=lambda: EventParser(event_contract()))  # the file's

    def row(self, line: int, text: str) -> RowResult:
        try:
            values = split_row(text, self.delimiter)
        except csv.Error as e:  # a field over csv's size limit, NUL bytes and similar
            return RejectedRow(
                self.name, line, Reason.INVALID_FORMAT, f"unreadable line: {e}", f"linjen kan ikke læses: {e}"
            )
        findings: list[RowFinding] = []
        for field_name, index in self.columns.items():  # before anything quotes a value, or a unit becomes a label
            if index >= len(values) or not contains_cpr(values[index]):
                continue
            if field_name in DESCRIPTIVE_COLUMNS:  # the inquiry still counts; the value is never read
                values[index] = ""
                findings.append(RowFinding(DESCRIPTIVE_COLUMNS[field_name], FindingReason.PERSONAL_DATA, ""))
                continue
            title = TITLES[field_name]
            return RejectedRow(
                self.name,
                line,
                Reason.PERSONAL_DATA,
                f"{title} contains a CPR-like number; the row is not imported",
                f"{title} indeholder et CPR-lignende nummer; rækken importeres ikke",
                COUNTING_COLUMNS[field_name],
            )
        try:
            obj = self._event(line, values, findings)
            self.parser.parse(obj, received_at=self.received_at)
        except RowError as e:
            return RejectedRow.of(self.name, line, e)
        except InvalidEvent as e:
            return RejectedRow(self.name, line, e.reason, e.detail, danish(e), e.field)
        return Imported(self.name, line, obj, tuple(findings))

    def _value(self, values: list[str], field_name: str) -> str:
        return column_value(values, self.columns, field_name)

    def _municipality(self, values: list[str]) -> Municipality:
        found = named_municipality(values, self.columns)
        if found is not None:
            return found
        if self.id_is_municipality():
            found = municipality_table().resolve(self._value(values, "id"))
            if found is not None:
                return found
        text = self._value(values, "municipality") or self._value(values, "municipality_number")
        if not text:
            raise RowError(Reason.MISSING_FIELD, "rejected.komhen_no_municipality", "municipality")
        raise RowError(
            Reason.UNKNOWN_CODE,
            "rejected.komhen_municipality",
            "municipality",
            value=_q(text),
            count=str(MUNICIPALITY_COUNT),
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
                "rejected.komhen_unit",
                "department",
                unit=Worded(shown(e.unit), _q(without_municipality_number(unit, municipality))),
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
            raise RowError(Reason.MISSING_FIELD, "rejected.komhen_no_channel", "channel")
        channel_direction = self.codes.by_export_code.get(code)
        if channel_direction is None:
            raise RowError(Reason.UNKNOWN_CODE, "rejected.komhen_channel", "channel", value=_q(code))
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
            code = inquiry_type_code(inquiry_type, self.codes.inquiry_types)
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
                    kept = self.codes.completion_codes[value]  # immediate -> STRAKS
                    findings.append(RowFinding("completion", FindingReason.NORMALISED, completion[:40], kept))
        form = self._value(values, "form")
        if form:
            flag = form_flag(form)
            if flag is None:
                findings.append(RowFinding("form", FindingReason.UNKNOWN_CODE, form[:40]))
            else:
                obj["form"] = flag
                if form.upper() not in ("JA", "NEJ"):
                    findings.append(
                        RowFinding("form", FindingReason.NORMALISED, form[:40], self.codes.form_codes[flag])
                    )
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
            raise RowError(Reason.MISSING_FIELD, "rejected.komhen_no_date", "occurred_at")
        moment = local_datetime(text, self.tz)
        if moment is None:
            raise RowError(Reason.INVALID_FORMAT, "rejected.komhen_date", "occurred_at", value=_q(text))
        if self.received_at is not None and self.retention is not None and self.received_at - moment > self.retention:
            raise RowError(
                Reason.TOO_OLD, "rejected.komhen_too_old", "occurred_at", value=text, days=str(self.retention.days)
            )
        return moment


def local_datetime(text: str, tz: ZoneInfo) -> datetime | None:
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
        moment = local_datetime(text, tz)
        if moment is None:
            match = _TIME.match(text)
            if match is None:
                return None
            hour, minute, second = (int(g or 0) for g in match.groups())
            if hour > 23 or minute > 59 or second > 59:
                return None
            moment = local_datetime(f"{day:%d-%m-%Y} {hour:02}:{minute:02}:{second:02}", tz)
            assert moment is not None
        moments.append(moment)
    # In UTC: two datetimes sharing a tzinfo subtract as wall clocks, which is wrong across DST.
    seconds = (moments[1].astimezone(UTC) - moments[0].astimezone(UTC)).total_seconds()
    if not 0 <= seconds <= MAX_DURATION_S:
        return None
    return int(seconds)
