"""The status report as one self-contained HTML file: inline CSS and SVG, no script, no fetch.

Prints on A4 (the @page rules number the pages), reads on a screen, and opens offline: the
file is everything. Every table carries `data-csv` with the CSV file that holds the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from streams.contract.danish import MONTHS_DA, decimal, percent, whole
from streams.documents.reference import channel_prices, code_table
from streams.domain.report.figures import KEY_FIGURES, Kind
from streams.domain.report.findings import RULE_NAMES, FindingRules
from streams.domain.report.model import StatusReport, figure_map
from streams.domain.report.periods import date_da
from streams.domain.report.sections import Trend
from streams.generators.status import svg, tables
from streams.generators.status.tables import Num, Table, html_number

TITLE = "Status på digitalisering og kanalstrategi"
WIDE_COLUMNS = 8  # tables this wide get a smaller type, so they fit the A4 column

CSS = """
@page { size: A4; margin: 15mm 14mm 17mm;
  @bottom-left { content: FOOTER; font-size: 8pt; color: #555; }
  @bottom-right { content: "Side " counter(page) " af " counter(pages); font-size: 8pt; color: #555; } }
:root { --ink: #1a1a1a; --muted: #555; --rule: #d5d5d5; --accent: #2166ac; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink);
  font-size: 10pt; line-height: 1.4; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #eceff3; }
main { max-width: 182mm; margin: 0 auto; background: #fff; padding: 12mm 14mm 16mm; }
@media print { body { background: none; } main { max-width: none; margin: 0; padding: 0; } }
header.cover { border-bottom: 3px solid var(--accent); padding-bottom: 6pt; margin-bottom: 6pt; }
.kicker { text-transform: uppercase; letter-spacing: .06em; color: var(--accent); font-weight: 700;
  font-size: 9pt; margin: 0; }
h1 { font-size: 19pt; margin: 2pt 0 4pt; line-height: 1.2; }
h2 { font-size: 13.5pt; color: var(--accent); border-bottom: 1.5px solid var(--accent); padding-bottom: 2pt;
  margin: 16pt 0 6pt; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
h4 { font-size: 9.5pt; margin: 6pt 0 2pt; break-after: avoid; }
p { margin: 3pt 0 6pt; }
.meta, .note { color: var(--muted); font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 3pt 0 9pt; }
th, td { border-bottom: 1px solid var(--rule); padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eef2f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td:first-child { min-width: 28mm; }
table.wide { font-size: 7.5pt; }
table.wide th, table.wide td { padding: 1.5pt 2.5pt; }
table.wide th { overflow-wrap: break-word; }
table.wide td:first-child { min-width: 22mm; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
tr.total td { font-weight: 600; border-top: 1.5px solid #999; }
figure { margin: 6pt 0 12pt; }
figcaption { font-weight: 600; margin-bottom: 4pt; break-after: avoid; }
figure > .note { break-before: avoid; }
.nowrap { white-space: nowrap; }
svg.chart, svg.chart-row { display: block; max-width: 100%; height: auto; break-inside: avoid; }
svg.chart, div.chart { margin: 2pt 0 6pt; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6pt; margin: 6pt 0 8pt; }
.card { border: 1px solid var(--rule); border-top: 3px solid var(--accent); padding: 5pt 6pt; break-inside: avoid; }
.card .label { font-size: 8.5pt; color: var(--muted); }
.card .value { font-size: 16pt; font-weight: 700; }
.card .change { font-size: 8.5pt; }
.unit { break-inside: auto; border-top: 1px solid var(--rule); margin-top: 8pt; }
.unit-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 10pt; }
.unit-grid td:first-child { min-width: 0; }
.unit-grid > div { break-inside: avoid; }
.verdict-met { color: #1b7837; font-weight: 600; }
.verdict-on_schedule { color: #9a5b00; font-weight: 600; }
.verdict-behind { color: #b2182b; font-weight: 600; }
.verdict-too_few { color: var(--muted); }
dl { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 3.5pt 8pt; font-size: 9pt; }
dt { font-weight: 600; }
dd { margin: 0; }
ul.rules li { margin-bottom: 3pt; }
"""


def css_string(text: str) -> str:
    """A quoted CSS string that cannot end the string or the style element."""
    escaped = "".join(c if c.isalnum() or c in " ·.,()–-" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def danish_moment(moment: datetime) -> str:
    """'30. november 2026 kl. 14.05'."""
    return f"{moment.day}. {MONTHS_DA[moment.month - 1]} {moment.year} kl. {moment:%H.%M}"


def render_table(table: Table, *, caption: bool = False) -> str:
    cols = [(i, c) for i, c in enumerate(table.columns) if not c.csv_only]
    numeric = [any(isinstance(r[i], Num) for r in table.rows) for i, _ in cols]
    unit = f' data-unit="{escape(table.unit)}"' if table.unit is not None else ""
    wide = ' class="wide"' if len(cols) >= WIDE_COLUMNS else ""
    out = [f'<table data-csv="{table.key}"{unit}{wide}>']
    if caption:
        out.append(f"<caption>{escape(table.title)}</caption>")
    head = "".join(
        f'<th{" class=num" if is_num else ""} scope="col">{escape(c.title)}</th>'
        for (_, c), is_num in zip(cols, numeric, strict=True)
    )
    out.append(f"<thead><tr>{head}</tr></thead><tbody>")
    for row in table.rows:
        total = ' class="total"' if row and row[0] == "I alt" else ""
        cells = []
        for i, _ in cols:
            cell = row[i]
            if isinstance(cell, Num):
                cells.append(f'<td class="num">{escape(html_number(cell))}</td>')
            else:
                cells.append(f"<td>{escape(cell)}</td>")
        out.append(f"<tr{total}>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    if not table.rows:
        out.append('<p class="note">Ingen i perioden.</p>')
    return "".join(out)


def _figure(number: int, caption: str, chart: str, table: Table, csv_name: str, note: str = "") -> str:
    """The caption stays with the chart; the table may go on over the next page (its header repeats)."""
    below = f'<p class="note">{escape(note)}</p>' if note else ""
    return (
        f"<figure><figcaption>Figur {number}. {escape(caption)}</figcaption>{chart}"
        f"{below}{render_table(table)}<p class=note>Tabellen bag figuren: {escape(csv_name)}</p></figure>"
    )


def _header(report: StatusReport, source: str, generated: datetime) -> str:
    p, c = report.period, report.comparison
    title = report.municipality_name
    if report.selection.departments is not None:
        title += f" – {report.selection.title}"
    period = f"{escape(p.label)} ({escape(p.dates)})" if p.label else escape(p.dates)
    comparison = f"{escape(c.label)} ({escape(c.dates)})" if c.label else escape(c.dates)
    kind = "den foregående periode af samme længde" if report.comparison_kind == "preceding" else "basisperioden"
    coverage = coverage_note(report)
    return (
        f'<header class="cover"><p class="kicker">{TITLE}</p><h1>{escape(title)}</h1>'
        f"<p><strong>Periode:</strong> {period}<br><strong>Sammenlignet med</strong> {kind}: {comparison}</p>"
        + (f'<p class="coverage">{escape(coverage)}</p>' if coverage else "")
        + f'<p class="meta">Datagrundlag: {escape(source)}. Dannet {escape(danish_moment(generated))}. '
        f"Mål og andele på færre end {whole(report.min_inquiries)} henvendelser vurderes ikke.</p></header>"
    )


def coverage_note(report: StatusReport) -> str:
    """What the reader must know when counting began inside the compared periods: how many days each holds,
    and what is therefore not compared ('' when both periods were counted throughout)."""
    began = report.counted_from
    period, earlier = report.period_coverage, report.comparison_coverage
    if began is None or not (period.partial or earlier.partial):
        return ""
    which = "den foregående periode" if report.comparison_kind == "preceding" else "basisperioden"
    began_on = f"Tællingen begyndte {date_da(began)}"
    if period.partial:
        return (
            f"{began_on}, så perioden har kun tal fra {whole(period.counted)} af {whole(period.days)} dage, og der "
            f"er ingen tal fra {which} at sammenligne med."
        )
    if not earlier.counted:
        return f"{began_on}: der er ingen tal fra {which} at sammenligne med."
    return (
        f"{began_on}, så {which} har kun tal fra {whole(earlier.counted)} af {whole(earlier.days)} dage: antal og "
        "samlet pris sammenlignes derfor ikke, men andele og pris pr. henvendelse gør."
    )


def _nowrap(text: str) -> str:
    """A figure with its unit on one line ('+23,3 pct.-point' must not break at its hyphen)."""
    return f'<span class="nowrap">{escape(text)}</span>'


def _cards(report: StatusReport) -> str:
    figures = figure_map(report)
    out = ['<div class="cards">']
    for fid in ("inquiries_in", "digital_share", "self_service_share", "digital_post_out_share"):
        f = figures[fid]
        fmt = tables.Fmt.COUNT if f.definition.kind is Kind.COUNT else tables.Fmt.SHARE
        change_fmt = tables.Fmt.RELATIVE if f.definition.kind is Kind.COUNT else tables.Fmt.POINTS
        change = html_number(Num(f.change, change_fmt)) if f.change is not None else "–"
        ref = ""
        if f.reference is not None and report.reference is not None:
            ref = f"<br>{escape(report.reference.name)}: {_nowrap(html_number(Num(f.reference, fmt)))}"
        out.append(
            f'<div class="card"><div class="label">{escape(f.definition.name)}</div>'
            f'<div class="value">{escape(html_number(Num(f.current.value, fmt)))}</div>'
            f'<div class="change">{escape(report.comparison_name)}: {_nowrap(change)}{ref}</div></div>'
        )
    out.append("</div>")
    return "".join(out)


def _summary(report: StatusReport) -> str:
    note = ""
    if report.reference is not None:
        source = f" Kilde: {escape(report.reference.source)}." if report.reference.source else ""
        note = f'<p class="note">{escape(report.reference.name)}: referenceværdier fra en fil.{source}</p>'
    return (
        '<section id="noegletal"><h2>1. Nøgletal</h2>'
        + _cards(report)
        + render_table(tables.key_figures(report))
        + '<p class="note">Ændring: andele i procentpoint, antal og kroner i procent. Tæller og nævner er '
        f"periodens henvendelser bag andelen (for prisen: kroner og henvendelser med en KL-pris).{_uncompared(report)}"
        "</p>" + note + _league(report) + "</section>"
    )


def _uncompared(report: StatusReport) -> str:
    """Why counts and the total price have no change, when the comparison period was counted only in part."""
    earlier = report.comparison_coverage
    if report.period_coverage.partial or not earlier.partial or not earlier.counted:
        return ""
    return (
        f" Antal og samlet pris har ingen ændring, fordi {report.comparison_name.lower()} kun har tal fra "
        f"{whole(earlier.counted)} af {whole(earlier.days)} dage."
    )


def _league(report: StatusReport) -> str:
    """The municipality's places among the deployment's municipalities (a national deployment only)."""
    if not report.league:
        return ""
    scope = " Placeringen gælder hele kommunen, ikke kun de valgte enheder." if report.selection.departments else ""
    return (
        "<h3>Placering blandt kommunerne</h3>"
        + render_table(tables.league(report))
        + '<p class="note">Kommunens plads blandt kommunerne i samme komhen-live over samme periode, af så mange '
        f"placerede kommuner; før: {report.comparison_name.lower()}. Plads 1 er den bedste: den højeste andel, "
        "men den laveste for personligt fremmøde, papir og pris pr. henvendelse. Kommuner med samme værdi deler "
        "pladsen, og den næste springes over. Kun kommuner med mindst "
        f"{whole(report.league_min_inquiries)} henvendelser bag tallet placeres (ellers: for få henvendelser). "
        "Hele landet: alle kommuners henvendelser lagt sammen; gns.-kommunen (gennemsnitskommunen): gennemsnittet "
        "af de placerede kommuners værdier. Henvendelser: dem, kommunens værdi bygger på."
        f"{scope}</p>"
    )


def _charts(report: StatusReport) -> str:
    trend_table = tables.trend(report)
    return (
        '<section id="grafer"><h2>2. Kanaler og udvikling</h2>'
        + _figure(
            1,
            "Indgående henvendelser pr. kanal (andel af alle indgående)",
            svg.channel_mix(report.mix_in, "kanalmiks-ind", "Indgående henvendelser pr. kanal"),
            tables.channel_mix(report.mix_in, "02-kanalmiks-ind", "Indgående henvendelser pr. kanal"),
            "02-kanalmiks-ind.csv",
        )
        + _figure(
            2,
            "Udgående henvendelser pr. kanal (andel af alle udgående)",
            svg.channel_mix(report.mix_out, "kanalmiks-ud", "Udgående henvendelser pr. kanal"),
            tables.channel_mix(report.mix_out, "03-kanalmiks-ud", "Udgående henvendelser pr. kanal"),
            "03-kanalmiks-ud.csv",
        )
        + _figure(
            3,
            trend_table.title,
            svg.trend(report.trend, trend_table.title),
            trend_table,
            "04-udvikling.csv",
            partial_note(report.trend),
        )
        + "</section>"
    )


def partial_note(trend: Trend) -> str:
    """Which weeks or months of the trend hold fewer days than whole ones, and how the chart shows them."""
    partial = [p for p in trend.points if p.partial]
    if not partial:
        return ""
    one, many = ("uge", "uger") if trend.unit == "week" else ("måned", "måneder")
    listed = ", ".join(f"{p.bucket.label} har tal fra {whole(p.days)} af {whole(p.whole_days)} dage" for p in partial)
    return (
        f"* Delvis {one}: {listed}. En delvis {one} står som en åben prik uden linje, for den kan ikke "
        f"sammenlignes direkte med hele {many}."
    )


def _goals(report: StatusReport) -> str:
    out = ['<section id="maal"><h2>3. Mål</h2>']
    if not report.goals:
        why = (
            "Målfilen har ingen mål for de valgte enheder."
            if report.targets_given
            else "Ingen målfil for kommunen (angiv den med --targets)."
        )
        out.append(f"<p>{escape(why)}</p>")
    else:
        out.append(
            _figure(
                4,
                "Målene: periodens værdi mod tærskel og glidesti",
                svg.goals(report.goals, "Målene"),
                tables.goals(report),
                "05-maal.csv",
            )
        )
        out.append(
            '<p class="note">Nået: tærsklen er nået i perioden. På sporet: værdien ligger på den rette side af '
            "glidestien fra basisværdien til tærsklen ved fristen. Bagud: ingen af delene; datoen er den dag, "
            "tærsklen nås i tempoet mellem sammenligningsperioden og perioden. For få henvendelser: under "
            f"{whole(report.min_inquiries)} henvendelser bag tallet.</p>"
        )
    out.append("</section>")
    return "".join(out)


def _units(report: StatusReport) -> str:
    out = ['<section id="enheder"><h2>4. Enhederne</h2>', render_table(tables.units_overview(report))]
    for u in report.units:
        out.append(f'<article class="unit"><h3>{escape(u.name)}</h3><div class="unit-grid">')
        for table in tables.unit_tables(u):
            out.append(f"<div><h4>{escape(table.title)}</h4>{render_table(table)}</div>")
        if u.without_kle:
            out.append(f'<div><p class="note">{whole(u.without_kle)} henvendelser uden KLE-nummer.</p></div>')
        out.append("</div></article>")
    out.append("</section>")
    return "".join(out)


def _findings(report: StatusReport) -> str:
    out = ['<section id="fund"><h2>5. Fund og anbefalinger</h2>']
    if not report.findings:
        out.append("<p>Reglerne gav ingen fund i perioden.</p>")
    else:
        counts = {rule: sum(1 for f in report.findings if f.rule == rule) for rule in RULE_NAMES}
        listed = ", ".join(f"{rule} {RULE_NAMES[rule]}: {n}" for rule, n in counts.items() if n)
        out.append(f"<p>{whole(len(report.findings))} fund ({escape(listed)}). Reglerne står under Om tallene.</p>")
        out.append(render_table(tables.findings(report)))
    out.append("</section>")
    return "".join(out)


def rule_texts(rules: FindingRules) -> list[str]:
    """The finding rules in Danish with their thresholds (the report's method section and docs/status-report.md)."""
    m = whole(rules.min_inquiries)
    return [
        f"F1 {RULE_NAMES['F1']}: enheden modtog eller sendte mindst {whole(rules.paper_letters)} papirbrev "
        "(PPRIND ind; PPRUD og FPRNT ud).",
        f"F2 {RULE_NAMES['F2']}: mindst {whole(rules.forms_elsewhere)} indgående henvendelse med blanket kom ad en "
        "anden kanal end selvbetjening.",
        f"F3 {RULE_NAMES['F3']}: mindst {m} indgående henvendelser, heraf mindst {whole(rules.help_min)} og "
        f"{percent(rules.help_share)} hjælp til selvbetjening (SLVBTJN).",
        f"F4 {RULE_NAMES['F4']}: mindst {m} informationshenvendelser (INFO og VEJL) med KLE-nummer, hvoraf de "
        f"{whole(rules.top_tasks)} hyppigste opgaver står for mindst {percent(rules.concentration)}.",
        f"F5 {RULE_NAMES['F5']}: mindst {m} udgående henvendelser, heraf mindst {whole(rules.email_min)} og "
        f"{percent(rules.email_share)} som e-mail.",
    ]


def _method(report: StatusReport) -> str:
    prices = channel_prices()
    channels = code_table().channels
    price_list = ", ".join(f"{channels[c].da.lower()} {decimal(p, 0)} kr." for c, p in prices.items())
    definitions = "".join(f"<dt>{escape(d.name)}</dt><dd>{escape(d.basis)}</dd>" for d in KEY_FIGURES)
    rules = "".join(f"<li>{escape(text)}</li>" for text in rule_texts(report.rules))
    return (
        '<section id="metode"><h2>Om tallene</h2>'
        "<p>Alle tal er optalt fra de enkelte henvendelser pr. enhed og dag (lokal tid). En andel uden "
        "henvendelser bag sig vises som –.</p>"
        f"<h3>Nøgletallene</h3><dl>{definitions}</dl>"
        f"<h3>KL's kanalpriser 2011</h3><p>{escape(price_list)}; andre kanaler har ingen KL-pris.</p>"
        "<h3>Mål</h3><p>Målets måltal beregnes over rapportens periode. Vurderingen kræver mindst "
        f"{whole(report.min_inquiries)} henvendelser bag tallet (ellers: for få henvendelser).</p>"
        f'<h3>Regler for fund</h3><ul class="rules">{rules}</ul>'
        "</section>"
    )


def render_html(report: StatusReport, *, source: str, generated: datetime) -> str:
    """The whole report as one HTML document."""
    title = f"{TITLE} – {report.municipality_name} – {report.period.name}"
    body: Iterable[str] = (
        _header(report, source, generated),
        _summary(report),
        _charts(report),
        _goals(report),
        _units(report),
        _findings(report),
        _method(report),
    )
    css = CSS.replace("FOOTER", css_string(f"{report.municipality_name} · {report.period.name}"))
    return (
        '<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{css}</style></head>"
        "<body><main>" + "".join(body) + "</main></body></html>\n"
    )


def chart_count(report: StatusReport) -> int:
    """How many charts the HTML holds: the two channel mixes, the trend, and the targets if any."""
    return 3 + (1 if report.goals else 0)
