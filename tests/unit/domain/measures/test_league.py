"""The national view: sums for the country, mean and median for the average municipality, league tables."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from fractions import Fraction

import pytest

from streams.documents.reference import measure_book
from streams.domain.counting.aggregation import Aggregation
from streams.domain.measures.league import (
    LeagueMeasure,
    evaluate,
    league_over_days,
    league_tables,
    percentile,
    ranks,
)
from streams.domain.report.model import ReportRequest, build_status_report
from streams.domain.report.national_section import national_reference
from streams.domain.report.periods import Period, preceding
from streams.generators.status.csv import csv_files
from streams.generators.status.html import render_html
from tests.fixtures.factories import TZ, inquiry
from tests.fixtures.report_tables import csv_rows, html_table

BOOK = measure_book()

# (channel, direction) counts per municipality. Ishøj-sized numbers are not needed: the shares are
# chosen so that every mean and median is a binary fraction and compares exactly.
CHANNELS: dict[str, Counter[tuple[str, str]]] = {
    "101": Counter(
        {
            ("self_service", "in"): 6,
            ("phone", "in"): 8,
            ("personal", "in"): 2,
            ("digital_post", "out"): 3,
            ("letter", "out"): 1,
        }
    ),
    "147": Counter(
        {
            ("self_service", "in"): 2,
            ("phone", "in"): 4,
            ("personal", "in"): 2,
            ("digital_post", "out"): 1,
            ("letter", "out"): 1,
        }
    ),
    "183": Counter({("self_service", "in"): 4, ("phone", "in"): 2, ("personal", "in"): 2, ("digital_post", "out"): 4}),
    "751": Counter({("self_service", "in"): 8, ("phone", "in"): 24, ("digital_post", "out"): 6, ("letter", "out"): 2}),
    "825": Counter({("self_service", "in"): 2}),  # Læsø: too few to be ranked on anything
}
COMPLETIONS: dict[str, Counter[tuple[str, str]]] = {
    "101": Counter({("phone", "immediate"): 6, ("phone", "forwarded"): 2}),  # 3/4
    "147": Counter({("phone", "immediate"): 2, ("personal", "immediate"): 2, ("personal", "forwarded"): 4}),  # 1/2
    "183": Counter({("phone", "immediate"): 1, ("personal", "immediate"): 1}),  # 2 only: not ranked
    "751": Counter({("phone", "immediate"): 4, ("phone", "forwarded"): 12, ("chat", "immediate"): 5}),  # 1/4
}
MIN = 8


def test_the_national_aggregate_is_the_measure_of_the_sums_not_an_average_of_shares() -> None:
    tables = league_tables(CHANNELS, COMPLETIONS, MIN, book=BOOK)
    self_service = tables[LeagueMeasure.SELF_SERVICE]
    # 22 self-service of 66 incoming in the whole deployment, Læsø's 2 included.
    assert self_service.national == 22 / 66
    assert self_service.national_inquiries == 66
    # The average municipality: mean and median of the four ranked municipalities' shares.
    assert self_service.mean == (0.375 + 0.25 + 0.5 + 0.25) / 4 == 0.34375
    assert self_service.median == (0.25 + 0.375) / 2 == 0.3125
    assert self_service.national != self_service.mean
    outgoing = tables[LeagueMeasure.DIGITAL_POST_OUT]
    assert outgoing.national == 14 / 18
    # Only Aarhus has 8 outgoing inquiries: the average municipality is Aarhus alone.
    assert (outgoing.mean, outgoing.median) == (6 / 8, 6 / 8)
    first_contact = tables[LeagueMeasure.FIRST_CONTACT_RESOLUTION]
    # STRAKS / recorded among phone and personal only: chat is not a first-contact channel.
    assert first_contact.national == 16 / 34
    assert first_contact.national_inquiries == 34
    assert (first_contact.mean, first_contact.median) == ((0.75 + 0.5 + 0.25) / 3, 0.5)


def test_cost_per_inquiry_nationally_is_the_kl_price_of_all_priced_inquiries() -> None:
    cost = league_tables(CHANNELS, COMPLETIONS, MIN, book=BOOK)[LeagueMeasure.COST_PER_INQUIRY]
    prices = {"self_service": 5, "phone": 40, "personal": 75, "letter": 60}
    total = Counter[tuple[str, str]]()
    for counts in CHANNELS.values():
        total.update(counts)
    priced = {k: n for k, n in total.items() if k[0] in prices}
    assert cost.national == float(Fraction(sum(prices[c] * n for (c, _), n in priced.items()), sum(priced.values())))
    assert cost.national_inquiries == sum(priced.values()) == 70  # Digital Post has no KL price
    assert cost.standings["183"].value == float(Fraction(4 * 5 + 2 * 40 + 2 * 75, 8))


def test_ranks_put_the_best_first_share_ties_and_skip_the_next_rank() -> None:
    tables = league_tables(CHANNELS, COMPLETIONS, MIN, book=BOOK)
    self_service = tables[LeagueMeasure.SELF_SERVICE]
    assert {m: (s.rank, s.percentile) for m, s in self_service.standings.items()} == {
        "183": (1, 1.0),
        "101": (2, 2 / 3),
        "147": (3, 1 / 3),
        "751": (3, 1 / 3),
        "825": (None, None),
    }
    assert [s.municipality for s in self_service.table()] == ["183", "101", "147", "751", "825"]
    assert self_service.ranked == 4
    personal = tables[LeagueMeasure.PERSONAL]  # lower is better: Aarhus has no personal attendance
    assert {m: s.rank for m, s in personal.standings.items()} == {
        "101": 2,
        "147": 3,
        "183": 3,
        "751": 1,
        "825": None,
    }
    assert personal.standings["751"].value == 0.0


def test_too_few_inquiries_keep_the_value_but_get_no_rank_and_stay_out_of_the_averages() -> None:
    tables = league_tables(CHANNELS, COMPLETIONS, MIN, book=BOOK)
    laesoe = tables[LeagueMeasure.SELF_SERVICE].standings["825"]
    assert (laesoe.value, laesoe.inquiries, laesoe.rank, laesoe.percentile) == (1.0, 2, None, None)
    outgoing = tables[LeagueMeasure.DIGITAL_POST_OUT].standings
    assert {m: (s.value, s.inquiries, s.rank) for m, s in outgoing.items()} == {
        "101": (3 / 4, 4, None),
        "147": (1 / 2, 2, None),
        "183": (1.0, 4, None),
        "751": (6 / 8, 8, 1),
    }  # Læsø sent nothing: it has no standing at all on outgoing Digital Post
    assert tables[LeagueMeasure.FIRST_CONTACT_RESOLUTION].standings["183"].rank is None  # 2 recorded


def test_nothing_is_ranked_when_every_municipality_has_too_few() -> None:
    tables = league_tables(CHANNELS, COMPLETIONS, min_inquiries=1000, book=BOOK)
    for table in tables.values():
        assert table.ranked == 0 and table.mean is None and table.median is None
    assert tables[LeagueMeasure.SELF_SERVICE].national == 22 / 66  # the sums do not need a minimum


def test_an_empty_deployment_has_no_values() -> None:
    tables = league_tables({}, {}, MIN, book=BOOK)
    assert all(t.national is None and t.national_inquiries == 0 and not t.standings for t in tables.values())


@pytest.mark.parametrize(
    ("values", "higher", "expected"),
    [
        ({"a": 0.5, "b": 0.25, "c": 0.75}, True, {"c": 1, "a": 2, "b": 3}),
        ({"a": 0.5, "b": 0.25, "c": 0.75}, False, {"b": 1, "a": 2, "c": 3}),
        ({"a": 1.0, "b": 1.0, "c": 0.5, "d": 0.5, "e": 0.1}, True, {"a": 1, "b": 1, "c": 3, "d": 3, "e": 5}),
        ({"a": 2 / 6, "b": 1 / 3}, True, {"a": 1, "b": 1}),  # equal fractions are equal floats
    ],
)
def test_competition_ranks(values: dict[str, float], higher: bool, expected: dict[str, int]) -> None:
    assert ranks(values, higher) == expected


@pytest.mark.parametrize(("rank", "ranked", "expected"), [(1, 1, 1.0), (1, 5, 1.0), (5, 5, 0.0), (2, 5, 0.75)])
def test_percentile_is_the_share_of_the_others_a_municipality_is_at_least_as_good_as(
    rank: int, ranked: int, expected: float
) -> None:
    assert percentile(rank, ranked) == expected


def test_every_measure_of_one_place() -> None:
    got = evaluate(CHANNELS["101"], COMPLETIONS["101"], book=BOOK)
    assert {k: (v.value, v.inquiries) for k, v in got.items()} == {
        LeagueMeasure.SELF_SERVICE: (6 / 16, 16),
        LeagueMeasure.DIGITAL: (6 / 16, 16),
        LeagueMeasure.PERSONAL: (2 / 16, 16),
        LeagueMeasure.PAPER: (1 / 20, 20),
        LeagueMeasure.DIGITAL_POST_OUT: (3 / 4, 4),
        LeagueMeasure.FIRST_CONTACT_RESOLUTION: (6 / 8, 8),
        LeagueMeasure.COST_PER_INQUIRY: ((6 * 5 + 8 * 40 + 2 * 75 + 1 * 60) / 17, 17),
    }


def test_a_period_of_day_buckets_gives_the_same_league_as_its_counts() -> None:
    """What the status report calls: any range of days over the aggregations, not only the windows."""
    first, last = date(2026, 11, 2), date(2026, 11, 8)
    aggregations = [Aggregation(TZ, 400), Aggregation(TZ, 400)]  # two workers' partitions
    k = 0
    for municipality, counts in sorted(CHANNELS.items()):
        for (channel, direction), n in counts.items():
            for j in range(n):
                k += 1
                event = inquiry(
                    f"e{k}",
                    municipality=municipality,
                    department=f"afd{j % 3}",
                    channel=channel,
                    direction=direction,
                    occurred_at=f"2026-11-{2 + j % 7:02d}T10:00:00+01:00",
                )
                aggregations[j % 3 % 2].add(event)  # a department lives on one partition
    # Inquiries before and after the period change nothing.
    for day in ("01", "09"):
        aggregations[0].add(inquiry(f"outside-{day}", municipality="101", occurred_at=f"2026-11-{day}T10:00:00+01:00"))
    got = league_over_days(aggregations, first.toordinal(), last.toordinal(), MIN, book=BOOK)
    assert got == league_tables(CHANNELS, {}, MIN, book=BOOK)


def test_the_status_report_can_compare_with_the_country_or_the_average_municipality_of_its_period() -> None:
    aggregations = [Aggregation(TZ, 400)]
    k = 0
    for municipality, counts in sorted(CHANNELS.items()):
        for (channel, direction), n in counts.items():
            for _ in range(n):
                k += 1
                aggregations[0].add(inquiry(f"r{k}", municipality=municipality, channel=channel, direction=direction))
    day = date(2026, 11, 20).toordinal()
    country = national_reference(aggregations, day, day, "national", MIN, book=BOOK)
    assert country.name == "Hele landet (summen)"
    assert country.values["self_service_share"] == 22 / 66
    assert country.values["digital_post_out_share"] == 14 / 18
    assert "first_contact_resolution" not in country.values  # no completions in this period
    average = national_reference(aggregations, day, day, "mean", MIN, book=BOOK)
    assert (average.name, average.values["self_service_share"]) == ("Gennemsnitskommunen", 0.34375)
    assert national_reference(aggregations, day, day, "median", MIN, book=BOOK).values["self_service_share"] == 0.3125
    assert average.source == (
        "komhen-live: gennemsnitskommunen af kommunerne med mindst 8 henvendelser bag hvert tal i perioden "
        "(op til 4 af 5)"
    )
    nothing = national_reference(aggregations, day - 10, day - 1, "national", MIN, book=BOOK)
    assert nothing.values == {}


def _counted(period_counts: dict[str, Counter[tuple[str, str]]], first: date, aggregation: Aggregation) -> None:
    """Each municipality's (channel, direction) counts spread over the 7 days from `first`."""
    for municipality, counts in sorted(period_counts.items()):
        for (channel, direction), n in counts.items():
            for j in range(n):
                day = first.toordinal() + j % 7
                aggregation.add(
                    inquiry(
                        f"{first}-{municipality}-{channel}-{direction}-{j}",
                        municipality=municipality,
                        channel=channel,
                        direction=direction,
                        occurred_at=f"{date.fromordinal(day).isoformat()}T10:00:00+01:00",
                    )
                )


def test_the_status_report_places_the_municipality_now_and_in_the_comparison_period() -> None:
    """Ishøj went from last to first on self-service: the report's league table, worked out by hand."""
    period = Period(date(2026, 11, 2), date(2026, 11, 8))
    earlier = {**CHANNELS, "183": Counter({("self_service", "in"): 1, ("phone", "in"): 9, ("personal", "in"): 2})}
    earlier["183"][("digital_post", "out")] = 4
    aggregation = Aggregation(TZ, 400)
    _counted(CHANNELS, period.first, aggregation)
    _counted(earlier, preceding(period).first, aggregation)
    request = ReportRequest(
        municipality="183", period=period, comparison=preceding(period), league_min_inquiries=MIN, book=BOOK
    )
    report = build_status_report([aggregation], request)

    table = html_table(render_html(report, source="test", generated=datetime(2026, 11, 9, tzinfo=TZ)), "01-placering")
    assert table.header == [
        "Mål",
        "Værdi",
        "Plads",
        "Af",
        "Plads før",
        "Af før",
        "Pladser frem",
        "Hele landet",
        "Gns.-kommunen",
        "Henvendelser",
    ]
    rows = {row[0]: row[1:] for row in table.rows}
    # 4/8 self-service beats 101's 6/16 and the tie of 147 and 751 (1/4); before: 1/12, last of four. Læsø's
    # 2 inquiries are too few to be ranked. The country 22/66; the average of the four ranked 0.34375.
    assert rows["Selvbetjening"] == ["50,0 %", "1", "4", "4", "4", "+3", "33,3 %", "34,4 %", "8"]
    # Lower is better: 751 has none, 101 2/16, then 147 and 183 share third (2/8); before 183's 2/12 was third too.
    assert rows["Personligt fremmøde"] == ["25,0 %", "3", "4", "3", "4", "±0", "9,1 %", "15,6 %", "8"]
    # 4 outgoing are below the minimum of 8 in both periods; so are 101's 4 and 147's 2: 751 (6/8) alone is ranked.
    assert rows["Udgående Digital Post"] == [
        "100,0 %",
        "for få henvendelser",
        "1",
        "–",
        "1",
        "–",
        "77,8 %",
        "75,0 %",
        "4",
    ]
    assert rows["Straksafklaring"] == ["–", "–", "0", "–", "0", "–", "–", "–", "0"]  # no completions recorded
    csv = csv_files(report)["01-placering.csv"]
    assert csv_rows(csv)[1] == ["Selvbetjening", "50,0", "1", "4", "4", "4", "3", "33,3", "34,4", "8"]


def test_a_report_of_the_only_municipality_has_no_league() -> None:
    aggregation = Aggregation(TZ, 400)
    period = Period(date(2026, 11, 2), date(2026, 11, 8))
    _counted({"183": CHANNELS["183"]}, period.first, aggregation)
    report = build_status_report([aggregation], ReportRequest("183", period, preceding(period), book=BOOK))
    assert report.league == ()
    assert "01-placering.csv" not in csv_files(report)
    assert "Placering blandt kommunerne" not in render_html(report, source="test", generated=datetime(2026, 11, 9))
