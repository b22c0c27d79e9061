"""What many tests share: where the repository's files are, the time zone, and one event factory."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from streams.documents.reference import event_contract
from streams.domain.events.inquiry import EventParser, InquiryEvent

REPO_ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
TEST_DATA = REPO_ROOT / "tests" / "data"  # files tests read: documents, exports, golden outputs
SCHEMAS = REPO_ROOT / "schemas"
SAMPLES = SCHEMAS / "samples"
TZ = ZoneInfo("Europe/Copenhagen")

DEFAULTS: dict[str, Any] = {
    "schema_version": 1,
    "source": "telephony",
    "occurred_at": "2026-11-20T09:15:00+01:00",
    "municipality": "183",
    "department": "borgerservice",
    "channel": "phone",
    "direction": "in",
}


def event_json(event_id: str = "e-1", /, **fields: Any) -> dict[str, Any]:
    """An inquiry event as schema v1 JSON: an incoming call at Ishøj's borgerservice unless `fields` say
    otherwise. A field given as None is left out; a datetime is written in ISO 8601.

    >>> event_json("e-7", channel="email", kle="23.05.10", direction=None)["channel"]
    'email'
    """
    merged = {**DEFAULTS, "event_id": event_id, **fields}
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in merged.items() if v is not None}


def parser() -> EventParser:
    """A new parser of the shipped event contract (one per test: it remembers the values it proved valid)."""
    return EventParser(event_contract())


def parse_event(obj: Any, **options: Any) -> InquiryEvent:
    """One event validated by a new parser of the shipped contract, which remembers nothing between calls."""
    return EventParser(event_contract()).parse(obj, **options)


def inquiry(event_id: str = "e-1", /, **fields: Any) -> InquiryEvent:
    """The typed, validated event of `event_json`."""
    return parse_event(event_json(event_id, **fields))


def free_port() -> int:
    """A loopback port nothing listens on (for a broker, a worker or a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
