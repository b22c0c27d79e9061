"""Asterisk call detail records (cdr_csv's Master.csv, cdr_custom): one inquiry per call however many legs.

Reading. cdr_csv writes no header and a fixed column order: accountcode, src, dst, dcontext, clid,
channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition,
amaflags; then, as cdr.conf says, uniqueid (`loguniqueid`), userfield (`loguserfield`) and
peeraccount, linkedid, sequence (`newcdrcolumns`, Asterisk 12+). The columns are counted: 16 to
21 (17 or 20: the 17th is a uniqueid if it looks like one, `1763280131.42`, else a userfield).
cdr_custom writes what its template says, so the mapping's `asterisk.columns` names the order
(CDR variable names, `-` for a column to pass by). Times are local without a zone (the mapping's
`asterisk.time_zone`, else KOMHEN_TIMEZONE; summer time as it was that day), or Unix seconds.
`src`, `clid`, `dst` and `userfield` are never read: they hold the caller's number and name.

A call. Its rows share `linkedid` (ring groups, queue attempts, transfers), else `uniqueid` (the
rows of one calling channel), else `channel`. Rows are grouped within one file; a call is complete
once 10,000 lines have passed since its last row (Asterisk writes a call's rows together when it
ends), which keeps memory flat on a year's Master.csv. Rows of one call split over two files make
two parts with the same event id, so the worker counts the call once (the first part read).

What a call becomes (the mapping's `asterisk` section names the dial contexts):
- direction: in if any row's `dcontext` is one of `inbound_contexts` (calls from the public
  network, e.g. FreePBX's from-pstn, from-trunk) or a row's calling `channel` is one of the named
  `trunks`; else out if any is one of `outbound_contexts` (e.g. from-internal) and, when `trunks`
  are named, a row reached one of them; else internal: skipped (`internal_call`);
- answered: a row ANSWERED with a `dstchannel` (someone was connected; the PBX answering its own
  menu or queue music has none), or a `VoiceMail` row: a `phone` inquiry. An incoming call never
  answered is the `call_abandoned` service event; an outgoing one is skipped
  (`outgoing_call_not_answered`);
- the unit: the queue (`Queue` rows' first argument, the last queue first), the extension that
  answered, an extension that rang, the accountcode; for an outgoing call the calling extension
  and the accountcode: the first the mapping names, else `unknown` with a note naming the key;
- the time: the first row's `start`; the duration: to the last row's `end`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, BinaryIO, NamedTuple
from zoneinfo import ZoneInfo

from streams.contract.texts import text as said
from streams.documents.source_mappings import MappingError
from streams.domain.counting.windows import local_moment
from streams.domain.events.inquiry import InvalidEvent, Reason
from streams.domain.events.privacy import shown
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.base import Adapter, Mapped, Skip, SourceRecord
from streams.ingress.adapters.native import hashed_id, names, phone_call, section, time_zone
from streams.ingress.komhen.results import RejectedRow

SOURCE = "asterisk"
SECTION = "asterisk"
CSV_COLUMNS = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
)
NEW_COLUMNS = ("peeraccount", "linkedid", "sequence")
# What is read of a row; src, clid, dst and userfield never are.
READ = (
    "accountcode",
    "dcontext",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "disposition",
    "uniqueid",
    "linkedid",
)
WINDOW = 10_000  # lines after a call's last row when it is taken as complete
_UNIQUEID = re.compile(r"(?:[^,]+-)?[0-9]{9,}\.[0-9]+\Z")
_EPOCH = re.compile(r"[0-9]{9,11}(?:\.[0-9]+)?\Z")
_HEX = frozenset("0123456789abcdefABCDEF")


@dataclass(frozen=True)
class AsteriskOptions:
    """The mapping's `asterisk` section: which dial contexts meet the public network, and the file's shape."""

    inbound_contexts: frozenset[str]
    outbound_contexts: frozenset[str]
    trunks: frozenset[str] = frozenset()
    columns: tuple[str, ...] | None = None  # cdr_custom's template order; None: cdr_csv, columns counted
    tz: ZoneInfo | None = None


def read_options(file: str, raw: Any) -> AsteriskOptions:
    """Read the `asterisk` section of a mapping file; raise MappingError naming the key."""
    s = section(file, SECTION, raw, ("inbound_contexts", "outbound_contexts", "trunks", "columns", "time_zone"))
    inbound = names(file, "asterisk.inbound_contexts", s.get("inbound_contexts"))
    outbound = names(file, "asterisk.outbound_contexts", s.get("outbound_contexts"))
    if not inbound and not outbound:
        raise MappingError(f"{file}: asterisk: {said('asterisk.contexts')}")
    columns = names(file, "asterisk.columns", s.get("columns")) or None
    if columns is not None:
        missing = [c for c in ("start", "dcontext", "disposition") if c not in columns]
        if missing:
            raise MappingError(f"{file}: " + said("asterisk.columns", missing=", ".join(missing)))
        if not {"linkedid", "uniqueid", "channel"} & set(columns):
            raise MappingError(f"{file}: {said('asterisk.call_columns')}")
    return AsteriskOptions(
        frozenset(c.casefold() for c in inbound),
        frozenset(c.casefold() for c in outbound),
        frozenset(t.casefold() for t in names(file, "asterisk.trunks", s.get("trunks"))),
        columns,
        time_zone(file, "asterisk.time_zone", s.get("time_zone")),
    )


class _Leg(NamedTuple):
    line: int
    values: dict[str, str]
    start: datetime
    end: datetime | None
    call: str  # what tells its call: linkedid, else uniqueid, else channel


def device(channel: str) -> str:
    """The device of a channel name: the extension or trunk, without technology and sequence.

    >>> device("PJSIP/4711-0000000a"), device("SIP/telia-00000001"), device("Local/4711@from-queue-0000001c;1")
    ('4711', 'telia', '4711')
    """
    _, slash, rest = channel.strip().partition("/")
    if not slash:
        return ""
    rest = rest.split(";", 1)[0]
    if "@" in rest:
        return rest.split("@", 1)[0]
    name, dash, sequence = rest.rpartition("-")
    return name if dash and sequence and _HEX.issuperset(sequence) else rest


def read_calls(name: str, stream: BinaryIO, mapping: SourceMapping) -> Iterator[SourceRecord | RejectedRow]:
    """Every call of one file as a record of its facts, and every unreadable line as a rejection."""
    options: AsteriskOptions = mapping.options.get(SECTION) or read_options(mapping.file, None)
    tz = options.tz or mapping.tz
    open_calls: dict[str, list[_Leg]] = {}
    for count, item in enumerate(_legs(name, stream, options, tz), start=1):
        if isinstance(item, RejectedRow):
            yield item
            continue
        open_calls.setdefault(item.call, []).append(item)
        if count % 1000 == 0:  # now and then, hand on the calls that are complete
            done = [call for call, legs in open_calls.items() if legs[-1].line < item.line - WINDOW]
            for call in done:
                yield _call(name, open_calls.pop(call), options, tz)
    for legs in open_calls.values():
        yield _call(name, legs, options, tz)


def _legs(name: str, stream: BinaryIO, options: AsteriskOptions, tz: ZoneInfo) -> Iterator[_Leg | RejectedRow]:
    for number, raw in enumerate(stream, start=1):
        text = _decode(raw, first=number == 1).rstrip("\r\n")
        if text.strip(" \t,"):
            yield _leg(name, number, text, options, tz)


def _decode(raw: bytes, *, first: bool) -> str:
    """UTF-8 (a BOM on the first line dropped), else Latin-1: per line, so a file is read as a stream."""
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _leg(name: str, number: int, text: str, options: AsteriskOptions, tz: ZoneInfo) -> _Leg | RejectedRow:
    try:
        fields = next(csv.reader([text]))
    except csv.Error as e:
        return RejectedRow.of(name, number, InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_csv_line", error=str(e)))
    columns = options.columns or _csv_columns(fields)
    if columns is None:
        return RejectedRow.of(
            name, number, InvalidEvent(Reason.INVALID_FORMAT, "rejected.cdr_fields", fields=str(len(fields)))
        )
    if len(fields) != len(columns):
        counts = {"fields": str(len(fields)), "columns": str(len(columns))}
        return RejectedRow.of(name, number, InvalidEvent(Reason.INVALID_FORMAT, "rejected.cdr_columns", **counts))
    row = dict(zip(columns, fields, strict=True))
    values = {k: row.get(k, "").strip() for k in READ}
    start = _moment(row.get("start", ""), tz)
    if start is None:
        start_text = shown(row.get("start", ""))
        return RejectedRow.of(
            name, number, InvalidEvent(Reason.INVALID_FORMAT, "rejected.cdr_start", "start", value=start_text)
        )
    call = values["linkedid"] or values["uniqueid"] or values["channel"]
    if not call:
        return RejectedRow.of(name, number, InvalidEvent(Reason.MISSING_FIELD, "rejected.cdr_call"))
    if not (values["linkedid"] or values["uniqueid"]):
        call = f"{call}@{start.isoformat()}"  # a channel name is unique only while Asterisk runs
    return _Leg(number, values, start, _moment(row.get("end", ""), tz), call)


def _csv_columns(fields: list[str]) -> tuple[str, ...] | None:
    """cdr_csv's columns for a line of this many fields (cdr.conf decides which optional ones are written)."""
    extra = len(fields) - len(CSV_COLUMNS)
    looks_unique = len(fields) > len(CSV_COLUMNS) and _UNIQUEID.match(fields[len(CSV_COLUMNS)].strip()) is not None
    optional = {
        0: (),
        1: ("uniqueid",) if looks_unique else ("userfield",),
        2: ("uniqueid", "userfield"),
        3: NEW_COLUMNS,
        4: (("uniqueid",) if looks_unique else ("userfield",)) + NEW_COLUMNS,
        5: ("uniqueid", "userfield", *NEW_COLUMNS),
    }.get(extra)
    return None if optional is None else CSV_COLUMNS + optional


def _moment(text: str, tz: ZoneInfo) -> datetime | None:
    """`2026-11-16 08:02:11` as local time, one with an offset as it says, or Unix seconds; None if neither."""
    text = text.strip()
    if not text:
        return None
    try:
        if _EPOCH.match(text):
            return datetime.fromtimestamp(float(text), UTC).astimezone(tz)
        value = datetime.fromisoformat(text)
        return local_moment(value, tz) if value.tzinfo is None else value
    except (ValueError, OverflowError, OSError):
        return None


def _call(file: str, legs: list[_Leg], options: AsteriskOptions, tz: ZoneInfo) -> SourceRecord:
    """The facts of one call from its rows: direction, outcome, unit keys, first start and last end."""
    rows = [leg.values for leg in legs]
    contexts = {r["dcontext"].casefold() for r in rows}
    from_trunk = any(device(r["channel"]).casefold() in options.trunks for r in rows)
    reached_trunk = any(device(r["dstchannel"]).casefold() in options.trunks for r in rows)
    if contexts & options.inbound_contexts or from_trunk:
        direction = "in"
    elif contexts & options.outbound_contexts and (reached_trunk or not options.trunks):
        direction = "out"
    else:
        direction = "internal"
    answered = [r for r in rows if r["disposition"].upper() == "ANSWERED" and r["dstchannel"]]
    if answered:
        outcome = "answered"
    elif any(r["lastapp"].casefold() == "voicemail" for r in rows):
        outcome = "voicemail"
    else:
        outcome = "unanswered"
    ends = [leg.end for leg in legs if leg.end is not None]
    values: dict[str, Any] = {
        "call": legs[0].call,
        "direction": direction,
        "outcome": outcome,
        "start": min(leg.start for leg in legs).isoformat(),
        "end": max(ends).isoformat() if ends else None,
        "keys": _keys(rows, answered, direction, options),
    }
    return SourceRecord(file, legs[0].line, values, tz)


def _keys(
    rows: list[dict[str, str]], answered: list[dict[str, str]], direction: str, options: AsteriskOptions
) -> tuple[str, ...]:
    """Where the call's unit can be read, most telling first; never a phone number."""

    def extensions(of: list[dict[str, str]], field: str) -> list[str]:
        found = [device(r[field]) for r in of]
        return [d for d in found if d and d.casefold() not in options.trunks]

    accountcodes = [r["accountcode"] for r in rows if r["accountcode"]]
    if direction == "out":
        return (*extensions(rows, "channel"), *accountcodes)
    queues = [re.split(r"[,|]", r["lastdata"])[0] for r in rows if r["lastapp"].casefold() == "queue"]
    return (
        *reversed(queues),
        *reversed(extensions(answered, "dstchannel")),
        *extensions(rows, "dstchannel"),
        *accountcodes,
    )


def map_call(record: SourceRecord, mapping: SourceMapping) -> Mapped:
    """One call to a phone inquiry, a `call_abandoned` service event, or a skip (internal, unanswered out)."""
    direction = record.required("direction")
    outcome = record.required("outcome")
    if direction == "internal":
        return Skip("internal_call")
    if direction == "out" and outcome == "unanswered":
        return Skip("outgoing_call_not_answered")
    event_id = hashed_id(SOURCE, record.required("call"))
    duration = record.duration("start", "end") if outcome == "answered" else None
    return phone_call(record, mapping, SOURCE, event_id, direction, outcome != "unanswered", duration)


ADAPTER = Adapter(
    SOURCE,
    map_call,
    stream_reader=read_calls,
    sections=MappingProxyType({SECTION: read_options}),
    skip_reasons_da=MappingProxyType(
        {
            "internal_call": "internt opkald, ingen part uden for kommunen",
            "outgoing_call_not_answered": "udgående opkald, ikke besvaret",
        }
    ),
)
