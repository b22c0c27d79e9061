"""Target gauges: a state per target and scope, and no verdict where the window holds too few inquiries."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry

from streams.documents.targets import load_target_file
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.windows import local_day
from streams.telemetry.collectors import TargetCollector, TargetProgress
from tests.fixtures.factories import TZ, inquiry

TARGETS = """\
schema_version: 1
municipality: "183"
min_inquiries: 10
targets:
  - id: selvbetjening
    title: "40 % via selvbetjening"
    measure: channel_share
    numerator: {channels: [self_service]}
    scope: [_all, "*"]
    comparator: ">="
    threshold: 0.4
    window: 7d
    severity: warning
    owner: {team: digitalisering}
"""
STATES = ("met", "on_schedule", "behind_schedule", "missed", "too_few_inquiries")


def registry(tmp_path: Path) -> CollectorRegistry:
    path = tmp_path / "ishoej.yaml"
    path.write_text(TARGETS, encoding="utf-8")
    view = Aggregation(TZ, 400)
    for i in range(12):
        view.add(inquiry(f"b{i}", channel="phone"))  # borgerservice: 12 calls, 0 % self-service
    for i in range(3):
        view.add(inquiry(f"s{i}", channel="self_service", department="byggeri"))  # 3: too few
    ref_day = local_day(view.newest, TZ)  # type: ignore[arg-type]
    out = CollectorRegistry()
    out.register(TargetCollector(TargetProgress((load_target_file(path),), lambda: view, lambda: ref_day).current))
    return out


def test_a_judged_scope_has_its_value_verdict_and_state(tmp_path: Path) -> None:
    reg = registry(tmp_path)
    scope = {"target": "selvbetjening", "municipality": "183", "department": "borgerservice"}
    assert reg.get_sample_value("komhen_target_actual", scope) == 0.0
    assert reg.get_sample_value("komhen_target_met", scope) == 0.0
    assert reg.get_sample_value("komhen_target_inquiries", scope) == 12
    assert reg.get_sample_value("komhen_target_min_inquiries", scope) == 10
    states = {s: reg.get_sample_value("komhen_target_state", {**scope, "state": s}) for s in STATES}
    assert states == {"met": 0, "on_schedule": 0, "behind_schedule": 0, "missed": 1, "too_few_inquiries": 0}


def test_too_few_inquiries_export_the_state_and_counts_but_no_value_or_verdict(tmp_path: Path) -> None:
    reg = registry(tmp_path)
    scope = {"target": "selvbetjening", "municipality": "183", "department": "byggeri"}
    for verdict in ("actual", "met", "slope_per_day", "projected_reach_timestamp_seconds"):
        assert reg.get_sample_value(f"komhen_target_{verdict}", scope) is None, verdict
    assert reg.get_sample_value("komhen_target_inquiries", scope) == 3
    assert reg.get_sample_value("komhen_target_threshold", scope) == 0.4
    states = {s: reg.get_sample_value("komhen_target_state", {**scope, "state": s}) for s in STATES}
    assert states == {"met": 0, "on_schedule": 0, "behind_schedule": 0, "missed": 0, "too_few_inquiries": 1}


def test_the_whole_municipality_adds_the_pattern_departments(tmp_path: Path) -> None:
    reg = registry(tmp_path)
    scope = {"target": "selvbetjening", "municipality": "183", "department": "_all"}
    assert reg.get_sample_value("komhen_target_actual", scope) == 3 / 15
    assert reg.get_sample_value("komhen_target_inquiries", scope) == 15
