"""The tables of a status report, built once from the model and rendered twice: HTML and CSV.

A cell is text or a Num (a number and how to write it); the HTML writes numbers as Danes read
them (`1.234`, `63,2 %`, `+3,4 pct.-point`), the CSV plainly for Excel (`1234`, `63,2`) with the
unit in the column heading or in a unit column. Both come from the same Table, so a figure in
the HTML and in the CSV cannot differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from streams.contract.danish import VERDICTS_DA, decimal, percent, whole
from streams.domain.measures.league import LeagueMeasure
from streams.domain.report.figures import Kind, Value
from streams.domain.report.goals import GoalResult
from streams.domain.report.model import StatusReport
from streams.domain.report.periods import date_da
from streams.domain.report.sections import ChannelMix, UnitReport
from streams.generators.spreadsheet import Number


class Fmt(StrEnum):
    COUNT = "count"  # 1.234
    SHARE = "share"  # 0..1 -> 63,2 %
    POINTS = "points"  # percentage points -> +3,4 pct.-point
    RELATIVE = "relative"  # 0.125 -> +12,5 %
    DKK = "dkk"  # whole kroner -> 1.234 kr.
    DKK2 = "dkk2"  # kroner with øre -> 40,50 kr.
    PLACES = "places"  # places moved in a league table -> +3


@dataclass(frozen=True)
class Num:
    value: float | None
    fmt: Fmt


Cell = str | Num


@dataclass(frozen=True)
class Column:
    title: str
    unit: str = ""  # the CSV heading's unit, e.g. "%" -> "Digital andel (%)"
    csv_only: bool = False  # a column only the CSV needs (a unit column of a mixed table)


@dataclass(frozen=True)
class Table:
    key: str  # the CSV file's name, e.g. "01-noegletal"
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    unit: str | None = None  # per-unit tables: the unit's name (the CSV has it as first column)


def html_number(num: Num) -> str:
    """A number for people: Danish separators and its unit."""
    v = num.value
    if v is None:
        return "–"
    if num.fmt is Fmt.COUNT:
        return whole(v)
    if num.fmt is Fmt.SHARE:
        return percent(v)
    if num.fmt is Fmt.POINTS:
        return f"{_sign(v, 1)}{decimal(abs(v))} pct.-point"
    if num.fmt is Fmt.RELATIVE:
        return f"{_sign(v * 100, 1)}{decimal(abs(v) * 100)} %"
    if num.fmt is Fmt.DKK:
        return f"{whole(v)} kr."
    if num.fmt is Fmt.PLACES:
        return f"{_sign(v, 0)}{whole(abs(v))}"
    return f"{decimal(v, 2)} kr."


def csv_number(num: Num) -> Number:
    """A number for Excel with Danish settings: decimal comma, no thousands separator, no unit."""
    return Number(_csv_text(num))


def _csv_text(num: Num) -> str:
    v = num.value
    if v is None:
        return ""
    if num.fmt is Fmt.COUNT:
        return str(round(v))
    if num.fmt is Fmt.SHARE:
        return _plain(v * 100, 1)
    if num.fmt is Fmt.POINTS:
        return _plain(v, 1)
    if num.fmt is Fmt.RELATIVE:
        return _plain(v * 100, 1)
    if num.fmt in (Fmt.DKK, Fmt.PLACES):
        return str(round(v))
    return _plain(v, 2)


def _sign(v: float, places: int) -> str:
    """The sign of a change as shown with `places` decimals: ±0,0, never -0,0."""
    shown = round(v, places)
    return "+" if shown > 0 else "-" if shown < 0 else "±"


def _plain(v: float, places: int) -> str:
    text = f"{v:.{places}f}".replace(".", ",")
    return "0," + "0" * places if text == "-0," + "0" * places else text


_KIND_FMT = {Kind.COUNT: Fmt.COUNT, Kind.SHARE: Fmt.SHARE, Kind.DKK: Fmt.DKK}
_KIND_UNIT = {Kind.COUNT: "antal", Kind.SHARE: "%", Kind.DKK: "kr."}


def _figure_fmt(kind: Kind, figure_id: str) -> Fmt:
    return Fmt.DKK2 if figure_id == "cost_per_inquiry" else _KIND_FMT[kind]


def key_figures(report: StatusReport) -> Table:
    reference = report.reference.name if report.reference else "Reference"
    columns = [
        Column("Nøgletal"),
        Column("Enhed", csv_only=True),
        Column("Perioden"),
        Column(report.comparison_name),
        Column("Ændring"),
        Column("Ændring, enhed", csv_only=True),
    ]
    if report.reference:
        columns.append(Column(reference))
    columns += [Column("Tæller (perioden)"), Column("Nævner (perioden)")]
    rows = []
    for f in report.key_figures:
        d = f.definition
        fmt = _figure_fmt(d.kind, d.id)
        change_fmt = Fmt.POINTS if d.kind is Kind.SHARE else Fmt.RELATIVE
        row: list[Cell] = [
            d.name,
            _KIND_UNIT[d.kind],
            Num(f.current.value, fmt),
            Num(f.earlier.value, fmt),
            Num(f.change, change_fmt),
            "pct.-point" if d.kind is Kind.SHARE else "%",
        ]
        if report.reference:
            row.append(Num(f.reference, fmt))
        hits, population = _basis(d.id, d.kind, f.current)
        row += [hits, population]
        rows.append(tuple(row))
    return Table("01-noegletal", "Nøgletal", tuple(columns), tuple(rows))


TOO_FEW = "for få henvendelser"


def league(report: StatusReport) -> Table:
    """The municipality's place on each league measure, now and in the comparison period."""
    columns = (  # short: ten columns on an A4 page; the note under the table says what each is
        Column("Mål"),
        Column("Værdi"),
        Column("Plads"),
        Column("Af"),
        Column("Plads før"),
        Column("Af før"),
        Column("Pladser frem"),
        Column("Hele landet"),
        Column("Gns.-kommunen"),
        Column("Henvendelser"),
    )
    rows = []
    for p in report.league:
        fmt = Fmt.DKK2 if p.measure is LeagueMeasure.COST_PER_INQUIRY else Fmt.SHARE
        rank: Cell = Num(p.rank, Fmt.COUNT) if p.rank is not None or not p.inquiries else TOO_FEW
        rows.append(
            (
                p.name[:1].upper() + p.name[1:],
                Num(p.value, fmt),
                rank,
                Num(p.ranked, Fmt.COUNT),
                Num(p.earlier_rank, Fmt.COUNT),
                Num(p.earlier_ranked, Fmt.COUNT),
                Num(p.moved, Fmt.PLACES),
                Num(p.national, fmt),
                Num(p.mean, fmt),
                Num(p.inquiries, Fmt.COUNT),
            )
        )
    return Table("01-placering", "Placering blandt kommunerne", columns, tuple(rows))


def _basis(figure_id: str, kind: Kind, value: Value) -> tuple[Cell, Cell]:
    if kind is Kind.SHARE:
        return Num(value.hits, Fmt.COUNT), Num(value.population, Fmt.COUNT)
    if figure_id == "cost_per_inquiry":
        return Num(value.hits, Fmt.DKK), Num(value.population, Fmt.COUNT)
    if figure_id == "cost_total":
        return "", Num(value.population, Fmt.COUNT)
    return "", ""


def channel_mix(mix: ChannelMix, key: str, title: str) -> Table:
    columns = [Column("Kanal")]
    for name in mix.columns:
        columns += [Column(f"{name}: antal"), Column(f"{name}: andel", "%")]
    rows: list[tuple[Cell, ...]] = []
    for row in mix.rows:
        cells: list[Cell] = [row.name]
        for n, s in zip(row.counts, row.shares, strict=True):
            cells += [Num(n, Fmt.COUNT), Num(s, Fmt.SHARE)]
        rows.append(tuple(cells))
    total: list[Cell] = ["I alt"]
    for n in mix.totals:
        total += [Num(n, Fmt.COUNT), Num(1.0 if n else None, Fmt.SHARE)]
    rows.append(tuple(total))
    return Table(key, title, tuple(columns), tuple(rows))


def trend(report: StatusReport) -> Table:
    t = report.trend
    head = "Uge" if t.unit == "week" else "Måned"
    columns = [Column(head), Column("Dage"), Column("Indgående"), Column("Udgående")]
    columns += [Column(s.name, "%") for s in t.series]
    rows = []
    for p in t.points:
        cells: list[Cell] = [
            p.bucket.label,
            Num(p.days, Fmt.COUNT),
            Num(p.inquiries_in, Fmt.COUNT),
            Num(p.inquiries_out, Fmt.COUNT),
        ]
        cells += [Num(p.values[s.id].value, Fmt.SHARE) for s in t.series]
        rows.append(tuple(cells))
    title = "Udvikling pr. uge" if t.unit == "week" else "Udvikling pr. måned"
    return Table("04-udvikling", title, tuple(columns), tuple(rows))


def _goal_fmt(goal: GoalResult) -> Fmt:
    return Fmt.SHARE if goal.is_rate else Fmt.DKK2


def goals(report: StatusReport) -> Table:
    columns = (
        Column("Mål"),
        Column("Enhed"),
        Column("Perioden"),
        Column(report.comparison_name),
        Column("Krav"),
        Column("Tærskel"),
        Column("Glidesti"),
        Column("Henvendelser bag tallet"),
        Column("Vurdering"),
        Column("Nås ved nuværende tempo"),
    )
    rows = []
    for g in report.goals:
        fmt = _goal_fmt(g)
        rows.append(
            (
                g.target.title,
                g.unit_name,
                Num(g.actual.value, fmt),
                Num(g.earlier.value, fmt),
                "mindst" if g.target.comparator == ">=" else "højst",
                Num(g.target.threshold, fmt),
                Num(g.expected, fmt),
                Num(g.actual.population, Fmt.COUNT),
                VERDICTS_DA[g.verdict],
                date_da(g.projected) if g.projected else "",
            )
        )
    return Table("05-maal", "Mål", columns, tuple(rows))


UNIT_OVERVIEW = (
    ("digital_share", "Digital andel"),
    ("self_service_share", "Selvbetjening"),
    ("personal_share", "Personligt fremmøde"),
    ("digital_post_out_share", "Udgående Digital Post"),
)


def units_overview(report: StatusReport) -> Table:
    columns = [Column("Enhed"), Column("Indgående"), Column("Udgående")]
    columns += [Column(name, "%") for _, name in UNIT_OVERVIEW]
    columns += [Column("Papirbreve ind"), Column("Papirbreve ud (inkl. fjernprint)"), Column("Fund")]
    rows = []
    for u in report.units:
        by_channel = {c.channel: c for c in u.channels}
        letters_in = by_channel["letter"].inbound if "letter" in by_channel else 0
        letters_out = sum(by_channel[c].outbound for c in ("letter", "remote_print") if c in by_channel)
        found = sum(1 for f in report.findings if f.department == u.department)
        cells: list[Cell] = [u.name, Num(u.figures["inquiries_in"].value, Fmt.COUNT)]
        cells.append(Num(u.figures["inquiries_out"].value, Fmt.COUNT))
        cells += [Num(u.figures[fid].value, Fmt.SHARE) for fid, _ in UNIT_OVERVIEW]
        cells += [Num(letters_in, Fmt.COUNT), Num(letters_out, Fmt.COUNT), Num(found, Fmt.COUNT)]
        rows.append(tuple(cells))
    return Table("06-enheder", "Enhederne i perioden", tuple(columns), tuple(rows))


def unit_tables(u: UnitReport) -> list[Table]:
    """The five tables of one unit (the CSV gathers each kind over all units)."""
    channel_rows: list[tuple[Cell, ...]] = [
        (c.name, Num(c.inbound, Fmt.COUNT), Num(c.outbound, Fmt.COUNT), Num(c.total, Fmt.COUNT)) for c in u.channels
    ]
    channel_rows.append(
        (
            "I alt",
            Num(sum(c.inbound for c in u.channels), Fmt.COUNT),
            Num(sum(c.outbound for c in u.channels), Fmt.COUNT),
            Num(u.inquiries, Fmt.COUNT),
        )
    )
    channels = Table(
        "07-enhed-kanaler",
        "Henvendelser pr. kanal og retning",
        (Column("Kanal"), Column("Indgående"), Column("Udgående"), Column("I alt")),
        tuple(channel_rows),
        unit=u.name,
    )
    types = Table(
        "08-enhed-typer",
        "Henvendelsestyper",
        (Column("Type"), Column("Betydning"), Column("Antal"), Column("Andel", "%")),
        tuple((t.code or "", t.name, Num(t.count, Fmt.COUNT), Num(t.share, Fmt.SHARE)) for t in u.types),
        unit=u.name,
    )
    completions = Table(
        "09-enhed-afslutning",
        "Afslutning (STRAKS/HOLD) for telefon og personligt fremmøde",
        (Column("Kanal"), Column("STRAKS"), Column("HOLD"), Column("Ikke angivet"), Column("Straksafklaring", "%")),
        tuple(
            (
                c.name,
                Num(c.immediate, Fmt.COUNT),
                Num(c.forwarded, Fmt.COUNT),
                Num(c.not_given, Fmt.COUNT),
                Num(c.resolution.value, Fmt.SHARE),
            )
            for c in u.completions
        ),
        unit=u.name,
    )
    forms = Table(
        "10-enhed-blanketter",
        "Henvendelser med blanket",
        (Column("Kanal og retning"), Column("Med blanket"), Column("Alle på kanalen")),
        tuple((f.name, Num(f.with_form, Fmt.COUNT), Num(f.of_channel, Fmt.COUNT)) for f in u.forms),
        unit=u.name,
    )
    kle = Table(
        "11-enhed-kle",
        "Hyppigste KLE-opgaver",
        (Column("KLE"), Column("Antal"), Column("Andel af henvendelser med KLE", "%")),
        tuple((k.name, Num(k.count, Fmt.COUNT), Num(k.share, Fmt.SHARE)) for k in u.top_kle),
        unit=u.name,
    )
    return [channels, types, completions, forms, kle]


def findings(report: StatusReport) -> Table:
    return Table(
        "12-fund",
        "Fund og anbefalinger",
        (Column("Regel"), Column("Enhed"), Column("Fund"), Column("Anbefaling")),
        tuple((f"{f.rule} {f.rule_name}", f.unit_name, f.text, f.recommendation) for f in report.findings),
    )


def all_tables(report: StatusReport) -> Iterator[Table]:
    """Every table of the report in reading order (per-unit tables unit by unit)."""
    yield key_figures(report)
    if report.league:
        yield league(report)
    yield channel_mix(report.mix_in, "02-kanalmiks-ind", "Indgående henvendelser pr. kanal")
    yield channel_mix(report.mix_out, "03-kanalmiks-ud", "Udgående henvendelser pr. kanal")
    yield trend(report)
    yield goals(report)
    yield units_overview(report)
    for u in report.units:
        yield from unit_tables(u)
    yield findings(report)
