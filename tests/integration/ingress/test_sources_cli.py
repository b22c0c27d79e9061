"""Every source adapter's sample through `komhen source`, the real broker and a worker: exact metrics."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from streams.documents.settings import Settings, settings_env
from streams.documents.source_mappings import load_mapping
from streams.ingress.adapters import ADAPTERS
from streams.ingress.komhen.results import RejectedRow
from tests.fixtures.factories import REPO_ROOT, TZ
from tests.fixtures.workers import WorkerProcess, labels, wait_for
from tests.integration.ingress.test_komhen_files_cli import komhen

SAMPLES = REPO_ROOT / "schemas" / "samples"
GOLDEN = REPO_ROOT / "tests/data/adapters/golden"
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
        results = ADAPTERS[system].read(SAMPLES / sample, load_mapping(SAMPLES / mapping, tz=TZ))
        rejected = sum(isinstance(r, RejectedRow) for r in results)
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


def test_follow_mode_publishes_new_files_and_stops_cleanly(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    follower = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streams",
            "source",
            "reception",
            "--follow",
            str(inbox),
            "--mapping",
            str(SAMPLES / "reception-services.yaml"),
        ],
        env={**env, **settings_env(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        (inbox / "tickets-1.csv.part").write_bytes((SAMPLES / "reception-tickets.csv").read_bytes())
        (inbox / "tickets-1.csv.part").rename(inbox / "tickets-1.csv")  # appears whole, as a source should write
        expected = len(golden("reception", "events"))
        wait_for(
            lambda: sum(worker.metrics().get("komhen_inquiries_total", {}).values()) == expected, 60, "the new file"
        )
    finally:
        follower.send_signal(signal.SIGTERM)
        out, err = follower.communicate(timeout=30)
    assert follower.returncode == 0, err
    assert re.fullmatch(
        rf"Læst \d+ poster: {expected} henvendelser og \d+ servicehændelser sendt, .*", out.splitlines()[0]
    )
    assert json.loads((inbox / ".komhen-reception.state.json").read_text())


def test_selfservice_completion_per_kle_task_is_reported(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    sample, mapping = RUNS["selfservice"]
    assert komhen(settings, "source", "selfservice", str(SAMPLES / sample), "--mapping", str(SAMPLES / mapping)).stdout
    expected: Counter[tuple[str, str, str]] = Counter()
    for e in golden("selfservice", "events"):
        expected[(str(e["department"]), str(e["kle"]), "completed")] += 1
    for m in golden("selfservice", "measures"):
        expected[
            (str(m["department"]), str(m.get("kle") or "(ingen)"), str(m["kind"]).removeprefix("selfservice_"))
        ] += 1
    total = sum(n for (_, _, outcome), n in expected.items() if outcome == "completed")
    wait_for(
        lambda: (
            worker.metrics()
            .get("komhen_window_inquiries", {})
            .get(labels(municipality="183", department="_all", channel="self_service", direction="in", window="365d"))
            == total
        ),
        30,
        "the summaries to reach the global view",
    )
    report = komhen(settings, "report", "selfservice", "--from", "2026-01-01", "--to", "2026-12-31")
    assert report.returncode == 0, report.stderr
    rows = {
        (cols[1], cols[2]): (int(cols[3]), int(cols[4]), int(cols[5]))
        for cols in (line.split() for line in report.stdout.splitlines()[3:])
    }
    assert rows == {
        (d, k): (expected[(d, k, "started")], expected[(d, k, "completed")], expected[(d, k, "abandoned")])
        for d, k, _ in expected
    }
