"""Every source adapter's sample through `komhen source`, the real broker and a worker: exact metrics."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from streams.adapters.base import load_mapping
from streams.config import Settings
from streams.komhen_file import Rejected
from streams.paths import REPO_ROOT
from streams.sources import ADAPTERS
from tests.integration.test_komhen_files_cli import komhen
from tests.integration.workers import WorkerProcess, labels, wait_for

SAMPLES = REPO_ROOT / "schemas" / "samples"
GOLDEN = REPO_ROOT / "tests" / "unit" / "adapters" / "golden"
RUNS = {
    "telephony": ("telephony-cdr.csv", "telephony-queues.yaml"),
    "selfservice": ("selfservice-submissions.ndjson", "selfservice-forms.yaml"),
    "digitalpost": ("digitalpost-letters.ndjson", "digitalpost-units.yaml"),
    "reception": ("reception-tickets.csv", "reception-services.yaml"),
}


def golden(system: str, kind: str) -> list[dict[str, object]]:
    path = GOLDEN / f"{system}.{kind}.ndjson"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_each_adapter_sample_is_counted_exactly(settings: Settings, worker: WorkerProcess, tmp_path: Path) -> None:
    inquiries: Counter[tuple[str, str, str, str]] = Counter()
    abandoned: Counter[tuple[str, str]] = Counter()
    attempts: Counter[tuple[str, str, str]] = Counter()
    for system, (sample, mapping) in RUNS.items():
        rejected = sum(
            isinstance(r, Rejected) for r in ADAPTERS[system].read(SAMPLES / sample, load_mapping(SAMPLES / mapping))
        )
        result = komhen(settings, "source", system, str(SAMPLES / sample), "--mapping", str(SAMPLES / mapping))
        assert result.returncode == (1 if rejected else 0), result.stderr
        assert result.stderr.count(f"{SAMPLES / sample}:") == rejected
        for e in golden(system, "events"):
            inquiries[(str(e["municipality"]), str(e["department"]), str(e["channel"]), str(e["direction"]))] += 1
        for m in golden(system, "measures"):
            where = (str(m["municipality"]), str(m["department"]))
            if m["kind"] == "call_abandoned":
                abandoned[where] += 1
            else:
                attempts[(*where, str(m["kind"]).removeprefix("selfservice_"))] += 1
    assert sum(abandoned.values()) and sum(attempts.values())  # the samples exercise the service measures

    expected = {
        labels(municipality=m, department=d, channel=c, direction=r): float(n) for (m, d, c, r), n in inquiries.items()
    }
    wait_for(lambda: worker.metrics().get("komhen_inquiries_total") == expected, 60, "every sample inquiry counted")
    metrics = worker.metrics()
    assert metrics["komhen_calls_abandoned_total"] == {
        labels(municipality=m, department=d): float(n) for (m, d), n in abandoned.items()
    }
    assert metrics["komhen_selfservice_attempts_total"] == {
        labels(municipality=m, department=d, outcome=o): float(n) for (m, d, o), n in attempts.items()
    }
