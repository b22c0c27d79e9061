"""Events that keep flowing while a test reads: a background publisher of fresh inquiries."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from itertools import count
from types import TracebackType

from streams.documents.settings import Settings
from streams.ingress.publisher import Publisher
from tests.factories import event_json


class LiveTraffic:
    """Publishes `per_tick` new incoming calls every `tick_s` seconds until stopped.

    >>> with LiveTraffic(settings) as traffic:   # doctest: +SKIP
    ...     traffic.wait_for(100)
    """

    def __init__(self, settings: Settings, *, per_tick: int = 20, tick_s: float = 0.2) -> None:
        self.settings = settings
        self.per_tick = per_tick
        self.tick_s = tick_s
        self.published = 0
        self._stop = threading.Event()
        self._ids = count()
        self._thread = threading.Thread(target=self._run, name="live-traffic", daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            with Publisher(self.settings) as publisher:
                while not self._stop.is_set():
                    now = datetime.now(UTC)
                    events = [
                        event_json(f"live-{next(self._ids)}", source="live", occurred_at=now)
                        for _ in range(self.per_tick)
                    ]
                    publisher.publish(events)
                    self.published += len(events)
                    self._stop.wait(self.tick_s)
        except BaseException as exc:  # reported by the test through .error
            self.error = exc

    def __enter__(self) -> LiveTraffic:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and self.error is None
