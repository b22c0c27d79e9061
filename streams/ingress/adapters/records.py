"""Records of a declared format: CSV with its delimiter, encoding and header; a JSON document; JSON lines.

A file (or a request body) becomes SourceRecords in order, and anything unreadable becomes one
RejectedRow with where and why: a line that is not JSON, a CSV line with more fields than the
header, a document that is not JSON at all (line 0: the whole file). For CSV and JSON lines the
number is the line; for a JSON document it is the record's position in its list (1 = the first).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from streams.contract.texts import either
from streams.domain.events.inquiry import InvalidEvent, Reason
from streams.domain.sources.definition import RecordFormat, Records
from streams.ingress.adapters.base import Reader, SourceRecord, value_at
from streams.ingress.komhen.encoding import decoded
from streams.ingress.komhen.results import RejectedRow

_LINE_BREAK = re.compile(r"\r\n|\n|\r")
Item = SourceRecord | RejectedRow


def reader(spec: Records) -> Reader:
    """The function that reads `spec`'s records from a file's bytes."""

    def read(name: str, content: bytes, tz: ZoneInfo) -> Iterator[Item]:
        try:
            text = _decode(content, spec.encoding)
        except UnicodeDecodeError:
            not_text = InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_encoding", encoding=spec.encoding)
            yield RejectedRow.of(name, 0, not_text)
            return
        if spec.format is RecordFormat.CSV:
            yield from _csv(name, text, spec, tz)
        elif spec.format is RecordFormat.NDJSON:
            yield from _lines(name, text, tz)
        else:
            yield from _document(name, text, spec, tz)

    return read


def _decode(content: bytes, encoding: str | None) -> str:
    if encoding is None:
        return decoded(content)
    text = content.decode(encoding)
    return text.removeprefix("\ufeff")  # a byte-order mark is not part of the first field


def _numbered(text: str, ignore: str) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(_LINE_BREAK.split(text), start=1) if line.strip(ignore)]


def _csv(name: str, text: str, spec: Records, tz: ZoneInfo) -> Iterator[Item]:
    lines = _numbered(text, " \t;,")
    if not lines:
        return
    delimiter = spec.delimiter or max(";,\t", key=lines[0][1].count)
    if spec.header:
        header = [h.strip().lower() for h in _split(lines[0][1], delimiter)]
        lines = lines[1:]
    else:
        header = list(spec.columns)
    for number, line in lines:
        values = _split(line, delimiter)
        if any(v.strip() for v in values[len(header) :]):
            fields = {"fields": str(len(values)), "header": str(len(header))}
            yield RejectedRow.of(name, number, InvalidEvent(Reason.INVALID_FORMAT, "rejected.fields", **fields))
            continue
        yield SourceRecord(name, number, {h: v for h, v in zip(header, values, strict=False) if h}, tz)


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter))  # one physical line: a stray quote swallows no more


def _lines(name: str, text: str, tz: ZoneInfo) -> Iterator[Item]:
    for number, line in _numbered(text, " \t"):
        try:
            value = json.loads(line)
        except ValueError as e:
            yield RejectedRow.not_json(name, number, e)
            continue
        except RecursionError:
            yield RejectedRow.of(name, number, InvalidEvent(Reason.MALFORMED_JSON, "rejected.too_deep"))
            continue
        yield _record(name, number, value, tz)


def _record(name: str, number: int, value: Any, tz: ZoneInfo) -> Item:
    if type(value) is not dict:
        return RejectedRow.of(
            name, number, InvalidEvent(Reason.WRONG_TYPE, "rejected.record_not_object", got=type(value).__name__)
        )
    return SourceRecord(name, number, value, tz)


def _document(name: str, text: str, spec: Records, tz: ZoneInfo) -> Iterator[Item]:
    """A JSON document (array, object with the records at a path, one record), or JSON lines after all."""
    if not text.strip():
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and text.lstrip().startswith("{"):
            yield from _lines(name, text, tz)  # one object per line
        else:
            yield RejectedRow.not_json(name, e.lineno, e, english=f"{e.msg} (column {e.colno})")
        return
    except RecursionError:
        yield RejectedRow.of(name, 0, InvalidEvent(Reason.MALFORMED_JSON, "rejected.too_deep"))
        return
    found = _records_in(document, spec)
    if found is None:
        paths = either(".".join(p) for p in spec.path)
        yield RejectedRow.of(name, 0, InvalidEvent(Reason.MISSING_FIELD, "rejected.no_records", paths=paths))
        return
    for position, value in enumerate(found, start=1):
        yield _record(name, position, value, tz)


def _records_in(document: Any, spec: Records) -> list[Any] | None:
    if isinstance(document, list):
        return document
    if not spec.path:
        return [document]
    for path in spec.path:
        value = value_at(document, path)
        if isinstance(value, list):
            return value
        if value is not None:
            return [value]
    return None
