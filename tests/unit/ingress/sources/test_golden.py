"""Every declarative source's sample inputs give exactly their golden results (see golden.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.ingress.adapters.helpers import UPDATE, ndjson
from tests.unit.ingress.sources.golden import SOURCES, pairs, read_copy, rendered, source


@pytest.mark.parametrize(("given", "expected"), pairs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_input_gives_exactly_its_golden_results(given: Path, expected: Path, tmp_path: Path) -> None:
    adapter, mapping = source(given.parent, given)
    produced = ndjson(rendered(read_copy(adapter, given, mapping, tmp_path))).encode("utf-8")
    if UPDATE:
        expected.write_bytes(produced)
        return
    assert expected.exists(), f"{expected} is missing; create it with UPDATE_GOLDEN=1"
    assert expected.read_bytes() == produced, f"{expected} differs from what the source gives; see golden.py"


def test_every_source_folder_has_several_variants() -> None:
    counts = {folder.name: len(list(folder.glob("in-*"))) for folder in SOURCES.iterdir() if folder.is_dir()}
    assert counts == {
        **{"os2forms": 4, "qmatic-orchestra": 3, "qmatic-calendar": 3, "contact-centre": 3, "booking": 2},
        **{"memo": 17, "asterisk": 7, "teams": 8},
    }
