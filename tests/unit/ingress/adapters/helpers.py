"""Shared test helpers: golden files, sample paths, and results by kind.

Golden files are NDJSON with sorted keys, one object per line, byte for byte what the adapter
produced for its sample in schemas/samples/. Regenerate them after an intended change with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/ingress/adapters -q

and review the diff like code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from streams.ingress.adapters.base import AdapterResult, Inquiry, RejectedRow, ServiceMeasure, Skipped
from tests.fixtures.factories import REPO_ROOT

SAMPLES = REPO_ROOT / "schemas" / "samples"
GOLDEN = REPO_ROOT / "tests/data/adapters/golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def ndjson(objects: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(obj, sort_keys=True, ensure_ascii=False) + "\n" for obj in objects)


def assert_golden(name: str, objects: Iterable[dict[str, Any]]) -> None:
    """Compare with golden/<name> byte for byte, or rewrite it when UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    produced = ndjson(objects).encode("utf-8")
    if UPDATE:
        path.write_bytes(produced)
        return
    assert path.exists(), f"{path} is missing; create it with UPDATE_GOLDEN=1"
    assert path.read_bytes() == produced, f"{path} differs from what the adapter produces; see helpers.py to update"


def events(results: Iterable[AdapterResult]) -> list[dict[str, Any]]:
    return [r.event for r in results if isinstance(r, Inquiry)]


def measures(results: Iterable[AdapterResult]) -> list[dict[str, Any]]:
    return [r.measure for r in results if isinstance(r, ServiceMeasure)]


def rejections(results: Iterable[AdapterResult]) -> list[tuple[int, str, str]]:
    """(line, reason, detail) of every rejection, in file order."""
    return [(r.line, r.reason.value, r.detail) for r in results if isinstance(r, RejectedRow)]


def skips(results: Iterable[AdapterResult]) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in results if isinstance(r, Skipped)]


def kinds(results: Iterable[AdapterResult]) -> list[tuple[int, str]]:
    """(line, result type) of every result: the shape of a run at a glance."""
    return [(r.line, type(r).__name__) for r in results]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path
