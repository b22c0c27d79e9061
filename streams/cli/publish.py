"""`komhen publish FILE`: validate and publish events from JSON, a JSON array or NDJSON.

Each NDJSON line that is a valid event is sent as the bytes it was read as, so a large file
is decoded once (to validate it) and never encoded again; a file in UTF-16 (Excel's and Notepad's
"Unicode") is converted to UTF-8, JSON's encoding, once before. The file is decoded, validated and
sent chunk by chunk without waiting in between, so workers count the first chunk while the
next is validated; the command returns once Kafka acknowledged everything.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from streams.cli.common import add_topic, input_file, require_kafka
from streams.contract.errors import UnusableInput
from streams.contract.texts import language, text
from streams.documents.settings import Settings
from streams.domain.events.inquiry import Reason
from streams.domain.events.privacy import redact
from streams.domain.events.recent import days_to_yesterday, moved, occurred
from streams.ingress.komhen.encoding import detect_encoding, not_text
from streams.ingress.komhen.texts import reason_da
from streams.ingress.publisher import VALIDATE_CHUNK, Publisher, PublishError, check_events


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "publish",
        help=text("help.publish"),
        description=text("help.publish.about"),
    )
    parser.add_argument("file", nargs="?", type=Path, default=Path("-"), help=text("help.publish.file"))
    parser.add_argument(
        "--shift-to-today",
        action="store_true",
        help=text("help.publish.shift_to_today"),
    )
    add_topic(parser)
    parser.set_defaults(run=run)


class Unreadable(ValueError):
    """A line that is not UTF-8 JSON."""


@dataclass(frozen=True, slots=True)
class Item:
    where: str  # "line 7" or "item 3", for messages
    value: Any  # the decoded JSON value, or Unreadable
    text: bytes | None  # the event's JSON text as read, when it stood on a line of its own


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))  # str, not bytes: json's encoding detection costs more than the parse
    except UnicodeDecodeError as exc:
        return Unreadable(text("publish.not_utf8", byte=f"0x{raw[exc.start]:02x}", position=str(exc.start + 1)))
    except json.JSONDecodeError as exc:
        return Unreadable(_not_json(raw, exc))
    except RecursionError:
        return Unreadable(text("rejected.too_deep"))


def _not_json(raw: bytes, exc: json.JSONDecodeError) -> str:
    """Where a line (or the whole file) stops being JSON, and what to do: not the parser's English sentence."""
    if b"\n" in raw:
        where = text("doc.at", line=str(exc.lineno), column=str(exc.colno))
    else:
        where = text("publish.in_line", position=str(exc.colno))
    return text("publish.not_json", where=where)


def as_utf8(content: bytes, name: str) -> bytes:
    """The file's bytes in JSON's encoding, UTF-8: a file in UTF-16 (a BOM or its zero bytes: Excel's
    "Unicode text", Windows' Notepad) or with a UTF-8 BOM is converted once; bytes that are not UTF-8
    as a whole are left for each line to say where (streams.ingress.komhen.encoding tells which)."""
    kind = not_text(content)
    if kind is not None:
        raise UnusableInput(text("file.not_text", path=name, kind=text(kind)))
    encoding = detect_encoding(content)
    if encoding in ("utf-8", "latin-1"):
        return content
    return content.decode(encoding).encode("utf-8")


def read_items(stream: BinaryIO, name: str = "-") -> Iterator[Item]:
    """Every event of a JSON value (an array of events, or one event, even pretty-printed) or of
    NDJSON, decoded lazily line by line; `name` names the file in a line saying it is no text."""
    content = as_utf8(stream.read(), name).strip()
    whole = _decode(content)  # NDJSON fails at its second line, so this costs one line's parse
    if not isinstance(whole, Unreadable):
        for index, value in enumerate(whole if isinstance(whole, list) else [whole]):
            yield Item(text("publish.item", n=str(index)), value, None)
        return
    if content.startswith(b"["):
        yield Item(text("publish.array"), whole, None)
        return
    for number, line in enumerate(content.splitlines(), start=1):
        event_text = line.strip()
        if event_text:
            value = _decode(event_text)
            yield Item(
                text("publish.line", n=str(number)), value, None if isinstance(value, Unreadable) else event_text
            )


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Publish the valid events, list the invalid ones with their reason; 1 if any was rejected,
    3 if Kafka did not confirm them (publishing the file again is safe: events are counted once)."""
    path = str(input_file(args.file, stdin=True))
    try:
        return _publish(require_kafka(settings), path, args.shift_to_today)
    except PublishError as exc:
        raise PublishError(text("kafka.unconfirmed_publish", error=exc, path=path)) from None


def _reject(path: str, item: Item, reason: Reason, detail: str) -> None:
    said = reason_da(reason) if language() == "da" else reason.value
    print(text("publish.rejected", path=path, where=item.where, reason=said, detail=detail), file=sys.stderr)


def _shifted(items: Iterator[Item], tz: ZoneInfo) -> tuple[Iterator[Item], int | None]:
    """Every item with its date moved so the newest event falls on yesterday, and the days moved."""
    everything = list(items)  # the newest date first: the whole file is read before anything is sent
    days = days_to_yesterday((i.value for i in everything), datetime.now(tz).date(), tz)
    if not days:
        return iter(everything), days
    return iter(Item(i.where, moved(i.value, days, tz), None) for i in everything), days


def _publish(settings: Settings, path: str, shift: bool = False) -> int:
    published = rejected = warned = 0
    newest: date | None = None
    days: int | None = None
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    with stream, Publisher(settings) as publisher:
        items = read_items(stream, path)
        if shift:
            items, days = _shifted(items, settings.tz)
        pending = []
        while chunk := list(islice(items, VALIDATE_CHUNK)):
            readable = [i for i in chunk if not isinstance(i.value, Unreadable)]
            checked = check_events([i.value for i in readable], settings, publisher.parser)
            valid = checked.valid
            invalid = {id(readable[index]): error for index, error in checked.rejected}
            findings: dict[int, list[str]] = {}
            for index, finding in checked.warnings:
                findings.setdefault(id(readable[index]), []).append(f"{finding.reason.value}: {finding.said()}")
            for item in chunk:  # rejections and warnings in line order
                if isinstance(item.value, Unreadable):
                    _reject(path, item, Reason.MALFORMED_JSON, str(item.value))
                elif (error := invalid.get(id(item))) is not None:
                    _reject(path, item, error.reason, error.said())
                for finding_text in findings.get(id(item), []):
                    print(
                        text("publish.warning", path=path, where=item.where, detail=redact(finding_text)),
                        file=sys.stderr,
                    )
            warned += len(checked.warnings)
            texts = [i.text for i in readable if id(i) not in invalid and i.text is not None]
            pending += publisher.send(valid, texts if len(texts) == len(valid) else None)
            newest = max((d for d in (newest, *(_day(e, settings.tz) for e in valid)) if d is not None), default=None)
            published += len(valid)
            rejected += len(chunk) - len(valid)
        publisher.confirm(pending)
    line = text("publish.summary", n=published, topic=settings.topic, rejected=rejected)
    print(f"{line}, {text('publish.findings', warned=warned)}" if warned else line)
    if days is not None and newest is not None:
        print(_moved_line(days, newest))
    elif published and newest is not None and settings.clock == "wall":
        _say_if_old(newest, datetime.now(settings.tz).date())
    return 1 if rejected else 0


def _day(event: dict[str, Any], tz: ZoneInfo) -> date | None:
    moment = occurred(event, tz)
    return None if moment is None else moment.date()


def _moved_line(days: int, newest: date) -> str:
    """What --shift-to-today did, in one line."""
    if not days:
        return text("publish.dates_kept", newest=newest)
    return text(
        "publish.dates_moved_forward" if days > 0 else "publish.dates_moved_back", days=abs(days), newest=newest
    )


def _say_if_old(newest: date, today: date) -> None:
    """A file whose every event lies before the last 7 days: say where they show, and how to try a sample today."""
    if (today - newest).days < 7:
        return
    print(text("publish.old", newest=newest), file=sys.stderr)
