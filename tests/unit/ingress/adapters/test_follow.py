"""Following a drop directory: each file once, complete files only, and a restart does not re-read."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from threading import Event

import pytest

from streams.documents.source_mappings import load_mapping
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.base import AdapterResult
from streams.ingress.adapters.follow import FileResults, FollowStateError, follow_directory
from streams.ingress.adapters.telephony import ADAPTER
from tests.fixtures.factories import TZ
from tests.unit.ingress.adapters.helpers import SAMPLES, events

CDR = (SAMPLES / "telephony-cdr.csv").read_text(encoding="utf-8")


@pytest.fixture
def mapping() -> SourceMapping:
    return load_mapping(SAMPLES / "telephony-queues.yaml", tz=TZ)


def drop(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8")


def test_new_files_are_read_once_in_name_order_and_a_restart_does_not_read_them_again(
    tmp_path: Path, mapping: SourceMapping
) -> None:
    drop(tmp_path, "2026-11-17.csv", CDR.replace("20261116", "20261117"))
    drop(tmp_path, "2026-11-16.csv", CDR)
    stop = Event()
    files = ADAPTER.follow(tmp_path, mapping, poll_interval_s=0.01, stop=stop)
    first, second = next(files), next(files)
    assert [first.path.name, second.path.name] == ["2026-11-16.csv", "2026-11-17.csv"]
    assert len(events(first.results)) == 7
    stop.set()
    assert list(files) == []  # resuming records the second file as read, then stops
    state = json.loads((tmp_path / ".komhen-telephony.state.json").read_text(encoding="utf-8"))
    assert sorted(state["files"]) == ["2026-11-16.csv", "2026-11-17.csv"]

    drop(tmp_path, "2026-11-18.csv", CDR.replace("20261116", "20261118"))
    restarted = ADAPTER.follow(tmp_path, mapping, poll_interval_s=0.01, stop=Event())
    assert next(restarted).path.name == "2026-11-18.csv"


def test_a_file_is_read_again_when_it_changes_and_a_crash_before_resuming_re_reads_it(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    inbox = tmp_path / "in"
    inbox.mkdir()
    drop(inbox, "a.txt", "one")

    def read(path: Path) -> Iterator[str]:
        yield path.read_text(encoding="utf-8")

    files = follow_directory(inbox, read, state_file=state, poll_interval_s=0.01)
    assert next(files).results == ("one",)
    files.close()  # the caller died before publishing: the file is not recorded
    files = follow_directory(inbox, read, state_file=state, poll_interval_s=0.01)
    assert next(files).results == ("one",)
    drop(inbox, "a.txt", "one two")
    os.utime(inbox / "a.txt", ns=(1, 1))
    assert next(files).results == ("one two",)


def test_hidden_and_partial_files_are_not_read(tmp_path: Path, mapping: SourceMapping) -> None:
    for name in (".incoming.csv", "b.csv.part", "c.csv.tmp"):
        drop(tmp_path, name, CDR)
    (tmp_path / "sub.csv").mkdir()
    drop(tmp_path, "z.csv", CDR)
    files: Iterator[FileResults[AdapterResult]] = ADAPTER.follow(tmp_path, mapping, poll_interval_s=0.01)
    assert next(files).path.name == "z.csv"


def test_an_unreadable_state_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{", encoding="utf-8")
    with pytest.raises(FollowStateError) as caught:
        next(follow_directory(tmp_path, lambda p: [], state_file=state, poll_interval_s=0.01))
    assert str(caught.value) == f"{state}: er ikke en tilstandsfil fra --follow; slet den, så læses alle filer igen"
