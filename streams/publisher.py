"""The Python SDK for source systems: validate, batch per department, publish, confirm.

Source-system integrators import this; the simulator, `komhen publish` and the adapters
use it too. Events are validated before they leave (a bad event is reported, never sent),
grouped into one message per department batch (schemas/inquiry-batch.v1.json), and
`publish` returns only after Kafka acknowledged every message, or raises.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError

from streams.config import Settings
from streams.events import InquiryEvent, InvalidEvent, parse_event
from streams.kafka_clients import client_options
from streams.messages import encode_messages

log = logging.getLogger(__name__)


class PublishError(RuntimeError):
    """Kafka did not confirm delivery; none of the batch should be reported as accepted."""


@dataclass
class PublishResult:
    published: int = 0
    rejected: list[tuple[int, InvalidEvent]] = field(default_factory=list)  # (index in input, error)

    def add(self, other: PublishResult, offset: int) -> None:
        self.published += other.published
        self.rejected.extend((offset + i, e) for i, e in other.rejected)


class Publisher:
    """Publishes inquiry events with idempotent, acknowledged writes.

    >>> with Publisher(settings) as publisher:          # doctest: +SKIP
    ...     result = publisher.publish([event_dict, ...])
    ...     print(result.published, result.rejected)
    """

    def __init__(self, settings: Settings, *, max_events_per_message: int = 1000, timeout_s: float = 30.0) -> None:
        self.settings = settings
        self.max_events_per_message = max_events_per_message
        self.timeout_s = timeout_s
        self._producer = KafkaProducer(
            client_id="komhen-publisher",
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
            max_request_size=settings.max_message_bytes + 100_000,
            compression_type=None,
            **client_options(settings),
        )

    def validate(self, events: Iterable[InquiryEvent | dict[str, Any]]) -> tuple[list[dict[str, Any]], PublishResult]:
        """Split events into valid JSON objects and rejections, as the worker would judge them now."""
        now = datetime.now(UTC)
        valid: list[dict[str, Any]] = []
        result = PublishResult()
        for index, item in enumerate(events):
            obj = item.to_json() if isinstance(item, InquiryEvent) else item
            try:
                parse_event(obj, received_at=now, retention=self.settings.too_old_after)
            except InvalidEvent as exc:
                result.rejected.append((index, exc))
            else:
                valid.append(obj)
        return valid, result

    def publish(self, events: Iterable[InquiryEvent | dict[str, Any]]) -> PublishResult:
        """Validate and publish; return once Kafka acknowledged every message, else raise PublishError."""
        valid, result = self.validate(events)
        self.send_valid(valid)
        result.published = len(valid)
        return result

    def send_valid(self, valid: list[dict[str, Any]]) -> None:
        """Send already validated event objects and wait for every acknowledgement."""
        futures = [
            self._producer.send(self.settings.topic, key=key, value=value)
            for key, value in encode_messages(valid, max_events=self.max_events_per_message)
        ]
        self._producer.flush(timeout=self.timeout_s)
        try:
            for future in futures:
                future.get(timeout=self.timeout_s)
        except KafkaError as exc:
            raise PublishError(f"Kafka did not confirm delivery to {self.settings.topic}: {exc}") from exc

    def close(self) -> None:
        self._producer.close(timeout=self.timeout_s)

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
