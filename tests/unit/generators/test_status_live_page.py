"""The worker's `/` page as a function of its state: the last 28 days, one municipality at a time."""

from __future__ import annotations

from datetime import date, datetime

from streams.domain.counting.aggregation import Aggregation
from streams.generators.status.live import LiveInputs, live_page
from tests.fixtures.factories import TZ, inquiry, parse_event
from tests.fixtures.report_tables import html_table
from tests.fixtures.status import events

NOW = datetime(2015, 11, 20, 12, 0, tzinfo=TZ)
REF_DAY = date(2015, 11, 20).toordinal()


def state(*municipalities: str) -> Aggregation:
    aggregation = Aggregation(TZ, 400)
    for event in events():
        aggregation.add(parse_event(event))
    for i, number in enumerate(municipalities):
        aggregation.add(inquiry(f"other-{i}", municipality=number, occurred_at=NOW))
    return aggregation


def page(aggregation: Aggregation, municipality: str | None = None, ref_day: int | None = REF_DAY) -> tuple[int, str]:
    shown = live_page(
        [aggregation], municipality=municipality, ref_day=ref_day, inputs=LiveInputs(), now=NOW, source="test"
    )
    return shown.status, shown.html


def test_one_municipality_is_reported_for_the_28_days_ending_on_the_reference_day() -> None:
    status, html = page(state())
    assert status == 200
    assert "<strong>Periode:</strong> de seneste 28 dage (24. oktober – 20. november 2015)" in html
    assert "de 28 dage før (26. september – 23. oktober 2015)" in html
    assert html_table(html, "01-noegletal").rows[0][:3] == ["Indgående henvendelser", "205", "97"]


def test_several_municipalities_are_listed_and_chosen_by_number() -> None:
    aggregation = state("165")
    status, html = page(aggregation)
    assert status == 200
    assert (
        '<li><a href="?kommune=165">Albertslund (165)</a></li><li><a href="?kommune=183">Ishøj (183)</a></li>' in html
    )
    status, html = page(aggregation, "165")
    assert status == 200
    assert html_table(html, "01-noegletal").rows[0][:3] == ["Indgående henvendelser", "1", "0"]
    status, html = page(aggregation, "461")
    assert status == 404
    assert "Kommune 461 er ikke talt her; talte kommuner: Albertslund (165), Ishøj (183)." in html


def test_an_empty_worker_says_nothing_is_counted_yet() -> None:
    status, html = page(Aggregation(TZ, 400), ref_day=None)
    assert status == 200
    assert "Der er ikke talt nogen henvendelser endnu." in html
