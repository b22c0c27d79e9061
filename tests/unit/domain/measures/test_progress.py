"""Live progress: actual, glide path, met, trend and projected reach, from real day buckets."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from streams.documents.targets import load_target_file
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.totals import cells_in_range
from streams.domain.counting.windows import window_start
from streams.domain.events.inquiry import InquiryEvent
from streams.domain.measures.measures import Tally, measure_value
from streams.domain.measures.progress import (
    TREND_DAYS,
    EvaluationCache,
    TargetState,
    TargetStatus,
    evaluate_targets,
    expected_value,
    least_squares_slope,
    projected_reach,
)
from streams.domain.measures.targets import Target, TargetFile

CPH = ZoneInfo("Europe/Copenhagen")
REF = date(2025, 3, 31)
_ids = count()

TARGETS = """\
schema_version: 1
municipality: "259"
min_inquiries: 1
targets:
  - id: selvbetjening
    title: "40 % via selvbetjening"
    measure: channel_share
    numerator: {channels: [self_service]}
    scope: [_all, borgerservice, jobcenter]
    comparator: ">="
    threshold: THRESHOLD
    window: WINDOW
    deadline: 2025-05-08
    baseline: {value: 0.25, date: 2024-12-31}
    severity: warning
    owner: {team: digitalisering}
  - id: personligt
    title: "Højst 20 % personligt fremmøde"
    measure: channel_share
    numerator: {channels: [personal]}
    scope: [_all]
    comparator: "<="
    threshold: 0.2
    window: WINDOW
    severity: info
    owner: {team: borgerservice}
"""


def target_file(tmp_path: Path, window: str = "7d", threshold: str = "0.4") -> TargetFile:
    path = tmp_path / "koege.yaml"
    path.write_text(TARGETS.replace("WINDOW", window).replace("THRESHOLD", threshold), encoding="utf-8")
    return load_target_file(path)


def add(
    agg: Aggregation, day: date, channel: str, n: int, department: str = "borgerservice", municipality: str = "259"
) -> None:
    for _ in range(n):
        agg.add(
            InquiryEvent(
                event_id=f"e{next(_ids)}",
                source="test",
                occurred_at=datetime.combine(day, time(12), CPH),
                municipality=municipality,
                department=department,
                channel=channel,
                direction="in",
            )
        )


def fresh() -> Aggregation:
    return Aggregation(CPH, retention_days=800)


def test_a_steady_share_is_met_with_a_flat_trend_and_no_projection(tmp_path: Path) -> None:
    agg = fresh()
    for offset in range(40):
        day = date.fromordinal(REF.toordinal() - offset)
        add(agg, day, "self_service", 4)
        add(agg, day, "phone", 5)
        add(agg, day, "personal", 1)
    statuses = evaluate_targets(target_file(tmp_path), [agg], REF.toordinal())
    assert statuses[0] == TargetStatus(
        target_id="selvbetjening",
        municipality="259",
        department="_all",
        actual=0.4,
        threshold=0.4,
        expected=0.25 + (0.4 - 0.25) * (90 / 128),
        met=True,
        slope_per_day=0.0,
        projected_reach=None,
        inquiries=70,
        min_inquiries=1,
        state=TargetState.MET,
    )
    assert statuses[3] == TargetStatus(
        "personligt", "259", "_all", 0.1, 0.2, 0.2, True, 0.0, None, 70, 1, TargetState.MET
    )


def test_a_department_without_inquiries_has_no_value_and_other_municipalities_do_not_count(tmp_path: Path) -> None:
    agg = fresh()
    add(agg, REF, "self_service", 1)
    add(agg, REF, "phone", 3)
    add(agg, REF, "self_service", 50, department="jobcenter", municipality="183")
    statuses = evaluate_targets(target_file(tmp_path), [agg], REF.toordinal())
    by_scope = {s.department: s for s in statuses if s.target_id == "selvbetjening"}
    assert (by_scope["_all"].actual, by_scope["_all"].met) == (0.25, False)
    assert by_scope["_all"].state is TargetState.BEHIND_SCHEDULE  # 25 % against the plan's 35.5 % today
    assert (by_scope["borgerservice"].actual, by_scope["borgerservice"].met) == (0.25, False)
    assert by_scope["jobcenter"] == TargetStatus(
        "selvbetjening",
        "259",
        "jobcenter",
        None,
        0.4,
        by_scope["_all"].expected,
        None,
        None,
        None,
        0,
        1,
        TargetState.TOO_FEW_INQUIRIES,
    )


def test_departments_add_up_to_the_whole_municipality_across_aggregations(tmp_path: Path) -> None:
    one, two = fresh(), fresh()
    add(one, REF, "self_service", 3)
    add(one, REF, "phone", 2)
    add(two, REF, "self_service", 1, department="jobcenter")
    add(two, REF, "phone", 4, department="jobcenter")
    statuses = evaluate_targets(target_file(tmp_path), [one, two], REF.toordinal())
    assert [(s.department, s.actual) for s in statuses if s.target_id == "selvbetjening"] == [
        ("_all", 0.4),
        ("borgerservice", 0.6),
        ("jobcenter", 0.2),
    ]


def test_a_rising_share_has_its_slope_and_a_projected_reach_date(tmp_path: Path) -> None:
    # 128 inquiries a day; self-service grows by one a day, so the 7-day share grows by 7/896 a day.
    agg = fresh()
    first = REF.toordinal() - TREND_DAYS - 6 + 1
    for i in range(TREND_DAYS + 6):
        day = date.fromordinal(first + i)
        add(agg, day, "self_service", 20 + i)
        add(agg, day, "phone", 108 - i)
    [status, *_] = evaluate_targets(target_file(tmp_path, threshold="0.5"), [agg], REF.toordinal())
    # Window ending REF: self-service 47..53 = 350 of 896.
    assert status.actual == 350 / 896
    assert status.slope_per_day == pytest.approx(1 / 128, rel=1e-12)
    # (0.5 - 350/896) / (1/128) = 14 days.
    assert status.projected_reach == date(2025, 4, 14)


def test_the_trend_matches_windows_summed_from_scratch_for_every_day(tmp_path: Path) -> None:
    agg = fresh()
    for i in range(60):
        day = date.fromordinal(REF.toordinal() - i)
        add(agg, day, "self_service", (i * 7) % 5)
        add(agg, day, "personal", (i * 3) % 4 + 1)
        add(agg, day, "self_service", i % 3, department="jobcenter")
    targets = target_file(tmp_path, window="28d")
    target = targets.targets[0]
    expected = []
    for ref_day in range(REF.toordinal() - TREND_DAYS + 1, REF.toordinal() + 1):
        counts = cells_in_range([agg], window_start("28d", ref_day), ref_day).get(("259", "borgerservice"), Counter())
        value = measure_value(target.measure, counts, target.numerator, target.denominator, target.prices)
        if value is not None:
            expected.append((ref_day, value))
    status = evaluate_targets(targets, [agg], REF.toordinal())[1]
    assert status.department == "borgerservice"
    assert status.actual == expected[-1][1]
    assert status.slope_per_day == pytest.approx(least_squares_slope(expected), rel=1e-9)


def test_a_year_to_date_window_starts_again_on_the_first_of_january(tmp_path: Path) -> None:
    agg = fresh()
    add(agg, date(2024, 12, 30), "personal", 10)
    add(agg, date(2025, 1, 2), "personal", 1)
    add(agg, date(2025, 1, 2), "phone", 3)
    statuses = evaluate_targets(target_file(tmp_path, window="ytd"), [agg], date(2025, 1, 3).toordinal())
    [personal] = [s for s in statuses if s.target_id == "personligt"]
    assert (personal.actual, personal.met) == (0.25, False)


def glide_target(tmp_path: Path) -> Target:
    return target_file(tmp_path).targets[0]  # baseline 0.25 on 2024-12-31, 0.4 on 2025-05-08 (128 days)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 6, 1), 0.25),
        (date(2024, 12, 31), 0.25),
        (date(2025, 2, 1), 0.25 + 0.15 * 0.25),
        (date(2025, 5, 8), 0.4),
        (date(2026, 1, 1), 0.4),
    ],
)
def test_the_glide_path_runs_from_the_baseline_to_the_threshold(tmp_path: Path, day: date, expected: float) -> None:
    assert expected_value(glide_target(tmp_path), day) == expected


def test_without_a_baseline_the_expected_value_is_the_threshold(tmp_path: Path) -> None:
    assert expected_value(target_file(tmp_path).targets[1], date(2025, 1, 1)) == 0.2


@pytest.mark.parametrize(
    ("actual", "slope", "reach"),
    [
        (0.3, 0.01, date(2025, 4, 10)),  # ten days at one point a day
        (0.3, 0.003, date(2025, 5, 4)),  # 33.3 days: reached during the 34th day
        (0.45, 0.01, None),  # already met
        (0.3, -0.01, None),  # heading away
        (0.3, 0.0, None),  # flat
        (0.3, 1e-9, None),  # more than a century away
        (None, 0.01, None),
        (0.3, None, None),
    ],
)
def test_the_projected_reach_date(
    tmp_path: Path, actual: float | None, slope: float | None, reach: date | None
) -> None:
    assert projected_reach(glide_target(tmp_path), actual, slope, REF.toordinal()) == reach


@pytest.mark.parametrize(
    ("points", "slope"),
    [([], None), ([(1, 0.5)], None), ([(1, 0.0), (2, 1.0)], 1.0), ([(1, 1.0), (2, 0.0), (3, 2.0), (4, 1.0)], 0.2)],
)
def test_least_squares_slope(points: list[tuple[int, float]], slope: float | None) -> None:
    assert least_squares_slope(points) == slope


def write(tmp_path: Path, text: str, name: str = "targets.yaml") -> TargetFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_target_file(path)


SHARE = """\
schema_version: 1
municipality: "259"
min_inquiries: 20
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
  - id: selvbetjening-smaa
    title: "40 % via selvbetjening, også i små afdelinger"
    measure: channel_share
    numerator: {channels: [self_service]}
    scope: ["job*"]
    comparator: ">="
    threshold: 0.4
    window: 7d
    min_inquiries: 5
    severity: info
    owner: {team: digitalisering}
"""


def test_too_few_inquiries_give_no_verdict_and_exactly_the_minimum_does(tmp_path: Path) -> None:
    agg = fresh()
    add(agg, REF, "self_service", 10)  # borgerservice: 10 of 20, exactly the file's minimum
    add(agg, REF, "phone", 10)
    add(agg, REF, "phone", 19, department="byggeri")  # 19 inquiries, none self-service: below the minimum
    add(agg, REF, "phone", 6, department="jobcenter")  # 6: below the file's 20, above the target's own 5
    by_scope = {
        (s.target_id, s.department): s for s in evaluate_targets(write(tmp_path, SHARE), [agg], REF.toordinal())
    }
    borgerservice = by_scope[("selvbetjening", "borgerservice")]
    assert (borgerservice.inquiries, borgerservice.state, borgerservice.met) == (20, TargetState.MET, True)
    byggeri = by_scope[("selvbetjening", "byggeri")]
    assert (byggeri.actual, byggeri.inquiries, byggeri.min_inquiries) == (0.0, 19, 20)
    assert (byggeri.state, byggeri.met, byggeri.slope_per_day, byggeri.projected_reach) == (
        TargetState.TOO_FEW_INQUIRIES,
        None,
        None,
        None,
    )
    assert not byggeri.judged
    assert by_scope[("selvbetjening", "jobcenter")].state is TargetState.TOO_FEW_INQUIRIES
    jobcenter = by_scope[("selvbetjening-smaa", "jobcenter")]  # the target's own minimum of 5
    assert (jobcenter.actual, jobcenter.state) == (0.0, TargetState.MISSED)
    assert by_scope[("selvbetjening", "_all")].inquiries == 45


def test_a_pattern_scope_covers_every_department_with_inquiries_without_listing_them(tmp_path: Path) -> None:
    agg = fresh()
    for department in ("borgerservice", "jobcenter", "jobcenter-nord", "byggeri"):
        add(agg, REF - timedelta(days=20), "phone", 1, department=department)  # in the trend's days
    add(agg, REF, "phone", 1, department="skat", municipality="183")  # another municipality
    statuses = evaluate_targets(write(tmp_path, SHARE), [agg], REF.toordinal())
    assert [(s.target_id, s.department) for s in statuses] == [
        ("selvbetjening", "_all"),
        ("selvbetjening", "borgerservice"),
        ("selvbetjening", "byggeri"),
        ("selvbetjening", "jobcenter"),
        ("selvbetjening", "jobcenter-nord"),
        ("selvbetjening-smaa", "jobcenter"),
        ("selvbetjening-smaa", "jobcenter-nord"),
    ]
    assert all(s.actual is None and s.state is TargetState.TOO_FEW_INQUIRIES for s in statuses)


def test_the_trend_rests_only_on_days_whose_window_held_enough_inquiries(tmp_path: Path) -> None:
    agg = fresh()
    # Two weeks ago a single self-service inquiry (100 % on 1): the days whose window holds it alone
    # are not judged and must not pull the slope; from a week ago 20 a day at a steady 50 %.
    add(agg, REF - timedelta(days=14), "self_service", 1)
    for back in range(7):
        add(agg, REF - timedelta(days=back), "self_service", 10)
        add(agg, REF - timedelta(days=back), "phone", 10)
    [whole, *_] = evaluate_targets(write(tmp_path, SHARE), [agg], REF.toordinal())
    assert (whole.actual, whole.state) == (0.5, TargetState.MET)
    assert whole.slope_per_day == 0.0


NATIONAL_FILE = """\
schema_version: 1
municipality: "_national"
min_inquiries: 1
targets:
  - id: selvbetjening
    title: "Landet: 40 % via selvbetjening"
    measure: channel_share
    numerator: {channels: [self_service]}
    scope: [_all]
    comparator: ">="
    threshold: 0.4
    window: 7d
    severity: warning
    owner: {team: kl}
"""


def test_a_national_target_is_judged_on_the_sums_of_every_municipality(tmp_path: Path) -> None:
    one, two = fresh(), fresh()
    add(one, REF, "self_service", 3, municipality="183")
    add(one, REF, "phone", 1, municipality="183")
    add(two, REF, "self_service", 1, municipality="751", department="jobcenter")
    add(two, REF, "phone", 15, municipality="751", department="jobcenter")
    [status] = evaluate_targets(write(tmp_path, NATIONAL_FILE), [one, two], REF.toordinal())
    assert (status.municipality, status.department) == ("_national", "_all")
    assert (status.actual, status.inquiries, status.state) == (4 / 20, 20, TargetState.MISSED)


VOLUME_FILE = """\
schema_version: 1
municipality: "259"
min_inquiries: 10
targets:
  - id: information
    title: "Halvt så mange informationshenvendelser"
    measure: volume
    selection: {inquiry_types: [INFO, VEJL], channels: [phone, personal]}
    baseline_volume: {inquiries: 300, from: 2025-01-01, to: 2025-01-30}
    scope: [_all]
    comparator: "<="
    threshold: 0.5
    window: 7d
    deadline: DEADLINE
    severity: warning
    owner: {team: digitalisering}
"""


def add_typed(agg: Aggregation, day: date, channel: str, inquiry_type: str | None, n: int) -> None:
    for _ in range(n):
        agg.add(
            InquiryEvent(
                event_id=f"e{next(_ids)}",
                source="test",
                occurred_at=datetime.combine(day, time(12), CPH),
                municipality="259",
                department="borgerservice",
                channel=channel,
                direction="in",
                inquiry_type=inquiry_type,
            )
        )


@pytest.mark.parametrize(
    ("deadline", "information", "expected_value", "state"),
    [
        # 300 in 30 days: 10 a day, 70 in a 7-day window. The glide path runs from 1 on 2025-01-30
        # to 0.5 on the deadline.
        ("2025-04-30", 49, 1 - 0.5 * 60 / 90, TargetState.BEHIND_SCHEDULE),  # 0.7 against the plan's 0.667
        ("2025-04-30", 42, 1 - 0.5 * 60 / 90, TargetState.ON_SCHEDULE),  # 0.6
        ("2025-03-15", 42, 0.5, TargetState.MISSED),  # past the deadline
        ("2025-04-30", 35, 1 - 0.5 * 60 / 90, TargetState.MET),  # exactly half
        ("2025-04-30", 0, 1 - 0.5 * 60 / 90, TargetState.MET),  # none at all, with other inquiries flowing
    ],
)
def test_a_volume_target_compares_the_window_with_the_baseline_volume_of_as_many_days(
    tmp_path: Path, deadline: str, information: int, expected_value: float, state: TargetState
) -> None:
    agg = fresh()
    for back in range(7):
        day = REF - timedelta(days=back)
        add_typed(agg, day, "phone", "INFO", information // 7)
        add_typed(agg, day, "self_service", "OPRET", 2)  # not selected, but evidence that data flows
        add_typed(agg, day, "phone", "OPRET", 1)  # a transaction: not selected
        add_typed(agg, day, "email", "INFO", 1)  # a digital channel: not selected
    targets = write(tmp_path, VOLUME_FILE.replace("DEADLINE", deadline))
    [status] = evaluate_targets(targets, [agg], REF.toordinal())
    assert status.actual == information / 70
    assert status.inquiries == information + 7 * 4  # every inquiry of the scope
    assert status.expected == pytest.approx(expected_value, rel=1e-12)
    assert status.state is state


def test_a_volume_target_without_inquiries_is_not_a_success(tmp_path: Path) -> None:
    agg = fresh()
    add_typed(agg, REF, "self_service", "OPRET", 9)
    [status] = evaluate_targets(write(tmp_path, VOLUME_FILE.replace("DEADLINE", "2025-04-30")), [agg], REF.toordinal())
    assert (status.actual, status.inquiries, status.state, status.met) == (0.0, 9, TargetState.TOO_FEW_INQUIRIES, None)


def test_a_volume_over_the_year_to_date_scales_the_baseline_to_the_days_so_far(tmp_path: Path) -> None:
    agg = fresh()
    add_typed(agg, date(2025, 1, 2), "phone", "VEJL", 30)
    text = VOLUME_FILE.replace("DEADLINE", "2025-12-31").replace("window: 7d", "window: ytd")
    text = text.replace("from: 2025-01-01, to: 2025-01-30", "from: 2024-01-01, to: 2024-01-30")
    [status] = evaluate_targets(write(tmp_path, text), [agg], date(2025, 1, 3).toordinal())
    assert status.actual == 30 / (10 * 3)  # three days of the year so far


def test_a_kept_day_is_merged_again_only_when_one_of_its_buckets_changed(tmp_path: Path) -> None:
    agg = fresh()
    for back in range(3):
        add(agg, REF - timedelta(days=back), "self_service", 2)
        add(agg, REF - timedelta(days=back), "phone", 3, department="jobcenter")
    targets = target_file(tmp_path)
    cache = EvaluationCache()
    first = evaluate_targets(targets, [agg], REF.toordinal(), cache)
    assert first == evaluate_targets(targets, [agg], REF.toordinal())
    today, yesterday = cache.days[("259", REF.toordinal())][1], cache.days[("259", REF.toordinal() - 1)][1]
    tally_today = cache.tallies[("259", "selvbetjening", "_all", REF.toordinal())][1]
    assert evaluate_targets(targets, [agg], REF.toordinal(), cache) == first
    assert cache.days[("259", REF.toordinal())][1] is today  # nothing changed: nothing merged again
    assert cache.tallies[("259", "selvbetjening", "_all", REF.toordinal())][1] is tally_today
    add(agg, REF, "self_service", 5)
    changed = evaluate_targets(targets, [agg], REF.toordinal(), cache)
    assert changed == evaluate_targets(targets, [agg], REF.toordinal()) != first
    assert cache.days[("259", REF.toordinal())][1] is not today
    assert cache.days[("259", REF.toordinal() - 1)][1] is yesterday
    assert cache.tallies[("259", "selvbetjening", "_all", REF.toordinal())][1] == Tally(
        7, 10, 0.0, 10
    )  # today: 2 + 5 of 10
    assert changed[0].actual == (6 + 5) / (6 + 5 + 9)
