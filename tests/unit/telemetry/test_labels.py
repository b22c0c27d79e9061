"""Labels an outsider cannot inflate (issue 12, class 3): sources and departments within a budget.

The trial: 100 rejected events with made-up sources used up the source-label budget, so real
telephony events counted under `other` and KomhenSourceSilent could no longer fire for it; 20,000
invented departments made /metrics 304 MB. Here the budgets are attacked directly and through
the pipeline's counters and gauges, with exact counts.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from streams.contract.budget import DEPLOYMENT_SERIES, SERIES_PER_DEPARTMENT, DepartmentBudget
from streams.documents.settings import ConfigError, Settings, load_settings
from streams.domain.counting.aggregation import Aggregation
from streams.domain.events.inquiry import Reason
from streams.domain.events.messages import Rejection
from streams.telemetry.collectors import FigureKeeper, PipelineMetrics, register_state
from streams.telemetry.labels import DepartmentLabels, SourceLabels
from tests.fixtures.factories import event_json, parse_event


def rejection(source: str | None) -> Rejection:
    return Rejection(Reason.UNKNOWN_CODE, "x", "channel", None, source, "{}")


def test_made_up_sources_of_rejected_events_use_up_nothing_and_hide_no_real_source() -> None:
    registry = CollectorRegistry()
    metrics = PipelineMetrics(registry, sources=SourceLabels(["telephony"]))
    metrics.record({}, {}, [rejection(f"fake-{i}") for i in range(100)], {}, {})
    metrics.record({}, {("telephony", "accepted"): 5, ("webform", "accepted"): 2}, [], {"telephony": 1e12}, {})
    metrics.record({}, {}, [rejection("telephony"), rejection("webform"), rejection("fake-1")], {}, {})

    def rejected(source: str) -> float | None:
        return registry.get_sample_value("komhen_events_rejected_total", {"source": source, "reason": "unknown_code"})

    assert rejected("invalid") == 101  # 100 made up, then one more: one fixed value
    assert rejected("telephony") == 1 and rejected("webform") == 1  # declared, and earned by accepted events
    assert registry.get_sample_value("komhen_events_total", {"source": "telephony", "outcome": "accepted"}) == 5
    assert registry.get_sample_value("komhen_last_event_timestamp_seconds", {"source": "telephony"}) == 1e9
    assert metrics.sources.earned == {"webform"}


def test_valid_events_of_undeclared_sources_beyond_the_budget_count_as_other_and_declared_ones_keep_theirs() -> None:
    labels = SourceLabels(["telephony"], max_earned=100)
    earned = {labels.label(f"s{i}", valid=True) for i in range(150)}
    assert len(earned) == 101 and "other" in earned
    assert labels.label("telephony", valid=True) == "telephony"
    assert labels.label("telephony", valid=False) == "telephony"
    for hostile in (None, "Not A Slug!", "010190-1234", "01.01.90_1234", "x" * 65):
        assert labels.label(hostile, valid=True) == "invalid"


def budget(**options: Any) -> DepartmentLabels:
    return DepartmentLabels(**{"max_departments": 3, "max_municipalities": 2, **options})


def test_departments_are_admitted_while_there_is_room_then_counted_under_other() -> None:
    labels = budget(declared=[("183", "borgerservice")])
    got = [labels.labels("183", d) for d in ("a", "b", "c", "d", "borgerservice", "a")]
    assert got == [("183", "a"), ("183", "b"), ("183", "c"), ("183", "_other"), ("183", "borgerservice"), ("183", "a")]
    assert labels.labels("165", "x") == ("165", "x")
    assert labels.labels("751", "y") == ("751", "y")  # 183 is declared: two more fit
    assert labels.labels("101", "z") == ("_other", "_other")  # a third undeclared one: beyond the budget
    assert labels.all_labels("101") == ("_other", "_all") and labels.all_labels("183") == ("183", "_all")


def test_a_rerank_admits_the_departments_with_most_inquiries_and_keeps_declared_ones(
    caplog: pytest.LogCaptureFixture,
) -> None:
    labels = budget(declared=[("183", "borgerservice")])
    flood = {("183", f"fake-{i}"): 1 for i in range(20_000)}
    for key in list(flood)[:10]:
        labels.labels(*key)  # the flood came first and took the room
    real = {("183", "byggeri"): 40, ("183", "jobcenter"): 30, ("183", "borgerservice"): 0}
    with caplog.at_level(logging.WARNING):
        labels.rerank({**flood, **real})
        labels.rerank({**flood, **real})  # the same again: no second log line
    assert labels.departments["183"] == {"borgerservice", "byggeri", "jobcenter", "fake-0"}  # fake-0: admitted tie
    assert labels.labels("183", "fake-7") == ("183", "_other")
    assert labels.over_budget == {"183": 20_000 + 2 - 3}
    assert [r.getMessage()[:62] for r in caplog.records] == [
        "183: 19.999 afdelinger ud over label-budgettet (KOMHEN_MAX_DEP"
    ]
    labels.rerank({**{("183", f"fake-{i}"): 1 for i in range(40_010)}, **real})
    assert len(caplog.records) == 2  # doubled: said again


def test_municipalities_beyond_the_budget_are_one_other_municipality() -> None:
    labels = budget(declared_municipalities=["183"])
    volumes = {(f"{m:03d}", "afd"): m for m in range(1, 300)}
    labels.rerank(volumes)
    assert labels.municipalities == {"183", "299", "298"}
    assert labels.labels("001", "afd") == ("_other", "_other")
    assert labels.over_budget == {"_other": 299 - 3}


@settings(max_examples=200, database=None)
@given(
    volumes=st.dictionaries(
        st.tuples(st.sampled_from(["183", "165", "751", "101"]), st.sampled_from([f"d{i}" for i in range(30)])),
        st.integers(0, 50),
        max_size=120,
    ),
    declared=st.sets(st.tuples(st.just("183"), st.sampled_from([f"d{i}" for i in range(5)])), max_size=3),
)
def test_folding_keeps_every_count_and_never_exceeds_the_budget(
    volumes: dict[tuple[str, str], int], declared: set[tuple[str, str]]
) -> None:
    labels = budget(declared=declared)
    labels.rerank(volumes)
    folded: Counter[tuple[str, str]] = Counter()
    for key, n in volumes.items():
        folded[labels.labels(*key)] += n
    assert sum(folded.values()) == sum(volumes.values())
    own = [k for k in folded if k[1] != "_other"]
    assert len({m for m, _ in folded}) <= 2 + 1 + 1  # two admitted, 183 declared, and _other
    assert len(own) <= len(declared) + 3 * 3
    assert all(labels.labels(*k) == k for k in declared)


def test_the_gauges_of_a_flooded_municipality_stay_small_and_exact() -> None:
    agg = Aggregation(Settings().tz, 400)
    for i in range(2_000):
        agg.add(parse_event(event_json(f"f{i}", department=f"fake-{i:04d}")))
    for i in range(30):
        agg.add(parse_event(event_json(f"r{i}", department="borgerservice", channel="email")))
    labels = budget(declared=[("183", "jobcenter")])
    registry = CollectorRegistry()
    register_state(registry, FigureKeeper(lambda: [agg], clock="event", min_interval_s=0, departments=labels).current)
    series = {
        (s.labels["department"], s.labels["channel"]): s.value
        for family in registry.collect()
        if family.name == "komhen_window_inquiries"
        for s in family.samples
        if s.labels["window"] == "7d" and s.labels["direction"] == "in"
    }
    departments = {d for d, _ in series}
    assert departments == {"borgerservice", "fake-0000", "fake-0001", "_other"}
    assert series[("borgerservice", "email")] == 30
    assert series[("_other", "phone")] == 2_000 - 2
    assert registry.get_sample_value("komhen_departments_over_budget", {"municipality": "183"}) == 2_000 + 1 - 3


def test_the_budget_settings_are_checked() -> None:
    assert load_settings({"KOMHEN_DEPARTMENTS": "183/borgerservice, 165/sundhed"}).department_list == [
        ("183", "borgerservice"),
        ("165", "sundhed"),
    ]
    assert "telephony" in Settings().source_list
    with pytest.raises(ConfigError, match="KOMHEN_SOURCES"):
        load_settings({"KOMHEN_SOURCES": "telephony,Bad Source"})
    with pytest.raises(ConfigError, match="KOMHEN_DEPARTMENTS"):
        load_settings({"KOMHEN_DEPARTMENTS": "borgerservice"})
    with pytest.raises(ConfigError, match="skal være 0"):
        load_settings({"KOMHEN_MAX_DEPARTMENTS": "-1"})
    with pytest.raises(ConfigError, match="KOMHEN_MAX_SERIES"):
        load_settings({"KOMHEN_MAX_SERIES": "5000"})
    assert json.dumps(Settings().max_departments) == "0"  # as many as the series budget holds


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, DepartmentBudget("full", 11)),  # all of Denmark admitted: 98 × 11 × 214 + 10,000 ≤ 250,000
        ({"KOMHEN_MAX_MUNICIPALITIES": "1"}, DepartmentBudget("full", 1121)),
        ({"KOMHEN_MAX_MUNICIPALITIES": "4"}, DepartmentBudget("full", 280)),
        ({"KOMHEN_MAX_DEPARTMENTS": "20"}, DepartmentBudget("lean", 20)),  # 20 only fit lean
        ({"KOMHEN_MAX_DEPARTMENTS": "200", "KOMHEN_DEPARTMENT_SERIES": "full"}, DepartmentBudget("full", 200)),
        ({"KOMHEN_DEPARTMENT_SERIES": "lean"}, DepartmentBudget("lean", 23)),
        ({"KOMHEN_MAX_SERIES": "1000000"}, DepartmentBudget("full", 47)),
    ],
)
def test_the_defaults_hold_the_series_budget_whatever_arrives(environ: dict[str, str], expected: object) -> None:
    budget = load_settings(environ).series_budget
    assert budget == expected
    settings = load_settings(environ)
    if "KOMHEN_MAX_DEPARTMENTS" not in environ and "KOMHEN_DEPARTMENT_SERIES" not in environ:
        most = settings.max_municipalities * budget.departments * SERIES_PER_DEPARTMENT[budget.series]
        assert most + DEPLOYMENT_SERIES <= settings.max_series


def test_the_exporting_worker_labels_municipalities_whose_departments_all_live_on_other_workers() -> None:
    labels = budget()
    labels.rerank({("183", "borgerservice"): 5}, whole={"183": 9, "165": 4})
    assert labels.all_labels("165") == ("165", "_all")  # its departments are on the other worker
    assert labels.all_labels("183") == ("183", "_all")
