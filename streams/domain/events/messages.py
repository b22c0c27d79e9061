"""Kafka messages on the input topic: one event, or a batch of one municipality's events.

Events are inquiry events, or service events (abandoned calls, self-service attempts) that
travel with them under the same key so a department's measures meet its inquiries.

A message is either an event object (schemas/inquiry-event.v1.json) or a batch envelope
(schemas/inquiry-batch.v1.json); its key is the municipality's number and every event in it
must belong to that municipality, so all of a municipality's events, its duplicates and its
corrections (another department or day for the same inquiry) meet in one partition. The
earlier key '<municipality>/<department>' is still accepted for events of that department.

With a sources registry, an event whose source may not write for its municipality is rejected
(`source_not_allowed`) like any invalid event: it is never counted, so it claims no identity and
names no department, whichever way it reached the topic.

Decoding never raises: each bad event becomes a Rejection with a reason, and an input that
breaks the decoder itself (JSON nested too deeply for the parser, or any error nobody
foresaw) becomes one too, so no message can stop a partition.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from typing import Any

from streams.contract.texts import text_in
from streams.domain.events.descriptive import Finding
from streams.domain.events.inquiry import (
    MAX_FUTURE,
    EventParser,
    InquiryEvent,
    InvalidEvent,
    Reason,
    key_fits,
    message_key,
)
from streams.domain.events.privacy import redact, redact_bytes, shown, truncated
from streams.domain.events.service import ServiceEvent, parse_service_event
from streams.domain.organisation.source_registry import SourceRegistry

MAX_MESSAGE_BYTES = 1_000_000
MAX_BATCH_EVENTS = 10_000
DEAD_LETTER_PAYLOAD_LIMIT = 64_000


@dataclass(frozen=True, slots=True)
class InputRecord:
    """A record of the input topic: the parts of a Kafka record the pipeline uses."""

    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None
    log_append: bool = False  # the broker stamped timestamp_ms (LogAppendTime), not the producer


@dataclass(frozen=True, slots=True)
class Rejection:
    """An event (or a whole message) that was not counted, and why."""

    reason: Reason
    detail: str
    field: str | None
    index: int | None  # position in a batch message
    source: str | None  # the event's source, when it could be read
    payload: str  # the rejected input, CPR-like numbers redacted, truncated
    payload_truncated: bool = False

    def to_dead_letter(self, **context: Any) -> dict[str, Any]:
        """The dead-letter record: reason, where it came from, and the input; every text redacted."""
        letter = {
            "reason": self.reason.value,
            "detail": self.detail,
            "field": self.field,
            "index": self.index,
            "source": None if self.source is None else truncated(self.source, 64),
            **context,
            "payload": self.payload,
            "payload_truncated": self.payload_truncated,
        }
        return {k: redact(v) if isinstance(v, str) else v for k, v in letter.items()}

    @classmethod
    def of(
        cls, reason: Reason, detail: str, field: str | None, index: int | None, source: str | None, text: str
    ) -> Rejection:
        """A rejection whose payload is `text`, redacted (escapes read) and truncated for the dead letter."""
        payload = truncated(text, DEAD_LETTER_PAYLOAD_LIMIT)
        return cls(reason, detail, field, index, source, payload, len(text) > DEAD_LETTER_PAYLOAD_LIMIT)


def encode_dead_letter(letter: dict[str, Any]) -> bytes:
    """The dead letter as UTF-8 JSON; text that is no valid Unicode (a lone surrogate from a JSON escape)
    is written as U+FFFD rather than failing the write."""
    return json.dumps(letter, ensure_ascii=False).encode("utf-8", errors="replace")


def dead_letter_key(key: bytes | None) -> bytes | None:
    """The key of a dead letter: the input record's key, redacted (a department can hold a CPR number)."""
    return redact_bytes(key)


def dead_letter_id(topic: str, partition: int, offset: int, sequence: int) -> str:
    """The identity of a dead letter: the input record it came from and its place among that record's
    rejections. Processing a record again (after a crash) writes the same ids, so consumers can tell."""
    return f"{topic}/{partition}/{offset}/{sequence}"


@dataclass(frozen=True, slots=True)
class Decoded:
    events: list[InquiryEvent]
    rejected: list[Rejection]
    service: list[ServiceEvent]
    findings: list[tuple[str, Finding]] = dataclass_field(default_factory=list)  # (source, finding) of counted events


def parse_item(
    obj: Any,
    *,
    parser: EventParser,
    received_at: datetime,
    retention: timedelta | None,
    findings: list[Finding] | None = None,
) -> InquiryEvent | ServiceEvent:
    """An inquiry event, or a service event (schemas/service-event.v1.json): only those have `kind`.

    An inquiry's implausible descriptive values are appended to `findings` (see EventParser.parse).
    """
    if isinstance(obj, dict) and "kind" in obj:
        service = parse_service_event(obj, parser)
        if service.occurred_at - received_at > MAX_FUTURE:
            raise InvalidEvent(Reason.FUTURE_TIMESTAMP, "rejected.service_future", "occurred_at")
        if retention is not None and received_at - service.occurred_at > retention:
            raise InvalidEvent(Reason.TOO_OLD, "rejected.service_too_old", "occurred_at", days=str(retention.days))
        return service
    return parser.parse(obj, received_at=received_at, retention=retention, findings=findings)


def _source_of(obj: Any) -> str | None:
    source = obj.get("source") if isinstance(obj, dict) else None
    return source if isinstance(source, str) else None


def _whole_message(reason: Reason, detail: str, value: bytes) -> Decoded:
    text = value[: DEAD_LETTER_PAYLOAD_LIMIT + 256].decode("utf-8", errors="replace")
    return Decoded([], [Rejection.of(reason, detail, None, None, None, text)], [])


TOO_DEEP = text_in("en", "rejected.too_deep")  # the dead letter's detail; a person reads text("rejected.too_deep")


def unprocessable(exc: BaseException) -> InvalidEvent:
    """An UNPROCESSABLE rejection: it names the error's type, never its text (which may quote input)."""
    return InvalidEvent(Reason.UNPROCESSABLE, "rejected.unprocessable", error=type(exc).__name__)


def unprocessable_message(value: bytes | None, exc: BaseException) -> Decoded:
    """A whole record that could not be processed, as one rejection."""
    return _whole_message(Reason.UNPROCESSABLE, unprocessable(exc).detail, value or b"")


def _item_text(item: Any, value: bytes) -> str:
    """The rejected input for the dead letter: the event re-encoded from what was decoded (so no JSON
    escape hides a digit), or the message as it came when that fails."""
    try:
        return json.dumps(item, ensure_ascii=False)
    except (RecursionError, ValueError, TypeError):
        return value[: DEAD_LETTER_PAYLOAD_LIMIT + 256].decode("utf-8", errors="replace")


def decode_message(
    value: bytes | None,
    key: bytes | None,
    *,
    parser: EventParser,
    received_at: datetime,
    retention: timedelta | None,
    max_bytes: int = MAX_MESSAGE_BYTES,
    registry: SourceRegistry | None = None,
) -> Decoded:
    """Split a Kafka record into valid events and rejections by the parser's contract and, if given, the
    sources registry (None: every source for every municipality); never raises."""
    try:
        return _decode(
            value,
            key,
            parser=parser,
            received_at=received_at,
            retention=retention,
            max_bytes=max_bytes,
            registry=registry,
        )
    except Exception as exc:  # a bug or an input nobody foresaw: dead-lettered, never a stuck partition
        return unprocessable_message(value, exc)


def _decode(
    value: bytes | None,
    key: bytes | None,
    *,
    parser: EventParser,
    received_at: datetime,
    retention: timedelta | None,
    max_bytes: int,
    registry: SourceRegistry | None,
) -> Decoded:
    if value is None:
        return _whole_message(Reason.MALFORMED_JSON, "message has no value", b"")
    if len(value) > max_bytes:
        return _whole_message(
            Reason.TOO_LARGE,
            f"message is {len(value)} bytes, at most {max_bytes} allowed",
            value[: DEAD_LETTER_PAYLOAD_LIMIT + 256],
        )
    try:
        obj = json.loads(value)
    except (UnicodeDecodeError, ValueError) as exc:
        return _whole_message(Reason.MALFORMED_JSON, f"not valid UTF-8 JSON: {exc}", value)
    except RecursionError:
        return _whole_message(Reason.MALFORMED_JSON, TOO_DEEP, value)
    if isinstance(obj, dict) and "events" in obj:
        items, envelope_error = _batch_items(obj)
        if envelope_error is not None:
            return _whole_message(envelope_error.reason, envelope_error.detail, value)
        batch = True
    else:
        items, batch = [obj], False
    expected_key = key.decode("utf-8", errors="replace") if key is not None else None
    events: list[InquiryEvent] = []
    service: list[ServiceEvent] = []
    rejected: list[Rejection] = []
    findings: list[tuple[str, Finding]] = []
    found: list[Finding] = []  # of the item being parsed; the parser adds only for an accepted event
    for index, item in enumerate(items):
        try:
            event = parse_item(item, parser=parser, received_at=received_at, retention=retention, findings=found)
            if not key_fits(expected_key, event.municipality, event.department):
                raise InvalidEvent(
                    Reason.KEY_MISMATCH,
                    "rejected.key",
                    "municipality",
                    message_key=repr(expected_key),
                    municipality=repr(event.municipality),
                    department=repr(event.municipality + "/" + event.department),
                )
            if registry is not None:
                _check_allowed(registry, event.source, event.municipality)
        except InvalidEvent as exc:
            text = _item_text(item, value)
            rejected.append(
                Rejection.of(exc.reason, exc.detail, exc.field, index if batch else None, _source_of(item), text)
            )
        except Exception as exc:  # one event that breaks the validator does not take its batch with it
            text = _item_text(item, value)
            rejected.append(
                Rejection.of(
                    Reason.UNPROCESSABLE, unprocessable(exc).detail, None, index if batch else None, None, text
                )
            )
        else:
            if isinstance(event, ServiceEvent):
                service.append(event)
            else:
                events.append(event)
            if found:
                findings.extend((event.source, f) for f in found)
                found.clear()
    return Decoded(events, rejected, service, findings)


def _check_allowed(registry: SourceRegistry, source: str, municipality: str) -> None:
    """Raise `source_not_allowed` unless the registry lets `source` write for `municipality`; the field is the
    municipality for a source the registry knows, the source for one it does not."""
    refused = registry.refused(source, municipality)
    if refused is not None:
        field = "municipality" if registry.municipalities(source) else "source"
        raise InvalidEvent(Reason.SOURCE_NOT_ALLOWED, refused[0], field, **refused[1])


def _batch_items(obj: dict[str, Any]) -> tuple[list[Any], InvalidEvent | None]:
    if obj.keys() != {"schema_version", "events"}:
        extra = sorted(obj.keys() - {"schema_version", "events"})
        if extra:
            return [], InvalidEvent(Reason.UNKNOWN_FIELD, "rejected.batch_field", name=shown(extra[0]))
        return [], InvalidEvent(Reason.MISSING_FIELD, "rejected.batch_fields")
    version = obj["schema_version"]
    if isinstance(version, bool) or version != 1:
        return [], InvalidEvent(Reason.UNSUPPORTED_VERSION, "rejected.batch_version", value=shown(version))
    items = obj["events"]
    if not isinstance(items, list) or not items:
        return [], InvalidEvent(Reason.WRONG_TYPE, "rejected.batch_empty")
    if len(items) > MAX_BATCH_EVENTS:
        return [], InvalidEvent(
            Reason.TOO_LARGE, "rejected.batch_size", size=str(len(items)), limit=str(MAX_BATCH_EVENTS)
        )
    return items, None


def encode_messages(
    events: Iterable[dict[str, Any]],
    *,
    encoded: Iterable[bytes] | None = None,
    max_events: int = 1000,
    max_bytes: int = 900_000,
) -> Iterator[tuple[bytes, bytes]]:
    """Group event JSON objects into (key, value) messages: batches per municipality.

    A single event for a key becomes a plain event message; more become batch envelopes
    of at most `max_events` events and about `max_bytes` bytes. Order within a key is kept.
    `encoded`, if given, is each event's JSON text already (e.g. the line it was read from),
    so it is not encoded again.
    """
    events = list(events)
    texts = encoded if encoded is not None else [_compact(e) for e in events]
    groups: dict[str, list[bytes]] = {}
    for event, text in zip(events, texts, strict=True):
        groups.setdefault(message_key(event["municipality"]), []).append(text)
    for key, items in groups.items():
        chunk: list[bytes] = []
        size = 0
        for item in items:
            if chunk and (len(chunk) >= max_events or size + len(item) > max_bytes):
                yield key.encode(), _envelope(chunk)
                chunk, size = [], 0
            chunk.append(item)
            size += len(item) + 1
        yield key.encode(), _envelope(chunk)


def _compact(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def _envelope(chunk: list[bytes]) -> bytes:
    if len(chunk) == 1:
        return chunk[0]
    return b'{"schema_version":1,"events":[' + b",".join(chunk) + b"]}"
