"""The one shape of a collector here: read figures computed before the scrape, write families."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

F = TypeVar("F")


class FiguresCollector(Collector, Generic[F]):
    """Writes the families of one concern from the figures `figures()` returns (nothing while None).

    Subclasses only read and emit, as client_python's gc_collector does: ranking, budgeting and
    evaluating happened where the figures were computed (streams/telemetry/figures.py).
    """

    def __init__(self, figures: Callable[[], F | None]) -> None:
        self._figures = figures
        self._read: F | None = None
        self._written: list[GaugeMetricFamily] = []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        figures = self._figures()
        if figures is not self._read:  # the same figures as last scrape: the same families, not written again
            self._read, self._written = figures, [] if figures is None else self.families(figures)
        return iter(self._written)

    @abstractmethod
    def families(self, figures: F) -> list[GaugeMetricFamily]:
        """The concern's families, written from `figures` alone."""
