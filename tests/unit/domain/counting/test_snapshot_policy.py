"""One rule for a stale snapshot: the workers' /health and `komhen rules generate` read the same function."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from streams.cli import main
from streams.documents.settings import Settings
from streams.domain.counting.snapshot_policy import snapshot_stale, snapshot_stale_after_s
from streams.generators.rules import OPERATIONS_FILE, RuleSettings
from streams.telemetry.collectors import RestoreFigures
from streams.worker.health import snapshot_health
from tests.fixtures.factories import REPO_ROOT


@pytest.mark.parametrize(
    ("interval_s", "stale_after_s"),
    [(0, 3600), (1, 3600), (300, 3600), (900, 3600), (901, 3604), (1800, 7200), (86_400, 345_600)],
)
def test_a_snapshot_is_stale_after_four_intervals_and_at_least_an_hour(interval_s: float, stale_after_s: int) -> None:
    assert snapshot_stale_after_s(interval_s) == stale_after_s


def test_only_a_snapshot_that_leaves_counted_records_uncovered_goes_stale() -> None:
    assert [snapshot_stale(age, behind, 300) for age, behind in [(3601, 1), (3600, 1), (3601, 0), (10**6, 0)]] == [
        True,
        False,
        False,
        False,
    ]


def test_the_rules_take_the_default_interval_unless_told_the_workers() -> None:
    assert RuleSettings().snapshot_stale_after == snapshot_stale_after_s(Settings().snapshot_interval_s) == 3600


def test_komhen_rules_generate_alerts_after_four_of_the_configured_intervals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KOMHEN_SNAPSHOT_INTERVAL_S", "1800")
    monkeypatch.setenv("KOMHEN_INPUT_RETENTION_DAYS", "7")
    target = REPO_ROOT / "deploy" / "targets" / "ishoej.yaml"
    assert main(["rules", "generate", str(target), "--out", str(tmp_path)]) == 0
    doc = yaml.safe_load((tmp_path / OPERATIONS_FILE).read_text(encoding="utf-8"))
    (stale,) = [r for g in doc["groups"] for r in g["rules"] if r.get("alert") == "KomhenSnapshotStale"]
    assert stale["expr"].splitlines()[0] == "time() - max by (partition) (komhen_snapshot_timestamp_seconds) > 7200"
    assert capsys.readouterr().out.count("skrev ") == 2


def test_health_names_the_stale_snapshots_by_the_same_rule() -> None:
    now = 1_767_000_000.0
    figures = {
        0: RestoreFigures("snapshot", "", 10, 100, snapshot_at=now - 7201, behind=3),  # stale
        1: RestoreFigures("snapshot", "", 10, 100, snapshot_at=now - 7199, behind=3),  # not yet
        2: RestoreFigures("snapshot", "", 10, 100, snapshot_at=now - 90_000, behind=0),  # idle: nothing to write
        3: RestoreFigures("full_replay", "no_snapshot", 10, 0, snapshot_at=None, behind=None),  # none written yet
    }
    health = snapshot_health(figures, 1800, now=now)
    assert (health["interval_s"], health["stale_after_s"], health["stale"]) == (1800, 7200, [0])
    assert health["behind"] == {"0": 3, "1": 3, "2": 0}
    assert health["written"]["0"] == "2025-12-29T07:19:59+00:00"  # 7201 s before 09:20:00
