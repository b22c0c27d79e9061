"""Follow a drop directory: read each new file once, remembering what was read in a state file.

Source systems often drop a file per hour or day (CDR exports, print-service receipts). Polling
works on every file system and network share, where inotify does not. A file is read once its
size and modification time are unchanged over one poll, so a file still being copied is not read
half-written; a file that changes later (an appended CDR) is read again as a whole, which is
harmless because event ids come from record ids and the worker counts a resent event once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import Generic, TypeVar

from streams.contract.errors import UnusableInput
from streams.contract.texts import text

T = TypeVar("T")
STATE_VERSION = 1
# Names a writer uses while a file is not complete yet; write to one of them, then rename.
IGNORED_SUFFIXES = (".tmp", ".part", ".partial")

Signature = tuple[int, int]  # (size, mtime_ns)


class FollowStateError(UnusableInput):
    """The state file exists but cannot be understood; delete it to read every file again."""


@dataclass(frozen=True)
class FileResults(Generic[T]):
    """All results of one file. The file is recorded as read when the caller asks for the next one."""

    path: Path
    results: tuple[T, ...]


def follow_directory(
    directory: Path,
    read: Callable[[Path], Iterable[T]],
    *,
    state_file: Path,
    poll_interval_s: float = 2.0,
    stop: Event | None = None,
) -> Generator[FileResults[T], None, None]:
    """Yield the results of every new or changed file in `directory`, in name order, until `stop` is set.

    Results come a whole file at a time and the state is saved only when the caller resumes the
    generator, i.e. after it has published that file: a crash in between reads the file again
    rather than losing it. Hidden files (names starting with '.') and IGNORED_SUFFIXES are skipped.
    """
    stop = stop or Event()
    processed = _load_state(state_file)
    previous: dict[str, Signature] = {}
    while True:
        current = _listing(directory)
        for name, signature in current.items():
            if processed.get(name) == signature or previous.get(name) != signature:
                continue  # already read, or new or still growing: look again next poll
            try:
                results = tuple(read(directory / name))
            except FileNotFoundError:
                continue  # removed between listing and reading
            yield FileResults(directory / name, results)
            processed[name] = signature
            _save_state(state_file, {n: s for n, s in processed.items() if n in current})
        previous = current
        if stop.wait(poll_interval_s):
            return


def folder_files(directory: Path) -> list[Path]:
    """The files of a folder as a source leaves them, in name order: hidden and IGNORED_SUFFIXES left out."""
    return [directory / name for name in _listing(directory)]


def _listing(directory: Path) -> dict[str, Signature]:
    listing: dict[str, Signature] = {}
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        if entry.name.startswith(".") or entry.name.endswith(IGNORED_SUFFIXES) or not entry.is_file():
            continue
        stat = entry.stat()
        listing[entry.name] = (stat.st_size, stat.st_mtime_ns)
    return listing


def _load_state(path: Path) -> dict[str, Signature]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw["schema_version"] != STATE_VERSION:
            raise ValueError(f"schema_version {raw['schema_version']!r} is not {STATE_VERSION}")
        return {name: (int(size), int(mtime)) for name, (size, mtime) in raw["files"].items()}
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError, TypeError):
        raise FollowStateError(text("follow.state", path=path)) from None


def _save_state(path: Path, processed: dict[str, Signature]) -> None:
    """Write atomically: a crash leaves the old or the new state, never half of one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps({"schema_version": STATE_VERSION, "files": processed}, sort_keys=True, indent=1) + "\n",
        encoding="utf-8",
    )
    os.replace(tmp, path)
