"""One department's counts on one local day (a DayBucket), and the cells it counts, interned per process.

A module of its own because this is the unit everything else is made of: the aggregation holds
buckets, snapshots write and read them, summaries publish them. It is also where memory is won:
a year of buckets repeats the same few hundred cells, so cells, projection keys and names are
shared instances, and a settled bucket keeps its counts in two arrays (SealedCells).
"""

from __future__ import annotations

from array import array
from collections.abc import ItemsView, Iterator, Mapping
from datetime import datetime
from itertools import count
from typing import Any, NamedTuple

from streams.domain.counting.identities import Identities

ChannelDirection = tuple[str, str]
DepartmentKey = tuple[str, str]  # (municipality, department)


class Cell(NamedTuple):
    """One combination of the KOMHEN parameters that is counted."""

    channel: str
    direction: str
    inquiry_type: str | None
    kle: str | None
    completion: str | None
    form: bool | None


# Every distinct cell gets one shared instance and a small id: a year of buckets repeats the
# same few hundred combinations, so a settled bucket stores ids, not cells.
_cell_ids: dict[Cell, int] = {}
_cells: list[Cell] = []
_keys: dict[tuple[str, str], tuple[str, str]] = {}  # shared projection keys of settled buckets
_names: dict[str, str] = {}  # department display names, shared by every bucket that carries one


def _cell_id(cell: Cell) -> int:
    cid = _cell_ids.get(cell)
    if cid is None:
        cid = _cell_ids[cell] = len(_cells)
        _cells.append(cell)
    return cid


def _shared_keys(counts: dict[Any, int]) -> dict[Any, int]:
    return {_keys.setdefault(key, key): n for key, n in counts.items()}


def cell_id(cell: Cell) -> int:
    """The process-local id of a cell (interned on first use); never stored, see snapshot_format.Terms."""
    return _cell_id(cell)


def cell_of(cid: int) -> Cell:
    """The cell of a process-local id."""
    return _cells[cid]


def shared_key(key: tuple[str, str | None]) -> tuple[str, str | None]:
    """One shared instance per projection key (channel/direction, channel/completion, kind/task)."""
    return _keys.setdefault(key, key)  # type: ignore[arg-type]


class SealedCells(Mapping[Cell, int]):
    """The cell counts of a settled day, read-only: two arrays of 4 bytes per cell (id, count)
    instead of a dict, about a sixth of the memory. A late event unseals the bucket.

    The ids index `table`: the process's interned cells, or for a day loaded from a snapshot
    the numbering of that partition's snapshot (snapshot_format.Terms), so loading copies arrays
    instead of translating every id.
    """

    __slots__ = ("counts", "ids", "table")

    def __init__(self, cells: Mapping[Cell, int]) -> None:
        pairs = sorted((_cell_id(cell), n) for cell, n in cells.items())
        self.ids = array("I", [cid for cid, _ in pairs])
        self.counts = array("I", [n for _, n in pairs])
        self.table = _cells

    @classmethod
    def from_arrays(cls, ids: array[int], counts: array[int], table: list[Cell]) -> SealedCells:
        """Cells from arrays of distinct ids into `table` (in any order) and their counts."""
        sealed = cls.__new__(cls)
        sealed.ids, sealed.counts, sealed.table = ids, counts, table
        return sealed

    def __getitem__(self, cell: Cell) -> int:
        if self.table is _cells:
            cid = _cell_ids.get(cell)
            if cid is not None and cid in self.ids:  # a scan in C of a few hundred ids; ids need no order
                return self.counts[self.ids.index(cid)]
        else:
            for known, n in self.items():
                if known == cell:
                    return n
        raise KeyError(cell)

    def __iter__(self) -> Iterator[Cell]:
        return map(self.table.__getitem__, self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def items(self) -> ItemsView[Cell, int]:
        return _SealedItems(self)


class _SealedItems(ItemsView[Cell, int]):
    """(cell, count) straight from the arrays, without a lookup per cell."""

    _mapping: SealedCells

    def __iter__(self) -> Iterator[tuple[Cell, int]]:
        cells = self._mapping
        return zip(map(cells.table.__getitem__, cells.ids), cells.counts, strict=True)


ServiceCell = tuple[str, str | None]  # (kind, kle)


_stamps = count()  # a fresh stamp for every bucket and every change of its counts


class DayBucket:
    """Counts of one department on one local day: inquiries by cell, service events by kind and task,
    and the department's display name as that day's newest inquiry (by event time) gave it.

    `stamp` changes whenever its inquiry counts do, so a reader may keep what it derived from a bucket
    (a merged day of the whole municipality) until the stamp moves.
    """

    __slots__ = ("cells", "channels", "completions", "kinds", "name", "name_at", "seen", "service", "stamp")

    def __init__(self) -> None:
        self.stamp = next(_stamps)
        self.cells: dict[Cell, int] | SealedCells = {}
        self.channels: dict[ChannelDirection, int] = {}
        self.completions: dict[tuple[str, str], int] = {}  # (channel, completion) where one was recorded
        self.service: dict[ServiceCell, int] = {}
        self.kinds: dict[str, int] = {}
        self.seen = Identities()
        self.name: str | None = None
        self.name_at: datetime | None = None  # event time of the inquiry that gave the name

    def named(self, name: str, at: datetime) -> None:
        """Keep the name of the newest inquiry by event time (on a tie, the one counted last)."""
        if self.name_at is None or at >= self.name_at:
            self.name = shared_name(name)
            self.name_at = at

    @classmethod
    def restored(
        cls,
        cells: SealedCells,
        channels: dict[ChannelDirection, int],
        completions: dict[tuple[str, str], int],
        service: dict[ServiceCell, int],
        seen: Identities,
    ) -> DayBucket:
        """A settled bucket rebuilt from a snapshot (projection keys shared, as `seal` leaves them)."""
        bucket = cls()
        bucket.cells, bucket.channels, bucket.completions = cells, channels, completions
        bucket.service, bucket.seen = service, seen
        for (kind, _), n in service.items():
            bucket.kinds[kind] = bucket.kinds.get(kind, 0) + n
        return bucket

    def count(self, cell: Cell, n: int) -> None:
        """Add n inquiries of a cell, and to the projections windows are summed from."""
        cells = self.cells
        if type(cells) is not dict:
            cells = self.cells = dict(cells)  # a late event for a sealed day
        cell = _cells[_cell_id(cell)]
        cells[cell] = cells.get(cell, 0) + n
        self.stamp = next(_stamps)
        cd = (cell.channel, cell.direction)
        self.channels[cd] = self.channels.get(cd, 0) + n
        if cell.completion is not None:
            key = (cell.channel, cell.completion)
            self.completions[key] = self.completions.get(key, 0) + n

    def seal(self) -> bool:
        """Store the counts and identities compactly (a day that rarely changes); False if already so."""
        compacted = self.seen.compact()
        if type(self.cells) is not dict:
            return compacted
        self.cells = SealedCells(self.cells)
        self.channels = _shared_keys(self.channels)
        self.completions = _shared_keys(self.completions)
        return True


def shared_name(name: str) -> str:
    """One shared string per department display name, for every bucket that carries it."""
    return _names.setdefault(name, name)
