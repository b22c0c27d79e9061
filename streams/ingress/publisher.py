"""The Python SDK for source systems: validate, batch per municipality, publish, confirm.

Source-system integrators import this; the simulator, `komhen publish` and the adapters
use it too. Events are validated before they leave (a bad event is reported, never sent),
grouped into one message per municipality batch (schemas/inquiry-batch.v1.json), and
`publish` returns only after Kafka acknowledged every message, or raises.

When the broker goes away the publisher gives up within its timeout, whatever the caller does:
the first message Kafka fails to deliver (after `timeout_s`) fails every later `send` until the
caller's next `confirm`, so a long import does not keep filling the buffer for minutes; and a
publisher that failed closes without waiting for records Kafka will never confirm. A long-lived
caller (the ingest) sends and confirms each request on its own: a failure ends with its request.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError
from kafka.producer.future import FutureRecordMetadata

from streams.broker.clients import client_options
from streams.contract.errors import ServiceUnavailable
from streams.contract.texts import Line, text
from streams.documents.reference import event_contract
from streams.documents.settings import Settings
from streams.domain.events.descriptive import Finding
from streams.domain.events.inquiry import EventParser, InquiryEvent, InvalidEvent
from streams.domain.events.messages import encode_messages, parse_item, unprocessable
from streams.domain.events.service import ServiceEvent

log = logging.getLogger(__name__)
VALIDATE_CHUNK = 10_000  # events validated before they are sent


class PublishError(ServiceUnavailable):
    """Kafka did not confirm delivery; none of the batch should be reported as accepted."""


@dataclass
class PublishResult:
    published: int = 0
    rejected: list[tuple[int, InvalidEvent]] = field(default_factory=list)  # (index in input, error)
    warnings: list[tuple[int, Finding]] = field(default_factory=list)  # (index, a descriptive value's finding)


@dataclass
class Checked:
    """Events as a worker would judge them now: valid ones (published), rejected ones, and warnings:
    implausible descriptive values of valid events, which count all the same (the worker normalises
    or leaves out the value exactly as here, and counts the finding in komhen_descriptive_findings_total)."""

    valid: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[tuple[int, InvalidEvent]] = field(default_factory=list)
    warnings: list[tuple[int, Finding]] = field(default_factory=list)


def check_events(items: Iterable[Any], settings: Settings, parser: EventParser) -> Checked:
    """Split events (typed, or any decoded JSON value) into valid JSON objects, (index, error) and
    (index, finding), by the parser's contract. A valid object is kept as it was given: the worker
    reads it the same way."""
    now = datetime.now(UTC)
    retention = settings.too_old_after
    checked = Checked()
    findings: list[Finding] = []
    for index, item in enumerate(items):
        obj = item.to_json() if isinstance(item, (InquiryEvent, ServiceEvent)) else item
        try:
            parse_item(obj, parser=parser, received_at=now, retention=retention, findings=findings)
        except InvalidEvent as exc:
            checked.rejected.append((index, exc))
            findings.clear()
        except Exception as exc:  # as the worker does: one event that breaks validation is rejected alone
            checked.rejected.append((index, unprocessable(exc)))
            findings.clear()
        else:
            checked.valid.append(obj)
            if findings:
                checked.warnings += [(index, f) for f in findings]
                findings.clear()
    return checked


def validate_events(
    items: Iterable[Any], settings: Settings, parser: EventParser
) -> tuple[list[dict[str, Any]], list[tuple[int, InvalidEvent]]]:
    """check_events without the warnings: (valid JSON objects, (index, error))."""
    checked = check_events(items, settings, parser)
    return checked.valid, checked.rejected


class Publisher:
    """Publishes inquiry and service events with idempotent, acknowledged writes.

    >>> with Publisher(settings) as publisher:          # doctest: +SKIP
    ...     result = publisher.publish([event_dict, ...])
    ...     print(result.published, result.rejected)
    """

    def __init__(
        self,
        settings: Settings,
        *,
        max_events_per_message: int = 1000,
        timeout_s: float = 30.0,
    ) -> None:
        self.settings = settings
        self.parser = EventParser(event_contract())
        self.max_events_per_message = max_events_per_message
        self.timeout_s = timeout_s
        self._round = 0  # messages sent since the last confirm; their first failure fails every send until then
        self._failure: BaseException | None = None
        self._broken = False  # some message was never confirmed: close without waiting
        timeout_ms = int(timeout_s * 1000)
        request_timeout_ms = min(timeout_ms, 30_000)
        try:
            self._producer = KafkaProducer(
                client_id="komhen-publisher",
                acks="all",
                enable_idempotence=True,
                linger_ms=5,
                max_request_size=settings.max_message_bytes + 100_000,
                # Never wait longer than the caller's timeout, for the broker or for metadata.
                max_block_ms=timeout_ms,
                bootstrap_timeout_ms=timeout_ms,
                request_timeout_ms=request_timeout_ms,
                delivery_timeout_ms=max(timeout_ms, request_timeout_ms + 5),  # Kafka needs >= request + linger
                **client_options(settings.connection),
            )
        except KafkaError as exc:  # no broker answered within the timeout
            raise PublishError(text("publish.unreachable", servers=settings.bootstrap_servers, why=_why(exc))) from exc

    def publish(self, events: Iterable[InquiryEvent | ServiceEvent | dict[str, Any]]) -> PublishResult:
        """Validate and publish; return once Kafka acknowledged every message, else raise PublishError.

        A long input is validated and sent in chunks, each on its way while the next is validated.
        """
        result = PublishResult()
        pending: list[FutureRecordMetadata] = []
        items = iter(events)
        offset = 0
        while chunk := list(islice(items, VALIDATE_CHUNK)):
            checked = check_events(chunk, self.settings, self.parser)
            pending += self.send(checked.valid)
            result.published += len(checked.valid)
            result.rejected += [(offset + index, error) for index, error in checked.rejected]
            result.warnings += [(offset + index, finding) for index, finding in checked.warnings]
            offset += len(chunk)
        self.confirm(pending)
        return result

    def send_valid(self, valid: list[dict[str, Any]], encoded: list[bytes] | None = None) -> None:
        """Send already validated event objects and wait for every acknowledgement.

        `encoded`: each event's JSON text as it was received, sent as it is (not encoded again).
        """
        try:
            pending = self.send(valid, encoded)
        except PublishError:
            self._end_round(failed=True)  # the next call starts afresh
            raise
        self.confirm(pending)

    def send(self, valid: list[dict[str, Any]], encoded: list[bytes] | None = None) -> list[FutureRecordMetadata]:
        """Queue already validated events without waiting; pass the result to `confirm`.

        A caller with a large input validates its next chunk while this one travels, so the
        workers start counting before the last line is read.
        """
        self._raise_if_failed()
        futures = []
        try:
            for key, value in encode_messages(valid, encoded=encoded, max_events=self.max_events_per_message):
                future = self._producer.send(self.settings.topic, key=key, value=value)
                future.add_errback(self._failed, self._round)
                futures.append(future)
        except KafkaError as exc:
            self._failed(self._round, exc)
            raise PublishError(text("publish.refused", topic=self.settings.topic, why=_why(exc))) from exc
        return futures

    def confirm(self, pending: list[FutureRecordMetadata]) -> None:
        """Return once Kafka acknowledged every pending message, else raise PublishError.

        Waits at most `timeout_s` in all, and no longer than the first message Kafka fails to deliver:
        the messages are awaited in the order they were sent, so the oldest, which expires first,
        ends the wait (kafka-python's flush would wait its timeout once per batch).
        """
        deadline = time.monotonic() + self.timeout_s
        try:
            self._raise_if_failed()
            for future in pending:
                future.get(timeout=max(0.0, deadline - time.monotonic()))
            self._producer.flush(timeout=max(0.0, deadline - time.monotonic()))
        except PublishError:
            self._end_round(failed=True)
            raise
        except KafkaError as exc:
            self._end_round(failed=True)
            raise PublishError(text("publish.unconfirmed", topic=self.settings.topic, why=_why(exc))) from exc
        self._end_round(failed=False)

    def _end_round(self, *, failed: bool) -> None:
        """What was sent so far is confirmed or given up: later failures of it fail no later send."""
        self._round, self._failure = self._round + 1, None
        self._broken |= failed

    def _failed(self, round_: int, exc: BaseException) -> None:
        """Errback of every message (run in the producer's thread): the first failure of this round is kept."""
        if round_ == self._round and self._failure is None:
            self._failure = exc

    def _raise_if_failed(self) -> None:
        if self._failure is not None:
            raise PublishError(text("publish.unconfirmed", topic=self.settings.topic, why=_why(self._failure)))

    def close(self) -> None:
        """Close the producer; records Kafka never confirmed are dropped (their senders got PublishError)."""
        if not self._broken and self._failure is None:
            try:
                self._producer.close(timeout=self.timeout_s)
                return
            except KafkaError:
                pass
        # kafka-python's close() flushes first and, when that times out, raises without closing (its
        # __del__ then tries again and prints a traceback). After a failure nothing more will be
        # confirmed: stop its I/O thread without sending (what its close does once the timeout has
        # passed), which fails the records still waiting, then close.
        sender = self._producer._sender
        sender.force_close()
        sender.join(self.timeout_s)
        with contextlib.suppress(KafkaError):  # still not closed: the caller reports its PublishError
            self._producer.close(timeout=0)
        log.info(Line("log.producer_dropped"))

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _why(exc: BaseException) -> str:
    """Kafka's name for what went wrong (KafkaTimeoutError, NoBrokersAvailable): enough to look up, one line."""
    return type(exc).__name__
