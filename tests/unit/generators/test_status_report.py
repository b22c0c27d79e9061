"""The status report's every figure, exactly: the fixture's inquiries in, the HTML's tables and the CSV out.

The fixture (tests/fixtures/status.py, tests/data/status/) is Ishøj's counting weeks 45–47 2015
against the three weeks before; each expected value below is worked out by hand from its spec
(tests/data/status/README.md shows the sums), not by the code under test.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

import pytest

from streams.documents.reference import measure_book, municipality_table
from streams.documents.report_inputs import load_reference, load_units
from streams.documents.shipped import shipped_reference, shipped_targets
from streams.documents.targets import load_target_files
from streams.domain.counting.aggregation import Aggregation
from streams.domain.events.privacy import CPR_RE
from streams.domain.report.findings import FindingRules
from streams.domain.report.goals import Verdict
from streams.domain.report.inputs import DisplayNames, ReportInputError, selection
from streams.domain.report.model import ReportRequest, StatusReport, build_status_report
from streams.domain.report.periods import Period, PeriodError, buckets, counting_weeks, preceding, trend_unit
from streams.generators.status.csv import csv_files
from streams.generators.status.html import chart_count, render_html
from streams.ingress.komhen.counting import count_files
from tests.fixtures.factories import TZ, parse_event
from tests.fixtures.report_tables import as_csv_value, csv_rows, html_table, html_tables
from tests.fixtures.status import KOMHEN_FILE, TARGETS_FILE, UNITS_FILE, events, komhen_file_bytes

GENERATED = datetime(2015, 11, 23, 9, 0, tzinfo=TZ)
ISHOEJ_TARGETS = next(p for p in shipped_targets() if p.name == "ishoej.yaml")


def request(**overrides: object) -> ReportRequest:
    period = counting_weeks("2015-W45:W47")
    reference = shipped_reference("landsgennemsnit-2013")
    assert reference is not None
    base: dict[str, object] = {
        "municipality": "183",
        "period": period,
        "comparison": preceding(period),
        "names": load_units(UNITS_FILE).names,
        "reference": load_reference(reference),
        "targets": load_target_files([ISHOEJ_TARGETS, TARGETS_FILE]),
        "book": measure_book(),
    }
    merged = {**base, **overrides}
    merged.setdefault("official_name", municipality_table().official_name_of(str(merged["municipality"])))
    return ReportRequest(**merged)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def from_file() -> Aggregation:
    aggregation, summary, rejected = count_files([KOMHEN_FILE], tz=TZ, retention_days=400)
    assert (summary.events, rejected) == (417, [])
    return aggregation


@pytest.fixture(scope="module")
def report(from_file: Aggregation) -> StatusReport:
    return build_status_report([from_file], request())


@pytest.fixture(scope="module")
def html(report: StatusReport) -> str:
    return render_html(report, source="KOMHEN-fil ishoej-uge42-47.csv", generated=GENERATED)


@pytest.fixture(scope="module")
def csv(report: StatusReport) -> dict[str, bytes]:
    return csv_files(report)


def test_the_checked_in_komhen_file_is_the_fixture_spec() -> None:
    assert KOMHEN_FILE.read_bytes() == komhen_file_bytes()  # regenerate: python -m tests.fixtures.status


def test_the_komhen_file_and_the_same_inquiries_as_events_give_the_same_report(
    from_file: Aggregation, report: StatusReport
) -> None:
    aggregation = Aggregation(TZ, 400)
    for event in events():
        aggregation.add(parse_event(event))
    assert build_status_report([aggregation], request()) == report


def test_key_figures_against_the_earlier_period_and_the_national_average(html: str) -> None:
    table = html_table(html, "01-noegletal")
    assert table.header == [
        "Nøgletal",
        "Perioden",
        "Forrige periode",
        "Ændring",
        "Landsgennemsnit 2013",
        "Tæller (perioden)",
        "Nævner (perioden)",
    ]
    assert table.rows == [
        ["Indgående henvendelser", "172", "130", "+32,3 %", "–", "", ""],
        ["Udgående henvendelser", "70", "45", "+55,6 %", "–", "", ""],
        ["Digital andel", "54,1 %", "30,8 %", "+23,3 pct.-point", "–", "93", "172"],
        ["Selvbetjeningsandel", "33,1 %", "25,4 %", "+7,8 pct.-point", "32,8 %", "57", "172"],
        ["Personligt fremmøde", "12,8 %", "23,1 %", "-10,3 pct.-point", "–", "22", "172"],
        ["Papirandel", "7,0 %", "17,1 %", "-10,1 pct.-point", "–", "17", "242"],
        ["Udgående Digital Post", "58,6 %", "44,4 %", "+14,1 pct.-point", "59,0 %", "41", "70"],
        ["Straksafklaring", "72,2 %", "53,3 %", "+18,9 pct.-point", "64,0 %", "52", "72"],
        ["Anslået pris for kanalmikset", "6.670 kr.", "6.675 kr.", "-0,1 %", "–", "", "178"],
        ["Anslået pris pr. henvendelse", "37,47 kr.", "44,50 kr.", "-15,8 %", "–", "6.670 kr.", "178"],
    ]


def test_channel_mix_in_and_out_per_period(html: str) -> None:
    mix_in = html_table(html, "02-kanalmiks-ind")
    assert mix_in.header == [
        "Kanal",
        "Forrige periode: antal",
        "Forrige periode: andel",
        "Perioden: antal",
        "Perioden: andel",
    ]
    assert mix_in.rows == [
        ["Selvbetjening", "33", "25,4 %", "57", "33,1 %"],
        ["Telefon", "45", "34,6 %", "50", "29,1 %"],
        ["Personligt fremmøde", "30", "23,1 %", "22", "12,8 %"],
        ["E-mail", "2", "1,5 %", "17", "9,9 %"],
        ["Papirbrev", "15", "11,5 %", "7", "4,1 %"],
        ["Digital Post", "5", "3,8 %", "10", "5,8 %"],
        ["Hjemmeside", "0", "0,0 %", "9", "5,2 %"],
        ["I alt", "130", "100,0 %", "172", "100,0 %"],
    ]
    assert html_table(html, "03-kanalmiks-ud").rows == [
        ["Telefon", "0", "0,0 %", "3", "4,3 %"],
        ["E-mail", "10", "22,2 %", "12", "17,1 %"],
        ["Papirbrev", "15", "33,3 %", "8", "11,4 %"],
        ["Digital Post", "20", "44,4 %", "41", "58,6 %"],
        ["SMS", "0", "0,0 %", "4", "5,7 %"],
        ["Fjernprint", "0", "0,0 %", "2", "2,9 %"],
        ["I alt", "45", "100,0 %", "70", "100,0 %"],
    ]


def test_trend_by_week_over_both_periods(html: str) -> None:
    table = html_table(html, "04-udvikling")
    assert table.header == [
        "Uge",
        "Dage",
        "Indgående",
        "Udgående",
        "Digital andel",
        "Selvbetjeningsandel",
        "Personligt fremmøde",
        "Udgående Digital Post",
    ]
    assert table.rows == [
        ["uge 42 2015", "7", "36", "0", "16,7 %", "16,7 %", "41,7 %", "–"],
        ["uge 43 2015", "7", "61", "23", "34,4 %", "34,4 %", "24,6 %", "78,3 %"],
        ["uge 44 2015", "7", "33", "22", "39,4 %", "18,2 %", "0,0 %", "9,1 %"],
        ["uge 45 2015", "7", "55", "20", "49,1 %", "23,6 %", "14,5 %", "100,0 %"],
        ["uge 46 2015", "7", "66", "26", "69,7 %", "36,4 %", "6,1 %", "30,8 %"],
        ["uge 47 2015", "7", "51", "24", "39,2 %", "39,2 %", "19,6 %", "54,2 %"],
    ]


def test_targets_met_on_schedule_behind_with_projected_date_and_too_few(html: str, report: StatusReport) -> None:
    table = html_table(html, "05-maal")
    assert table.header == [
        "Mål",
        "Enhed",
        "Perioden",
        "Forrige periode",
        "Krav",
        "Tærskel",
        "Glidesti",
        "Henvendelser bag tallet",
        "Vurdering",
        "Nås ved nuværende tempo",
    ]
    assert table.rows == [
        [
            "40 % af henvendelserne via selvbetjening ved udgangen af 2015",
            "Hele kommunen",
            "33,1 %",
            "25,4 %",
            "mindst",
            "40,0 %",
            "39,6 %",
            "172",
            "Bagud",
            "11. december 2015",
        ],
        [
            "Personlige henvendelser ned til 14 % ved udgangen af 2015",
            "Hele kommunen",
            "12,8 %",
            "23,1 %",
            "højst",
            "14,0 %",
            "15,3 %",
            "172",
            "Nået",
            "",
        ],
        [
            "Papirpost ned til 4 % i 2015",
            "Hele kommunen",
            "4,1 %",
            "11,5 %",
            "højst",
            "4,0 %",
            "4,0 %",
            "172",
            "Bagud",
            "23. november 2015",
        ],
        [
            "90 % digitale henvendelser i Børn og Unge ved udgangen af 2016",
            "Børn og Unge",
            "80,0 %",
            "60,0 %",
            "mindst",
            "90,0 %",
            "67,8 %",
            "35",
            "På sporet",
            "",  # the earlier period has 25 inquiries (< 30): no pace, no date
        ],
        [
            "Halvdelen af Kultur og Fritids henvendelser via selvbetjening",
            "Kultur og Fritid",
            "40,0 %",
            "–",
            "mindst",
            "50,0 %",
            "50,0 %",
            "5",
            "For få henvendelser",
            "",
        ],
    ]
    assert [g.verdict for g in report.goals] == [
        Verdict.BEHIND,
        Verdict.MET,
        Verdict.BEHIND,
        Verdict.ON_SCHEDULE,
        Verdict.TOO_FEW,
    ]


def test_units_overview(html: str) -> None:
    table = html_table(html, "06-enheder")
    assert table.header == [
        "Enhed",
        "Indgående",
        "Udgående",
        "Digital andel",
        "Selvbetjening",
        "Personligt fremmøde",
        "Udgående Digital Post",
        "Papirbreve ind",
        "Papirbreve ud (inkl. fjernprint)",
        "Fund",
    ]
    assert table.rows == [
        ["Borgerservice", "100", "20", "44,0 %", "30,0 %", "20,0 %", "60,0 %", "0", "5", "4"],
        ["Børn og Unge", "35", "40", "80,0 %", "42,9 %", "0,0 %", "60,0 %", "2", "0", "3"],
        ["Kultur og Fritid", "5", "0", "40,0 %", "40,0 %", "0,0 %", "–", "0", "0", "0"],
        ["Teknik og Miljø", "30", "10", "63,3 %", "33,3 %", "0,0 %", "50,0 %", "5", "5", "2"],
        ["Enhed ikke angivet", "2", "0", "0,0 %", "0,0 %", "100,0 %", "–", "0", "0", "0"],
    ]


def test_one_unit_by_channel_type_completion_form_and_kle(html: str) -> None:
    unit = "Borgerservice"
    assert html_table(html, "07-enhed-kanaler", unit).rows == [
        ["Selvbetjening", "30", "0", "30"],
        ["Telefon", "36", "3", "39"],
        ["Personligt fremmøde", "20", "0", "20"],
        ["E-mail", "5", "0", "5"],
        ["Papirbrev", "0", "5", "5"],
        ["Digital Post", "0", "12", "12"],
        ["Hjemmeside", "9", "0", "9"],
        ["I alt", "100", "20", "120"],
    ]
    assert html_table(html, "08-enhed-typer", unit).rows == [
        ["OPRET", "Oprettelse af ny sag", "30", "25,0 %"],
        ["STATUS", "Ændring af status på eksisterende sag", "23", "19,2 %"],
        ["INFO", "Information om eksisterende sag", "28", "23,3 %"],
        ["VEJL", "Råd og vejledning", "18", "15,0 %"],
        ["SLVBTJN", "Hjælp til selvbetjening", "12", "10,0 %"],
        ["", "Type ikke angivet", "9", "7,5 %"],
    ]
    assert html_table(html, "09-enhed-afslutning", unit).rows == [
        ["Telefon", "32", "4", "3", "88,9 %"],
        ["Personligt fremmøde", "10", "10", "0", "50,0 %"],
    ]
    assert html_table(html, "10-enhed-blanketter", unit).rows == [["Personligt fremmøde, indgående", "6", "20"]]
    assert html_table(html, "11-enhed-kle", unit).rows == [
        ["23.05.10", "69", "62,2 %"],
        ["29.09.06", "19", "17,1 %"],
        ["32.03", "15", "13,5 %"],
        ["00.01.00", "2", "1,8 %"],
        ["02.34.02", "2", "1,8 %"],
    ]
    assert "9 henvendelser uden KLE-nummer." in html


def test_findings_by_rule_citing_their_numbers(html: str) -> None:
    table = html_table(html, "12-fund")
    assert [row[:3] for row in table.rows] == [
        [
            "F1 Papirbreve",
            "Teknik og Miljø",
            "Enheden modtog 5 papirbreve (16,7 % af de indgående) og sendte 5 papirbreve inkl. fjernprint "
            "(50,0 % af de udgående).",
        ],
        ["F1 Papirbreve", "Borgerservice", "Enheden sendte 5 papirbreve inkl. fjernprint (25,0 % af de udgående)."],
        ["F1 Papirbreve", "Børn og Unge", "Enheden modtog 2 papirbreve (5,7 % af de indgående)."],
        [
            "F2 Blanketter uden for selvbetjening",
            "Borgerservice",
            "6 indgående henvendelser med blanket kom ad andre kanaler end selvbetjening: personligt fremmøde 6.",
        ],
        [
            "F2 Blanketter uden for selvbetjening",
            "Teknik og Miljø",
            "4 indgående henvendelser med blanket kom ad andre kanaler end selvbetjening: papirbrev 4.",
        ],
        [
            "F2 Blanketter uden for selvbetjening",
            "Børn og Unge",
            "2 indgående henvendelser med blanket kom ad andre kanaler end selvbetjening: papirbrev 2.",
        ],
        [
            "F3 Hjælp til selvbetjening",
            "Borgerservice",
            "12 af 100 indgående henvendelser (12,0 %) var hjælp til selvbetjening (SLVBTJN): telefon 8, "
            "personligt fremmøde 4.",
        ],
        [
            "F4 Informationshenvendelser på få opgaver",
            "Borgerservice",
            "82,6 % af 46 informationshenvendelser (INFO og VEJL med KLE-nummer) handler om 3 opgaver: "
            "23.05.10 (15), 29.09.06 (13), 32.03 (10).",
        ],
        [
            "F5 E-mail hvor Digital Post hører hjemme",
            "Børn og Unge",
            "Enheden sendte 12 e-mails (30,0 % af de udgående) og 24 med Digital Post (60,0 %).",
        ],
    ]
    assert table.rows[3][3] == "Kan blanketterne udstilles i en selvbetjeningsløsning?"


def test_the_csv_files_hold_exactly_the_html_tables(html: str, csv: dict[str, bytes]) -> None:
    tables = html_tables(html)
    keys = sorted({t.key for t in tables})
    assert sorted(name.removesuffix(".csv") for name in csv) == keys
    for key in keys:
        rows = csv_rows(csv[f"{key}.csv"])
        header, body = rows[0], rows[1:]
        parts = [t for t in tables if t.key == key]
        per_unit = parts[0].unit is not None
        shown = parts[0].header
        # CSV headings may carry a unit ("Andel (%)"); CSV-only columns (a mixed table's units) are not shown.
        plain = [h.split(" (")[0] if h.split(" (")[0] in shown and h not in shown else h for h in header]
        columns = [i for i, h in enumerate(plain) if h in shown]
        assert [plain[i] for i in columns] == shown, key
        expected = [
            ([t.unit or ""] if per_unit else []) + [as_csv_value(cell) for cell in row] for t in parts for row in t.rows
        ]
        got = [([row[0]] if per_unit else []) + [row[i] for i in columns] for row in body]
        assert got == expected, key


def test_the_csv_files_are_what_danish_excel_opens(csv: dict[str, bytes]) -> None:
    noegletal = csv_rows(csv["01-noegletal.csv"])
    assert noegletal[0] == [
        "Nøgletal",
        "Enhed",
        "Perioden",
        "Forrige periode",
        "Ændring",
        "Ændring, enhed",
        "Landsgennemsnit 2013",
        "Tæller (perioden)",
        "Nævner (perioden)",
    ]
    assert noegletal[3] == ["Digital andel", "%", "54,1", "30,8", "23,3", "pct.-point", "", "93", "172"]
    assert noegletal[9] == ["Anslået pris for kanalmikset", "kr.", "6670", "6675", "-0,1", "%", "", "", "178"]
    assert csv["12-fund.csv"].endswith(b"\r\n")
    kanaler = csv_rows(csv["07-enhed-kanaler.csv"])
    assert kanaler[0] == ["Enhed", "Kanal", "Indgående", "Udgående", "I alt"]
    assert kanaler[1] == ["Borgerservice", "Selvbetjening", "30", "0", "30"]
    assert sum(1 for row in kanaler if row[1] == "I alt") == 5  # one total per unit


def test_every_chart_is_in_the_html_and_nothing_is_fetched(html: str, report: StatusReport) -> None:
    assert chart_count(report) == 4
    assert html.count(' data-chart="') == 4  # three SVG charts and the targets' rows
    for marker in ("http://", "https://", "<script", "@import", "src=", "url("):
        assert marker not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), marker


def test_no_cpr_number_anywhere_in_the_output(html: str, csv: dict[str, bytes]) -> None:
    assert CPR_RE.search(html) is None
    for content in csv.values():
        assert CPR_RE.search(content.decode("utf-8-sig")) is None


def test_a_group_of_departments_is_reported_alone_and_judged_by_the_municipal_targets(from_file: Aggregation) -> None:
    units = load_units(UNITS_FILE, "183")
    chosen = selection(units, "borger-og-teknik", [])
    report = build_status_report([from_file], request(selection=chosen))
    assert [u.name for u in report.units] == ["Borgerservice", "Teknik og Miljø"]
    figures = {f.definition.id: f.current for f in report.key_figures}
    assert (figures["inquiries_in"].value, figures["inquiries_out"].value) == (130, 30)
    assert (figures["self_service_share"].hits, figures["self_service_share"].population) == (40, 130)
    goals = {(g.target.id, g.unit_name): g for g in report.goals}
    assert set(goals) == {
        ("selvbetjening", "Borger- og Teknikforvaltningen"),
        ("personligt-fremmoede", "Borger- og Teknikforvaltningen"),
        ("papirpost", "Borger- og Teknikforvaltningen"),
    }  # department targets of other units are not in the group
    assert goals[("selvbetjening", "Borger- og Teknikforvaltningen")].actual.hits == 40


def test_a_higher_minimum_volume_withholds_verdicts_and_share_findings(from_file: Aggregation) -> None:
    report = build_status_report([from_file], request(rules=FindingRules(min_inquiries=200)))
    assert {g.verdict for g in report.goals} == {Verdict.TOO_FEW}
    assert [f.rule for f in report.findings] == ["F1", "F1", "F1", "F2", "F2", "F2"]


def test_a_comparison_that_overlaps_the_period_is_refused(from_file: Aggregation) -> None:
    period = counting_weeks("2015-W45:W47")
    with pytest.raises(ReportInputError, match="overlapper perioden"):
        build_status_report([from_file], request(comparison=Period(date(2015, 11, 1), date(2015, 11, 2))))
    assert period.days == 21


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2015-W45:W47", "2015-11-02", "2015-11-22", "tælleuge 45–47 2015"),
        ("2015-w45", "2015-11-02", "2015-11-08", "tælleuge 45 2015"),
        ("2015-W52:2016-W02", "2015-12-21", "2016-01-17", "tælleuge 52 2015 – 2 2016"),
    ],
)
def test_counting_weeks_are_iso_weeks_monday_to_sunday(text: str, first: str, last: str, label: str) -> None:
    period = counting_weeks(text)
    assert (period.first.isoformat(), period.last.isoformat(), period.label) == (first, last, label)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("uge 45", "er ikke ÅR-WNN:WNN; skriv fx 2015-W45:W47"),
        ("2015-W54", "har ingen sådan ISO-uge"),
        ("2015-W47:W45", "den sidste uge ligger før den første"),
    ],
)
def test_unusable_counting_weeks_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        counting_weeks(text)


def test_trend_buckets_are_clipped_weeks_or_months() -> None:
    span = Period(date(2015, 10, 14), date(2015, 11, 3))
    weeks = buckets(span, trend_unit(span))
    assert [(b.label, b.first.day, b.last.day) for b in weeks] == [
        ("uge 42 2015", 14, 18),
        ("uge 43 2015", 19, 25),
        ("uge 44 2015", 26, 1),
        ("uge 45 2015", 2, 3),
    ]
    year = Period(date(2014, 12, 15), date(2015, 11, 22))
    months = buckets(year, trend_unit(year))
    assert (len(months), months[0].label, months[0].first.day, months[-1].short) == (12, "december 2014", 15, "nov. 15")


def test_reference_and_units_files_are_checked_with_every_problem_on_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "reference.yaml"
    bad.write_text("schema_version: 1\nname: Landsgennemsnit\nvalues: {self_service_share: 32.8, colour: 1}\n")
    with pytest.raises(ReportInputError) as caught:
        load_reference(bad)
    message = str(caught.value)
    assert "\n" not in message
    assert "values.colour: ukendt felt; tilladt er: " in message
    assert "values.self_service_share: 32.8 er større end højsteværdien 1" in message
    named = tmp_path / "units.yaml"
    named.write_text('schema_version: 1\ndepartments: {borgerservice: "Borgerservice v. 010190-1234"}\n')
    with pytest.raises(ReportInputError) as caught:
        load_units(named)
    assert str(caught.value) == (
        f"{named}: departments.borgerservice: ligner et CPR-nummer; en rapport må ikke indeholde personoplysninger"
    )
    with pytest.raises(ReportInputError) as caught:
        load_units(UNITS_FILE, "461")
    assert str(caught.value) == (
        f"{UNITS_FILE}: filen beskriver kommune 183, men rapporten er for kommune 461; brug enhedsfilen for 461"
    )
    with pytest.raises(ReportInputError, match="ingen sådan gruppe i enhedsfilen; grupperne der er borger-og-teknik"):
        selection(load_units(UNITS_FILE), "boern", [])


def test_without_a_units_file_names_come_from_the_counted_units_and_the_municipality_table(
    from_file: Aggregation,
) -> None:
    report = build_status_report([from_file], request(names=DisplayNames()))
    assert report.municipality_name == "Ishøj Kommune (183)"
    assert [u.name for u in report.units] == [
        "Borgerservice",
        "Børn og Unge",
        "Kultur og Fritid",
        "Teknik og Miljø",
        "Enhed ikke angivet",
    ]
    assert Counter(f.unit_name for f in report.findings)["Borgerservice"] == 4


def test_a_units_file_name_wins_over_the_counted_one_and_a_number_outside_the_table_stays_plain() -> None:
    names = DisplayNames("Ishøj", MappingProxyType({"borgerservice": "Borgerservicecenter"}))
    filled = names.filled({"borgerservice": "Borgerservice", "byggeri": "Byggeri"}, "Ishøj Kommune")
    assert (filled.municipality("183"), filled.department("borgerservice"), filled.department("byggeri")) == (
        "Ishøj (183)",
        "Borgerservicecenter",
        "Byggeri",
    )
    assert DisplayNames().filled({}, municipality_table().official_name_of("999")).municipality("999") == "Kommune 999"


def test_the_reference_schema_names_every_key_figure_and_the_shipped_reference_is_valid() -> None:
    from streams.documents.shipped import schema
    from streams.domain.report.figures import KEY_FIGURES

    properties = schema("report-reference.v1.json")["properties"]["values"]["properties"]
    assert list(properties) == [f.id for f in KEY_FIGURES]
    path = shipped_reference("landsgennemsnit-2013")
    assert path is not None
    assert dict(load_reference(path).values) == {
        "self_service_share": 0.328,
        "digital_post_out_share": 0.59,
        "first_contact_resolution": 0.64,
    }
