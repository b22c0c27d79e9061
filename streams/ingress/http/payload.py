"""A request body read as events: JSON, a JSON array or NDJSON decoded, then judged as the SDK judges events.

A module of its own because it is pure: bytes and a media type in, event objects and per-index
errors out, with no request, token or broker, so the decoder can be tested on its own inputs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from streams.contract import identifiers
from streams.documents.settings import Settings
from streams.domain.events.inquiry import EventParser, Reason
from streams.domain.events.messages import MAX_BATCH_EVENTS, TOO_DEEP
from streams.domain.events.privacy import redact, shown
from streams.domain.organisation.source_registry import SourceRegistry
from streams.ingress.publisher import check_events

MAX_EVENTS = MAX_BATCH_EVENTS


@dataclass(frozen=True, slots=True)
class EventError:
    """Why the event at `index` (0-based position in the request) was not accepted."""

    index: int
    reason: str
    field: str | None
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "reason": self.reason, "field": self.field, "detail": self.detail}


class BadRequest(Exception):
    """A request body that cannot be read as events; answered with `status` and the message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


_NOT_JSON = object()  # an NDJSON line that is not JSON: rejected as malformed_json at its index


def decode_body(body: bytes, content_type: str) -> list[Any]:
    """Decoded JSON values of a JSON event, a JSON array or NDJSON; the media type decides, else the content."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest(400, "the body is not UTF-8 text") from None
    stripped = text.lstrip()
    if not stripped:
        raise BadRequest(400, "the body holds no events")
    if content_type == "application/x-ndjson":
        return _ndjson(text)
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        if content_type != "application/json" and stripped.startswith("{"):
            return _ndjson(text)  # sniffed: one object per line (a line nested too deeply is rejected alone)
        if isinstance(exc, RecursionError):
            raise BadRequest(400, f"the body is {TOO_DEEP}: send one event, an array, or NDJSON") from None
        raise BadRequest(
            400,
            f"the body is not valid JSON (line {exc.lineno}, column {exc.colno}): send one event, an array, "
            "or NDJSON with Content-Type application/x-ndjson",
        ) from None
    items = value if isinstance(value, list) else [value]
    if not items:
        raise BadRequest(400, "the body holds no events")
    _check_count(len(items))
    return items


def _ndjson(text: str) -> list[Any]:
    lines = [line for line in text.splitlines() if line.strip()]
    _check_count(len(lines))
    items: list[Any] = []
    for line in lines:
        try:
            items.append(json.loads(line))
        except (json.JSONDecodeError, RecursionError):
            items.append(_NOT_JSON)
    return items


def _check_count(n: int) -> None:
    if n > MAX_EVENTS:
        raise BadRequest(413, f"the body holds {n} events, at most {MAX_EVENTS} are allowed per request")


def validate_with_warnings(
    items: list[Any], settings: Settings, parser: EventParser
) -> tuple[list[dict[str, Any]], list[EventError], list[EventError]]:
    """Split items into valid event objects and errors, as the SDK judges them (lines that were not JSON too),
    and warnings: descriptive values of accepted events normalised or left out (reason = what)."""
    errors = [
        EventError(i, Reason.MALFORMED_JSON.value, None, "this line is not valid JSON")
        for i, item in enumerate(items)
        if item is _NOT_JSON
    ]
    readable = [(i, item) for i, item in enumerate(items) if item is not _NOT_JSON]
    checked = check_events([item for _, item in readable], settings, parser)
    errors += [EventError(readable[i][0], e.reason.value, e.field, redact(e.detail)) for i, e in checked.rejected]
    warnings = [EventError(readable[i][0], f.reason.value, f.field, redact(f.detail)) for i, f in checked.warnings]
    return checked.valid, sorted(errors, key=lambda e: e.index), warnings


def forbidden(items: Iterable[Any], source: str, registry: SourceRegistry) -> list[EventError]:
    """The events a token of `source` may not publish: another source's, or another municipality's
    (`source_not_allowed`, one sentence each). A source or municipality that is no id at all is left to
    validation, which rejects it."""
    errors = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        named, municipality = item.get("source"), item.get("municipality")
        if isinstance(named, str) and named != source:
            detail = f"the token of source {source!r} cannot publish events of source {shown(named)}"
            errors.append(EventError(i, Reason.SOURCE_NOT_ALLOWED.value, "source", redact(detail)))
        elif (
            isinstance(municipality, str)
            and identifiers.MUNICIPALITY.match(municipality)
            and (refusal := registry.refusal(source, municipality)) is not None
        ):
            errors.append(EventError(i, Reason.SOURCE_NOT_ALLOWED.value, "municipality", refusal))
    return errors
