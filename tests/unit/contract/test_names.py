"""Every metric name a rule, a dashboard or the live table queries is one of streams.contract.names."""

from __future__ import annotations

import re

from streams.contract import names
from tests.fixtures.factories import REPO_ROOT

METRIC = re.compile(r"\bkomhen_[a-z_]+(?![:\w])")  # not the recording rules komhen:… and komhen_target:…


def known() -> set[str]:
    values = {v for k, v in vars(names).items() if k.isupper() and isinstance(v, str)}
    counters = {
        names.INQUIRIES,
        names.EVENTS,
        names.EVENTS_REJECTED,
        names.CORRECTIONS_IGNORED,
        names.DESCRIPTIVE_FINDINGS,
        names.CALLS_ABANDONED,
        names.SELFSERVICE_ATTEMPTS,
        names.VISITS_MISSED,
        names.RESTORES,
        names.SNAPSHOTS_WRITTEN,
        names.SNAPSHOT_WRITTEN_BYTES,
    }
    return values | {names.total(c) for c in counters}


def test_the_checked_in_rules_and_dashboards_query_only_names_the_worker_exports() -> None:
    files = [*(REPO_ROOT / "deploy" / "prometheus" / "rules").glob("*.yml"), *(REPO_ROOT / "dashboards").glob("*.json")]
    assert len(files) >= 8
    used = set().union(*(METRIC.findall(p.read_text(encoding="utf-8")) for p in files))
    assert used - known() == set()
    assert {names.CHANNEL_SHARE, names.TARGET_ACTUAL, names.total(names.EVENTS_REJECTED)} <= used


def test_the_target_gauges_share_one_prefix() -> None:
    targets = [v for k, v in vars(names).items() if k.startswith("TARGET_") and k != "TARGET_PREFIX"]
    assert targets and all(t.startswith(names.TARGET_PREFIX) for t in targets)
