"""Day buckets and rolling windows: midnight, DST, the year boundary, late and duplicate events."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from streams.domain.counting.aggregation import Added, Aggregation
from streams.domain.counting.day_buckets import Cell, SealedCells
from streams.domain.counting.totals import cells_in_range, municipality_totals, window_channel_counts
from streams.domain.counting.windows import local_day, window_start, windows_containing
from streams.domain.events.inquiry import InquiryEvent
from streams.domain.measures.shares import channel_shares, first_contact_resolution
from tests.fixtures.factories import inquiry

CPH = ZoneInfo("Europe/Copenhagen")
UTC = UTC


def day(y: int, m: int, d: int) -> int:
    return date(y, m, d).toordinal()


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 20, 22, 59, 59, tzinfo=UTC), day(2026, 11, 20)),  # 23:59:59 in Copenhagen (CET)
        (datetime(2026, 11, 20, 23, 0, 0, tzinfo=UTC), day(2026, 11, 21)),  # local midnight
        (datetime(2026, 6, 20, 21, 59, tzinfo=UTC), day(2026, 6, 20)),  # 23:59 in summer time (CEST)
        (datetime(2026, 6, 20, 22, 0, tzinfo=UTC), day(2026, 6, 21)),
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), day(2026, 3, 29)),  # 01:59 CET, spring forward at 02:00
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), day(2026, 3, 29)),  # 03:00 CEST: same day, 23 hours long
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), day(2026, 10, 25)),  # 02:30 CEST, first time
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), day(2026, 10, 25)),  # 02:30 CET, second time: 25-hour day
        (datetime(2026, 10, 25, 22, 59, tzinfo=UTC), day(2026, 10, 25)),
        (datetime(2025, 12, 31, 23, 0, tzinfo=UTC), day(2026, 1, 1)),  # new year's midnight in Copenhagen
    ],
)
def test_events_fall_on_their_local_calendar_day(moment: datetime, expected: int) -> None:
    assert local_day(moment, CPH) == expected


@pytest.mark.parametrize(
    ("window", "ref", "first"),
    [
        ("7d", day(2026, 11, 20), day(2026, 11, 14)),
        ("28d", day(2026, 11, 20), day(2026, 10, 24)),
        ("365d", day(2026, 11, 20), day(2025, 11, 21)),
        ("365d", day(2024, 12, 31), day(2024, 1, 2)),  # leap year: 365 days, not a calendar year
        ("ytd", day(2026, 11, 20), day(2026, 1, 1)),
        ("ytd", day(2026, 1, 1), day(2026, 1, 1)),  # on new year's day the year so far is one day
        ("7d", day(2026, 1, 3), day(2025, 12, 28)),  # across the year boundary
    ],
)
def test_window_starts(window: str, ref: int, first: int) -> None:
    assert window_start(window, ref) == first


def test_unknown_window_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown window '30d'; expected one of 7d, 28d, 365d, ytd"):
        window_start("30d", day(2026, 1, 1))


def test_day_membership_of_windows() -> None:
    ref = day(2026, 1, 3)
    assert windows_containing(ref, ref) == ("7d", "28d", "365d", "ytd")
    assert windows_containing(day(2025, 12, 31), ref) == ("7d", "28d", "365d")
    assert windows_containing(day(2025, 12, 27), ref) == ("28d", "365d")
    assert windows_containing(day(2025, 1, 3), ref) == ()
    assert windows_containing(ref + 1, ref) == ()  # tomorrow is in no window yet


def event(
    i: int, when: datetime, channel: str = "phone", direction: str = "in", source: str = "tel", **kv: object
) -> InquiryEvent:
    return inquiry(f"e{i}", occurred_at=when, channel=channel, direction=direction, source=source, **kv)


def test_a_resent_event_is_counted_once_and_a_late_event_lands_on_its_own_day() -> None:
    agg = Aggregation(CPH, retention_days=400)
    ref = datetime(2026, 11, 20, 12, tzinfo=CPH)
    assert agg.add(event(1, ref))
    assert not agg.add(event(1, ref))  # same source and id
    assert agg.add(event(1, ref, source="other"))  # another source's id 1 is another inquiry
    assert agg.add(event(2, ref - timedelta(days=30), "self_service"))  # late: a month old
    counts = window_channel_counts([agg], local_day(ref, CPH))
    dept = ("183", "borgerservice")
    assert counts["7d"][dept] == Counter({("phone", "in"): 2})
    assert counts["28d"][dept] == Counter({("phone", "in"): 2})
    assert counts["365d"][dept] == Counter({("phone", "in"): 2, ("self_service", "in"): 1})
    assert agg.newest == ref


def test_windows_sum_buckets_exactly_across_departments_and_municipalities() -> None:
    agg = Aggregation(CPH, retention_days=400)
    ref = datetime(2026, 1, 5, 10, tzinfo=CPH)
    specs = [
        (0, "phone", "in", "borgerservice", "183"),
        (1, "self_service", "in", "borgerservice", "183"),
        (3, "digital_post", "out", "byggeri", "183"),
        (6, "letter", "out", "byggeri", "183"),
        (7, "personal", "in", "borgerservice", "183"),  # 12-29: in 28d and 365d, not 7d or ytd
        (4, "phone", "in", "borgerservice", "165"),
    ]
    for i, (days_back, channel, direction, department, municipality) in enumerate(specs):
        agg.add(
            event(
                i, ref - timedelta(days=days_back), channel, direction, department=department, municipality=municipality
            )
        )
    counts = window_channel_counts([agg], local_day(ref, CPH))
    assert counts["7d"][("183", "borgerservice")] == Counter({("phone", "in"): 1, ("self_service", "in"): 1})
    assert counts["ytd"][("183", "byggeri")] == Counter({("digital_post", "out"): 1})  # 1-5 January only
    assert counts["28d"][("183", "borgerservice")][("personal", "in")] == 1
    assert counts["ytd"][("183", "borgerservice")][("personal", "in")] == 0
    totals = municipality_totals(counts["7d"])
    assert totals == {
        "183": Counter(
            {("phone", "in"): 1, ("self_service", "in"): 1, ("digital_post", "out"): 1, ("letter", "out"): 1}
        ),
        "165": Counter({("phone", "in"): 1}),
    }


def test_joint_cells_keep_every_komhen_dimension() -> None:
    agg = Aggregation(CPH, retention_days=400)
    when = datetime(2026, 11, 20, 9, tzinfo=CPH)
    agg.add(event(1, when, inquiry_type="OPRET", kle="23.05.10", completion="immediate", form=True))
    agg.add(event(2, when, inquiry_type="OPRET", kle="23.05.10", completion="immediate", form=True))
    agg.add(event(3, when, "self_service", inquiry_type="STATUS", kle="23.05.10"))
    cells = cells_in_range([agg], local_day(when, CPH), local_day(when, CPH))
    assert cells == {
        ("183", "borgerservice"): Counter(
            {
                Cell("phone", "in", "OPRET", "23.05.10", "immediate", True): 2,
                Cell("self_service", "in", "STATUS", "23.05.10", None, None): 1,
            }
        )
    }


def test_buckets_older_than_the_retention_are_dropped() -> None:
    agg = Aggregation(CPH, retention_days=400)
    ref = datetime(2026, 11, 20, 12, tzinfo=CPH)
    agg.add(event(1, ref - timedelta(days=400)))
    agg.add(event(2, ref - timedelta(days=401)))
    assert agg.prune(local_day(ref, CPH)) == 1
    assert [d for _, d, _ in agg.days()] == [local_day(ref - timedelta(days=400), CPH)]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            {("phone", "in"): 3, ("self_service", "in"): 1, ("digital_post", "out"): 2},
            {
                ("phone", "in"): 0.75,
                ("self_service", "in"): 0.25,
                ("personal", "in"): 0.0,
                ("digital_post", "out"): 1.0,
            },
        ),
        ({("digital_post", "out"): 1}, {("digital_post", "out"): 1.0}),  # no incoming: no incoming shares
        ({}, {}),
    ],
)
def test_shares_are_within_the_same_direction(
    counts: dict[tuple[str, str], int], expected: dict[tuple[str, str], float]
) -> None:
    pairs = (("phone", "in"), ("self_service", "in"), ("personal", "in"), ("digital_post", "out"))
    assert channel_shares(counts, pairs) == expected


def test_compacted_days_still_recognise_duplicates_and_accept_late_events() -> None:
    agg = Aggregation(CPH, retention_days=400)
    ref = datetime(2026, 11, 20, 12, tzinfo=CPH)
    for i in range(100):
        assert agg.add(event(i, ref - timedelta(days=i % 3)))
    assert agg.compact(local_day(ref, CPH)) == 2  # the two days before the reference day
    assert [not agg.add(event(i, ref - timedelta(days=i % 3))) for i in range(100)] == [True] * 100
    assert agg.add(event(1000, ref - timedelta(days=2)))  # a late event for a compacted day
    assert not agg.add(event(1000, ref - timedelta(days=2)))
    assert agg.compact(local_day(ref, CPH)) == 1
    assert not agg.add(event(1000, ref - timedelta(days=2)))
    counts = window_channel_counts([agg], local_day(ref, CPH))
    assert counts["7d"][("183", "borgerservice")] == Counter({("phone", "in"): 101})


def test_a_sealed_day_reads_like_an_open_one_and_unseals_for_a_late_event() -> None:
    agg = Aggregation(CPH, retention_days=400)
    ref = datetime(2026, 11, 20, 12, tzinfo=CPH)
    kinds: list[dict[str, Any]] = [
        dict(channel="phone", inquiry_type="OPRET", kle="23.05.10", completion="immediate", form=True),
        dict(channel="self_service", inquiry_type="STATUS", kle="27.12.00"),
        dict(channel="personal", completion="forwarded"),
    ]
    for i in range(30):
        agg.add(event(i, ref - timedelta(days=1), **kinds[i % 3]))
    bucket = agg.buckets[("183", "borgerservice")][local_day(ref, CPH) - 1]
    before = (dict(bucket.cells), dict(bucket.channels), dict(bucket.completions))

    assert agg.compact(local_day(ref, CPH)) == 1
    assert type(bucket.cells) is SealedCells
    assert (dict(bucket.cells), dict(bucket.channels), dict(bucket.completions)) == before
    assert dict(bucket.cells.items()) == before[0]
    assert bucket.cells[Cell("phone", "in", "OPRET", "23.05.10", "immediate", True)] == 10
    with pytest.raises(KeyError):
        bucket.cells[Cell("phone", "in", "INFO", None, None, None)]
    assert agg.compact(local_day(ref, CPH)) == 0  # nothing left to seal

    assert agg.add(event(99, ref - timedelta(days=1), **kinds[0]))
    assert type(bucket.cells) is dict
    assert bucket.cells[Cell("phone", "in", "OPRET", "23.05.10", "immediate", True)] == 11
    assert bucket.channels[("phone", "in")] == 11
    assert cells_in_range([agg], 0, local_day(ref, CPH))[("183", "borgerservice")].total() == 31


def brute_force_windows(agg: Aggregation, ref_day: int) -> dict[str, dict[tuple[str, str], Counter[object]]]:
    out: dict[str, dict[tuple[str, str], Counter[object]]] = {w: {} for w in ("7d", "28d", "365d", "ytd")}
    for dept, days in agg.buckets.items():
        for w in out:
            out[w][dept] = Counter()
        for d, bucket in days.items():
            for w in windows_containing(d, ref_day):
                out[w][dept].update(bucket.channels)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_kept_window_sums_of_settled_days_always_equal_a_full_recount(seed: int) -> None:
    """Late events, summaries replacing buckets, pruning and a moving reference day, in random order."""
    rnd = random.Random(seed)
    agg = Aggregation(CPH, retention_days=400)
    start = datetime(2026, 1, 10, 12, tzinfo=CPH)
    channels = ["phone", "personal", "self_service", "email"]
    for step in range(400):
        ref = start + timedelta(days=rnd.randrange(0, 3) + step // 40)
        action = rnd.random()
        if action < 0.8:
            when = ref - timedelta(days=rnd.choice([0, 0, 1, 2, 5, 30, 200, 390]))
            agg.add(event(step, when, rnd.choice(channels), department=rnd.choice(["a", "b", "c"])))
        elif action < 0.9:
            cells = {Cell(rnd.choice(channels), "in", None, None, None, None): rnd.randrange(1, 5)}
            agg.put_bucket(("183", rnd.choice(["a", "d"])), local_day(ref, CPH) - rnd.randrange(0, 60), cells)
        else:
            agg.prune(local_day(ref, CPH) + rnd.randrange(0, 30))
        if step % 7 == 0:
            ref_day = local_day(ref, CPH)
            assert window_channel_counts([agg], ref_day) == brute_force_windows(agg, ref_day)


@pytest.mark.parametrize(
    ("completions", "expected"),
    [
        ({("phone", "immediate"): 3, ("phone", "forwarded"): 1, ("personal", "immediate"): 4}, 7 / 8),
        ({("chat", "immediate"): 5, ("personal", "forwarded"): 1}, 0.0),  # chat is not a KOMHEN first contact
        ({("email", "forwarded"): 2}, None),  # no phone or personal inquiry recorded a completion
    ],
)
def test_first_contact_resolution_is_straks_among_phone_and_personal(
    completions: dict[tuple[str, str], int], expected: float | None
) -> None:
    assert first_contact_resolution(completions) == expected


def test_after_a_reset_an_event_counted_before_rebuilds_the_counts_but_is_not_new() -> None:
    agg = Aggregation(CPH, retention_days=400)
    when = datetime(2026, 11, 20, 9, tzinfo=CPH)
    assert agg.add(event(1, when)) is Added.NEW
    agg.reset()
    assert agg.buckets == {} and agg.take_changed() == {(("183", "borgerservice"), local_day(when, CPH))}
    assert agg.add(event(1, when)) is Added.RECOUNTED
    assert agg.add(event(1, when)) is Added.DUPLICATE
    assert agg.add(event(2, when)) is Added.NEW
    counts = window_channel_counts([agg], local_day(when, CPH))
    assert counts["7d"][("183", "borgerservice")] == Counter({("phone", "in"): 2})
