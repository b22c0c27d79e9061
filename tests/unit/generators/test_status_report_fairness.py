"""The status report compares fairly and says so: periods counting began inside of, partial weeks, long titles.

The worker's `/` page of Monday 23 November 2015 over the fixture (counted from Monday 12 October)
compares the last 28 days with 28 days of which 15 hold counts: the counts and the total price are
not compared, the shares are, and the page says why. A week of one day is a ring of its own in the
trend, marked and explained. Long target titles wrap before their verdict.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from streams.documents.reference import measure_book, municipality_table
from streams.documents.targets import load_target_files
from streams.domain.counting.aggregation import Aggregation
from streams.domain.events.inquiry import InquiryEvent
from streams.domain.report.model import ReportRequest, build_status_report
from streams.domain.report.periods import Coverage, Period, counting_weeks, preceding
from streams.generators.status import svg
from streams.generators.status.html import coverage_note, render_html
from streams.generators.status.live import LiveInputs, live_page
from streams.generators.status.tables import Fmt, Num, html_number
from tests.fixtures.factories import TZ, inquiry, parse_event
from tests.fixtures.report_tables import html_table
from tests.fixtures.status import DATA, events

ISHOEJ = municipality_table().official_name_of("183")

MONDAY = date(2015, 11, 23)
NOW = datetime(2015, 11, 23, 12, 0, tzinfo=TZ)


def fixture_state(*extra: InquiryEvent) -> Aggregation:
    aggregation = Aggregation(TZ, 400)
    for event in [*map(parse_event, events()), *extra]:
        aggregation.add(event)
    return aggregation


def monday_page(aggregation: Aggregation) -> str:
    page = live_page(
        [aggregation], municipality=None, ref_day=MONDAY.toordinal(), inputs=LiveInputs(), now=NOW, source="test"
    )
    assert page.status == 200
    return page.html


@pytest.fixture(scope="module")
def monday() -> str:
    return monday_page(fixture_state())


def test_coverage_counts_the_days_on_or_after_the_day_counting_began() -> None:
    began = date(2015, 10, 12)
    assert Coverage.of(date(2015, 9, 29), date(2015, 10, 26), began) == Coverage(28, 15)
    assert Coverage.of(date(2015, 10, 27), date(2015, 11, 23), began) == Coverage(28, 28)
    assert Coverage.of(date(2015, 9, 1), date(2015, 9, 28), began) == Coverage(28, 0)
    assert Coverage.of(date(2015, 9, 1), date(2015, 9, 28), None) == Coverage(28, 28)  # nothing counted at all
    assert Coverage(28, 15).partial and not Coverage(28, 28).partial


def test_counts_are_not_compared_with_a_period_counting_began_inside_of_shares_are(monday: str) -> None:
    """205 against 97 was +1.955,6 % on a demo: the earlier 28 days held counts for one day."""
    assert (
        '<p class="coverage">Tællingen begyndte 12. oktober 2015, så den foregående periode har kun tal fra 15 af 28 '
        "dage: antal og samlet pris sammenlignes derfor ikke, men andele og pris pr. henvendelse gør.</p>"
    ) in monday
    assert html_table(monday, "01-noegletal").rows == [
        ["Indgående henvendelser", "185", "117", "–", "", ""],
        ["Udgående henvendelser", "92", "23", "–", "", ""],
        ["Digital andel", "57,3 %", "23,1 %", "+34,2 pct.-point", "106", "185"],
        ["Selvbetjeningsandel", "34,1 %", "23,1 %", "+11,0 pct.-point", "63", "185"],
        ["Personligt fremmøde", "11,9 %", "25,6 %", "-13,7 pct.-point", "22", "185"],
        ["Papirandel", "9,7 %", "14,3 %", "-4,5 pct.-point", "27", "277"],
        ["Udgående Digital Post", "46,7 %", "78,3 %", "-31,5 pct.-point", "43", "92"],
        ["Straksafklaring", "72,2 %", "53,3 %", "+18,9 pct.-point", "52", "72"],
        ["Anslået pris for kanalmikset", "7.960 kr.", "5.385 kr.", "–", "", "206"],
        ["Anslået pris pr. henvendelse", "38,64 kr.", "44,14 kr.", "-12,5 %", "7.960 kr.", "206"],
    ]
    assert "Antal og samlet pris har ingen ændring, fordi forrige periode kun har tal fra 15 af 28 dage." in monday
    assert "Forrige periode</tspan>: de 28 dage før (tal fra 15 af 28 dage)" in monday  # the channel mix's bar
    assert '<div class="change">Forrige periode: <span class="nowrap">–</span></div>' in monday  # inquiries in
    assert '<span class="nowrap">+34,2 pct.-point</span>' in monday  # the digital share's card, on one line


def test_a_report_whose_periods_were_counted_throughout_says_nothing_about_coverage() -> None:
    period = counting_weeks("2015-W45:W47")  # compared with weeks 42–44, counted from their Monday
    report = build_status_report(
        [fixture_state()], ReportRequest("183", period, preceding(period), official_name=ISHOEJ, book=measure_book())
    )
    assert report.counted_from == date(2015, 10, 12)
    assert coverage_note(report) == ""
    assert '<p class="coverage">' not in render_html(report, source="test", generated=NOW)
    assert [f.change is not None for f in report.key_figures][:2] == [True, True]


@pytest.mark.parametrize(
    ("period", "note"),
    [
        (
            counting_weeks("2015-W42:W44"),
            "Tællingen begyndte 12. oktober 2015: der er ingen tal fra den foregående periode at sammenligne med.",
        ),
        (
            Period(date(2015, 10, 1), date(2015, 10, 28)),
            "Tællingen begyndte 12. oktober 2015, så perioden har kun tal fra 17 af 28 dage, og der er ingen tal "
            "fra den foregående periode at sammenligne med.",
        ),
    ],
)
def test_a_period_counting_began_on_or_in_says_there_is_nothing_to_compare_with(period: Period, note: str) -> None:
    report = build_status_report(
        [fixture_state()], ReportRequest("183", period, preceding(period), official_name=ISHOEJ, book=measure_book())
    )
    assert coverage_note(report) == note
    assert all(f.change is None for f in report.key_figures)


def test_a_week_of_one_day_is_a_ring_of_its_own_marked_and_explained() -> None:
    """On a Monday the last week holds one day: its 100 % is no point on the lines."""
    html = monday_page(fixture_state(inquiry("monday-1", channel="self_service", occurred_at=NOW)))
    rows = html_table(html, "04-udvikling").rows
    assert rows[0] == ["uge 40 2015", "0", "0", "0", "–", "–", "–", "–"]  # before counting began
    assert rows[2] == ["uge 42 2015", "7", "36", "0", "16,7 %", "16,7 %", "41,7 %", "–"]
    assert rows[-1] == ["uge 48 2015", "1", "1", "0", "100,0 %", "100,0 %", "0,0 %", "–"]
    chart = re.search(r'<svg class="chart" data-chart="udvikling".*?</svg>', html)
    assert chart is not None
    ring = re.search(
        r'<circle cx="([0-9.]+)" cy="[0-9.]+" r="3.5" fill="#fff" stroke="#2166ac" stroke-width="1.5">'
        r"<title>Digital andel, uge 48 2015: 100,0 % \(kun 1 af 7 dage\)</title>",
        chart.group(0),
    )
    assert ring is not None
    lines = re.findall(r'<polyline points="([^"]+)" fill="none" stroke="#2166ac"', chart.group(0))
    assert len(lines) == 1 and not any(p.startswith(ring.group(1) + ",") for p in lines[0].split())
    assert ">U48*</text>" in chart.group(0) and ">Delvis uge (*)</text>" in chart.group(0)
    assert (
        '<p class="note">* Delvis uge: uge 48 2015 har tal fra 1 af 7 dage. En delvis uge står som en åben prik '
        "uden linje, for den kan ikke sammenlignes direkte med hele uger.</p>"
    ) in html


def test_long_target_titles_wrap_before_their_verdict() -> None:
    period = counting_weeks("2015-W45:W47")
    targets = load_target_files([DATA / "targets-183-long-titles.yaml"])
    report = build_status_report(
        [fixture_state()],
        ReportRequest("183", period, preceding(period), targets=targets, official_name=ISHOEJ, book=measure_book()),
    )
    drawn = svg.goals(report.goals, "Målene")
    rows = re.findall(r'<svg class="chart-row".*?</svg>', drawn)
    assert len(rows) == 3  # two targets and the legend, each an SVG of its own so the list can break across pages
    for row, goal in zip(rows, report.goals, strict=False):
        label = re.findall(r'<text x="0.0" y="[0-9.]+">([^<]*)</text>', row)
        verdict = re.findall(r'text-anchor="end" font-weight="bold">([^<]*)</text>', row)
        assert " ".join(label) == f"{goal.target.title} – {goal.unit_name}"
        assert len(label) > 1
        room = svg.RIGHT - svg.text_width(verdict[0], bold=True)
        assert all(svg.text_width(line) + 12 <= room for line in label), label


def test_text_width_is_dejavu_sans_within_a_few_percent() -> None:
    """Measured in Chromium's PDF of the report (DejaVu Sans, 12 units): this title took 467 units."""
    title = "Halvdelen af Kultur og Fritids henvendelser via selvbetjening – Kultur og Fritid"
    assert 467 <= svg.text_width(title) <= 467 * 1.05


@pytest.mark.parametrize(
    ("num", "shown"),
    [
        (Num(-0.04, Fmt.POINTS), "±0,0 pct.-point"),  # the demo's paper share read "-0,0 pct.-point"
        (Num(-0.06, Fmt.POINTS), "-0,1 pct.-point"),
        (Num(0.0004, Fmt.RELATIVE), "±0,0 %"),
        (Num(0.0006, Fmt.RELATIVE), "+0,1 %"),
        (Num(-0.4, Fmt.PLACES), "±0"),
    ],
)
def test_a_change_that_shows_as_zero_has_no_sign(num: Num, shown: str) -> None:
    assert html_number(num) == shown
