"""The municipality's side of a source: its number, and source keys (queue, form, branch …) to departments and tasks.

A value, read from a mapping file by streams.documents.source_mappings. A key the mapping does not
name is counted in the unmapped department (`unknown`), never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from streams.contract.identifiers import UNKNOWN_DEPARTMENT


@dataclass(frozen=True)
class Task:
    """KLE task and inquiry type a source key implies (e.g. a self-service form)."""

    kle: str | None = None
    inquiry_type: str | None = None


NO_TASK = Task()


@dataclass(frozen=True)
class SourceMapping:
    """A source's mapping file: its municipality, and source keys (queue, form, unit …) to departments.

    >>> m = SourceMapping("queues.yaml", "183", ZoneInfo("Europe/Copenhagen"), {"7001": "borgerservice"})
    >>> m.department("7001"), m.department("7999"), m.department(None)
    ('borgerservice', 'unknown', 'unknown')
    >>> m.first_named(["7001/12", "7001"])
    '7001'
    """

    file: str
    municipality: str
    tz: ZoneInfo  # of the source's local times
    departments: Mapping[str, str]
    tasks: Mapping[str, Task] = field(default_factory=lambda: MappingProxyType({}))
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # department -> display name
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # an adapter's own section

    def department(self, key: str | None) -> str:
        """The department of a key; a blank or unmapped key is `unknown`, counted rather than dropped."""
        return self.departments.get(key or "", UNKNOWN_DEPARTMENT)

    def first_named(self, keys: Sequence[str]) -> str | None:
        """The first of `keys` (most specific first, e.g. branch/service before branch) the mapping names."""
        return next((key for key in keys if key in self.departments), None)

    def task(self, keys: Sequence[str]) -> Task:
        """The task of the first of `keys` the mapping has a task for."""
        return next((self.tasks[key] for key in keys if key in self.tasks), NO_TASK)
