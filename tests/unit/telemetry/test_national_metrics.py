"""The national view in /metrics: exported once, from the global view, with exact sums, averages and ranks."""

from __future__ import annotations

from collections import Counter
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest

from streams.dev.live_table import parse_national, render_national
from streams.documents.reference import code_table
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.summaries import GlobalView, summaries_of
from streams.telemetry.collectors import FigureKeeper, register_state
from streams.telemetry.exposition import exposition
from streams.telemetry.labels import DepartmentLabels
from tests.fixtures.factories import TZ, inquiry
from tests.unit.domain.measures.test_league import CHANNELS, COMPLETIONS, MIN

WINDOW = {"window": "7d"}


def aggregations() -> list[Aggregation]:
    """The league fixture as events of one day in two departments, each on its own worker's partition."""
    out = [Aggregation(TZ, 400), Aggregation(TZ, 400)]
    k = 0
    for municipality in sorted(CHANNELS):
        done = Counter(COMPLETIONS.get(municipality, Counter()))
        for (channel, direction), n in CHANNELS[municipality].items():
            for j in range(n):
                k += 1
                completion = None
                if direction == "in" and channel in ("phone", "personal"):
                    for how in ("immediate", "forwarded"):
                        if done[(channel, how)] > 0:
                            done[(channel, how)] -= 1
                            completion = how
                            break
                event = inquiry(
                    f"e{k}",
                    municipality=municipality,
                    department=("borgerservice", "jobcenter")[j % 2],  # a department lives on one partition
                    channel=channel,
                    direction=direction,
                    completion=completion,
                )
                out[j % 2].add(event)
    return out


def view_of(local: list[Aggregation]) -> GlobalView:
    """The whole municipality's view, as the summaries of `local` build it on the exporting worker."""
    view = GlobalView(Aggregation(TZ, 400), code_table())
    for aggregation in local:
        for key, value in summaries_of(aggregation, aggregation.take_changed()):
            view.apply(key, value)
    return view


def registry_with(view: GlobalView | None, local: list[Aggregation], **options: Any) -> CollectorRegistry:
    """A registry with the state collector over `local` (and the view, if this worker exports)."""
    registry = CollectorRegistry()
    state = FigureKeeper(
        lambda: local,
        clock="event",
        municipality_view=(lambda: view.aggregation) if view else (lambda: None),
        min_interval_s=0,
        league_min_inquiries=MIN,
        **options,
    )
    register_state(registry, state.current)
    return registry


def exporting_registry(**options: Any) -> CollectorRegistry:
    local = aggregations()
    return registry_with(view_of(local), local, **options)


def test_the_national_counts_and_shares_are_the_sums_of_every_municipality() -> None:
    registry = exporting_registry()

    def national(metric: str, channel: str, direction: str = "in") -> float | None:
        return registry.get_sample_value(metric, {"channel": channel, "direction": direction, **WINDOW})

    assert national("komhen_national_window_inquiries", "self_service") == 22
    assert national("komhen_national_window_inquiries", "phone") == 38
    assert national("komhen_national_window_inquiries", "sms", "out") == 0
    assert national("komhen_national_channel_share", "self_service") == 22 / 66
    assert national("komhen_national_channel_share", "digital_post", "out") == 14 / 18
    assert registry.get_sample_value("komhen_national_measure", {"measure": "self_service", **WINDOW}) == 22 / 66


def test_the_average_municipality_is_the_mean_and_median_of_the_ranked_ones() -> None:
    registry = exporting_registry()

    def average(measure: str, statistic: str) -> float | None:
        labels = {"measure": measure, "statistic": statistic, **WINDOW}
        return registry.get_sample_value("komhen_municipality_average", labels)

    assert average("self_service", "mean") == 0.34375
    assert average("self_service", "median") == 0.3125
    assert average("first_contact_resolution", "mean") == 0.5
    assert average("digital_post_out", "median") == 0.75


def test_each_municipality_has_its_value_rank_and_percentile_and_too_few_have_no_rank() -> None:
    registry = exporting_registry()

    def place(metric: str, municipality: str, measure: str = "self_service") -> float | None:
        return registry.get_sample_value(metric, {"municipality": municipality, "measure": measure, **WINDOW})

    assert [place("komhen_league_rank", m) for m in ("183", "101", "147", "751", "825")] == [1, 2, 3, 3, None]
    assert place("komhen_league_percentile", "101") == 2 / 3
    assert place("komhen_municipality_measure", "825") == 1.0  # Læsø's 2 of 2: shown, not ranked
    assert place("komhen_league_rank", "751", "digital_post_out") == 1
    assert place("komhen_league_rank", "183", "digital_post_out") is None
    ranked = {"measure": "self_service", **WINDOW}
    assert registry.get_sample_value("komhen_league_ranked_municipalities", ranked) == 4
    assert registry.get_sample_value("komhen_league_min_inquiries") == MIN


def test_the_national_view_is_exported_only_by_the_worker_with_the_global_view() -> None:
    text = generate_latest(registry_with(None, aggregations())).decode()
    assert "komhen_national_" not in text and "komhen_league_" not in text and "komhen_municipality_" not in text
    assert "komhen_window_inquiries{" in text  # the departments of its own partitions


def test_the_national_view_stays_within_a_few_series_per_municipality() -> None:
    text = generate_latest(exporting_registry()).decode()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    league = [line for line in lines if line.startswith(("komhen_league_", "komhen_municipality_", "komhen_national_"))]
    # 4 windows × (20 channel-direction pairs × 2 + 7 measures × (national, mean, median, ranked)
    # + 5 municipalities × 7 measures × (value, rank, percentile) at most) + the minimum.
    assert len(league) <= 4 * (20 * 2 + 7 * 4 + 5 * 7 * 3) + 1


def test_lean_departments_export_the_counts_of_the_pairs_they_used_and_no_shares() -> None:
    registry = exporting_registry(department_series="lean")
    text = generate_latest(registry).decode()
    department = {"municipality": "183", "department": "borgerservice", **WINDOW}
    # Ishøj's borgerservice used self-service, phone and personal in and Digital Post out: only those.
    exported = {
        (line.split('channel="')[1].split('"')[0], line.split('direction="')[1].split('"')[0])
        for line in text.splitlines()
        if line.startswith("komhen_window_inquiries{")
        and 'department="borgerservice"' in line
        and 'municipality="183"' in line
        and 'window="7d"' in line
    }
    assert exported == {("self_service", "in"), ("phone", "in"), ("personal", "in"), ("digital_post", "out")}
    assert (
        registry.get_sample_value("komhen_window_inquiries", {**department, "channel": "phone", "direction": "in"}) == 1
    )
    assert (
        registry.get_sample_value("komhen_channel_share", {**department, "channel": "phone", "direction": "in"}) is None
    )
    # The whole municipality keeps every pair and its shares.
    whole = {**department, "department": "_all", "channel": "sms", "direction": "out"}
    assert registry.get_sample_value("komhen_window_inquiries", whole) == 0
    assert (
        registry.get_sample_value("komhen_channel_share", {**whole, "channel": "self_service", "direction": "in"})
        == 0.5
    )


def test_the_demo_table_shows_the_country_the_average_municipality_and_the_league() -> None:
    snapshot = parse_national(exposition(exporting_registry()).decode(), "7d")
    assert snapshot.values["825"] == 1.0 and "825" not in snapshot.ranks
    assert (snapshot.national, snapshot.mean, snapshot.median, snapshot.minimum) == (22 / 66, 0.34375, 0.3125, MIN)
    assert snapshot.totals["183"] == 12  # 8 incoming and 4 outgoing
    table = render_national(snapshot, "7d", shown=1)
    assert table.splitlines() == [
        "Selvbetjening, 7 dage: 5 kommuner, 4 rangeret (mindst 8 indgående henvendelser)",
        "Hele landet (summen): 33,3 %   Gennemsnitskommunen: 34,4 % (median 31,2 %)",  # 31,25 rounded half to even
        "Plads  Kommune                   Selvbetj.     Henv.",
        "----------------------------------------------------",
        "    1  Ishøj                        50,0 %        12",
        "    …",
        "    3  Aarhus                       25,0 %        40",
        "Talt siden start: 0",
    ]


def test_the_national_view_reads_the_state_not_the_label_budget() -> None:
    """Municipalities beyond KOMHEN_MAX_MUNICIPALITIES share `_other` labels, yet are summed and ranked."""
    registry = exporting_registry(departments=DepartmentLabels(max_municipalities=2))

    def rank(municipality: str) -> float | None:
        labels = {"municipality": municipality, "measure": "self_service", **WINDOW}
        return registry.get_sample_value("komhen_league_rank", labels)

    assert [rank(m) for m in ("183", "101", "147", "751", "825")] == [1, 2, 3, 3, None]
    assert (
        registry.get_sample_value("komhen_league_rank", {"municipality": "_other", "measure": "self_service", **WINDOW})
        is None
    )
    national = {"channel": "self_service", "direction": "in", **WINDOW}
    assert registry.get_sample_value("komhen_national_window_inquiries", national) == 22
    whole_other = {
        "municipality": "_other",
        "department": "_all",
        "channel": "self_service",
        "direction": "in",
        **WINDOW,
    }
    assert registry.get_sample_value("komhen_window_inquiries", whole_other) is not None  # the labels are folded


def test_the_national_table_says_how_far_counting_has_come_while_it_waits() -> None:
    waiting = parse_national('komhen_inquiries_total{municipality="183"} 12175\n', "7d")
    assert render_national(waiting, "7d") == (
        "Venter på landsoversigten (den eksporteres af workeren med partition 0): 12.175 henvendelser talt indtil nu …"
    )
    assert render_national(parse_national("", "7d"), "7d") == (
        "Venter på landsoversigten (den eksporteres af workeren med partition 0) …"
    )
