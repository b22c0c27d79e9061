"""The demo's children speak the demo's language: after `komhen demo --language en` the worker's and the
simulator's lines are English too, though KOMHEN_LANGUAGE is not set (the demo hands its choice on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.contract.texts import speaking
from streams.dev.demo import _spawn
from streams.documents.settings import Settings


def test_a_child_of_the_demo_speaks_the_language_the_demo_speaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOMHEN_LANGUAGE", raising=False)
    said = {}
    for language in ("da", "en"):
        log = tmp_path / f"worker-{language}.log"
        with speaking(language):
            child = _spawn(["worker", "--web-port", "x"], Settings(), log)  # a usage error: said, then exit 2
        assert child.wait(timeout=60) == 2
        said[language] = log.read_text().splitlines()
    assert said == {
        "da": ["komhen worker: argumentet --web-port: 'x' er ikke et helt tal (se komhen worker --help)"],
        "en": ["komhen worker: argument --web-port: 'x' is not a whole number (see komhen worker --help)"],
    }
