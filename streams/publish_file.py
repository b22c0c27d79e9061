"""`komhen publish FILE`: validate and publish events from JSON, a JSON array or NDJSON.

Each NDJSON line that is a valid event is sent as the bytes it was read as, so a large file
is decoded once (to validate it) and never encoded again.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from streams.config import Settings
from streams.events import Reason
from streams.publisher import Publisher, validate_events

CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class Item:
    where: str  # "line 7" or "item 3", for messages
    value: Any  # the decoded JSON value, or the JSONDecodeError
    text: bytes | None  # the event's JSON text as read, when it stood on a line of its own


def read_items(stream: BinaryIO) -> Iterator[Item]:
    """Every event of a JSON value, a JSON array, or NDJSON."""
    content = stream.read().lstrip()
    if content.startswith(b"["):
        for index, value in enumerate(json.loads(content)):
            yield Item(f"item {index}", value, None)
        return
    for number, line in enumerate(content.splitlines(), start=1):
        text = line.strip()
        if text:
            try:
                yield Item(f"line {number}", json.loads(text), text)
            except json.JSONDecodeError as exc:
                yield Item(f"line {number}", exc, None)


def run_publish(settings: Settings, path: str) -> int:
    """Publish the valid events, list the invalid ones with their reason; 1 if any was rejected."""
    published = rejected = 0
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    with stream, Publisher(settings) as publisher:
        items = list(read_items(stream))
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            readable = [i for i in chunk if not isinstance(i.value, json.JSONDecodeError)]
            for item in chunk:
                if isinstance(item.value, json.JSONDecodeError):
                    print(
                        f"{path}: {item.where}: rejected ({Reason.MALFORMED_JSON.value}): {item.value}", file=sys.stderr
                    )
                    rejected += 1
            valid, errors = validate_events([i.value for i in readable], settings)
            for index, error in errors:
                print(
                    f"{path}: {readable[index].where}: rejected ({error.reason.value}): {error.detail}", file=sys.stderr
                )
            bad = {index for index, _ in errors}
            texts = [i.text for n, i in enumerate(readable) if n not in bad and i.text is not None]
            publisher.send_valid(valid, texts if len(texts) == len(valid) else None)
            published += len(valid)
            rejected += len(errors)
    print(f"published {published} events to {settings.topic}, rejected {rejected}")
    return 1 if rejected else 0
