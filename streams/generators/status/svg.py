"""The report's charts as inline SVG: no script, no fonts or images fetched, printable.

Each chart is one <svg class="chart" data-chart="…"> with a <title> for screen readers, sized
by its viewBox to the column it sits in (180 mm on A4); the targets are a <div class="chart"
data-chart="maal"> of one SVG per target, so a long list of targets can go on over the next
page. Colours are fixed per channel, so a channel has the same colour in every chart of every
report. Text is kept apart by its estimated width (`text_width`): long labels wrap.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from streams.contract.danish import VERDICTS_DA, decimal, percent, whole
from streams.domain.report.goals import GoalResult, Verdict
from streams.domain.report.sections import ChannelMix, Trend

WIDTH = 680
FONT = 12
RIGHT = WIDTH - 4  # where right-aligned text ends: glyphs reach a little past their anchor

CHANNEL_COLOURS = {
    "self_service": "#1b7837",
    "digital_post": "#2166ac",
    "email": "#67a9cf",
    "web": "#7fbc41",
    "sms": "#8073ac",
    "chat": "#b2abd2",
    "social_media": "#c51b7d",
    "system": "#6a6a6a",
    "phone": "#f1a340",
    "personal": "#b2182b",
    "letter": "#8c510a",
    "remote_print": "#dfc27d",
    "output_manager": "#bababa",
}
SERIES_COLOURS = {
    "digital_share": "#2166ac",
    "self_service_share": "#1b7837",
    "personal_share": "#b2182b",
    "digital_post_out_share": "#8073ac",
}
SERIES_DASHES = {
    "digital_share": "",
    "self_service_share": "6 3",
    "personal_share": "2 3",
    "digital_post_out_share": "9 3 2 3",
}
VERDICT_COLOURS = {
    Verdict.MET: "#1b7837",
    Verdict.ON_SCHEDULE: "#f1a340",
    Verdict.BEHIND: "#b2182b",
    Verdict.TOO_FEW: "#bababa",
}


# Advance widths (em) of DejaVu Sans, the widest of the report's fonts (Liberation Sans and Arial are
# narrower), by groups of characters; the rest are about 0.62 em. Bold is up to 15 % wider.
_EM_WIDTHS = (
    ("ijlIJ'|!", 0.29),
    (" .,:;", 0.33),
    ("ftr()-/", 0.42),
    ("–*", 0.5),
    ("cksz", 0.56),
    ("0123456789EFPSTY", 0.64),
    ("ABCKRVXZÅ", 0.7),
    ("DGHNOQUØ", 0.79),
    ("wM", 0.87),
    ("mæWÆ%", 0.99),
)
_EM = {c: w for chars, w in _EM_WIDTHS for c in chars}
LINE = 15  # the height of a line of wrapped chart text


def text_width(text: str, *, bold: bool = False, size: float = FONT) -> float:
    """The width `text` takes at most, in the chart's units, so labels can be kept apart."""
    return sum(_EM.get(c, 0.62) for c in text) * size * (1.15 if bold else 1.0)


def wrap(text: str, width: float, first: float | None = None) -> list[str]:
    """`text` in lines of at most `width` units (the first line: `first`), broken at spaces. A word
    longer than a line stands alone; the first line stays empty when not even its first word fits.

    >>> wrap("Halvdelen af Kultur og Fritids henvendelser", 150)
    ['Halvdelen af Kultur og', 'Fritids henvendelser']
    """
    lines = [""]
    for word in text.split():
        room = first if first is not None and len(lines) == 1 else width
        candidate = f"{lines[-1]} {word}" if lines[-1] else word
        if text_width(candidate) <= room or (not lines[-1] and first is None):
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _text_lines(lines: Sequence[str], x: float, y: float) -> str:
    """Lines of text from the baseline `y` down, one <text> each."""
    return "".join(f'<text x="{x:.1f}" y="{y + i * LINE:.1f}">{escape(line)}</text>' for i, line in enumerate(lines))


def _text_colour(fill: str) -> str:
    r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


def _svg(name: str, title: str, height: float, body: Sequence[str]) -> str:
    return (
        f'<svg class="chart" data-chart="{name}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" font-size="{FONT}" font-family="inherit">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _legend(items: Sequence[tuple[str, str, str]], y: float, per_row: int = 5) -> tuple[list[str], float]:
    """(swatch colour, swatch: 'box', 'ring' or a line's dash pattern ('' solid), label) in rows; returns the
    elements and the height used."""
    out = []
    step = WIDTH / per_row
    for i, (colour, dash, label) in enumerate(items):
        x = (i % per_row) * step
        row_y = y + (i // per_row) * 20
        if dash == "box":
            out.append(f'<rect x="{x:.1f}" y="{row_y:.1f}" width="12" height="12" fill="{colour}"/>')
        elif dash == "ring":
            out.append(
                f'<circle cx="{x + 11:.1f}" cy="{row_y + 6:.1f}" r="3.5" fill="#fff" stroke="{colour}" '
                'stroke-width="1.5"/>'
            )
        else:
            pattern = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{x:.1f}" y1="{row_y + 6:.1f}" x2="{x + 22:.1f}" y2="{row_y + 6:.1f}" stroke="{colour}" '
                f'stroke-width="2.5"{pattern}/>'
            )
        offset = {"box": 17, "ring": 20}.get(dash, 27)
        out.append(f'<text x="{x + offset:.1f}" y="{row_y + 10:.1f}">{escape(label)}</text>')
    rows = (len(items) + per_row - 1) // per_row
    return out, rows * 20


def channel_mix(mix: ChannelMix, name: str, title: str) -> str:
    """100 % stacked bars, one per period, one segment per channel."""
    body: list[str] = []
    y = 0.0
    bar = 30
    for col, (kind, label, total) in enumerate(zip(mix.columns, mix.periods, mix.totals, strict=True)):
        count = f"{whole(total)} henvendelser"
        room = RIGHT - text_width(count) - 12
        head = text_width(kind, bold=True) + text_width(": ")
        first, *more = wrap(label, room, room - head)
        body.append(
            f'<text x="0" y="{y + 13:.1f}"><tspan font-weight="bold">{escape(kind)}</tspan>: {escape(first)}</text>'
        )
        body.append(f'<text x="{RIGHT}" y="{y + 13:.1f}" text-anchor="end">{escape(count)}</text>')
        body.append(_text_lines(more, 0, y + 13 + LINE))
        y += 18 + LINE * len(more)
        if not total:
            body.append(f'<rect x="0" y="{y:.1f}" width="{WIDTH}" height="{bar}" fill="#eee"/>')
            body.append(f'<text x="8" y="{y + 19:.1f}">ingen henvendelser</text>')
        x = 0.0
        for row in mix.rows:
            share = row.shares[col]
            if not share:
                continue
            w = share * WIDTH
            colour = CHANNEL_COLOURS[row.channel]
            tip = f"{row.name}: {percent(share)} ({whole(row.counts[col])})"
            body.append(
                f'<rect x="{x:.2f}" y="{y:.1f}" width="{w:.2f}" height="{bar}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if w >= 38:
                body.append(
                    f'<text x="{x + w / 2:.2f}" y="{y + 19:.1f}" text-anchor="middle" '
                    f'fill="{_text_colour(colour)}">{decimal(share * 100, 0)} %</text>'
                )
            x += w
        y += bar + 14
    legend, used = _legend([(CHANNEL_COLOURS[r.channel], "box", r.name) for r in mix.rows], y, per_row=4)
    body += legend
    return _svg(name, title, y + used + 4, body)


def trend(t: Trend, title: str) -> str:
    """Lines of the shares per week or month; the report period shaded."""
    left, right, top, bottom = 44.0, 8.0, 8.0, 34.0
    height = 250.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    n = max(len(t.points), 1)
    step = plot_w / n
    body: list[str] = []
    for i, p in enumerate(t.points):
        if p.part_of == "period":
            body.append(
                f'<rect x="{left + i * step:.2f}" y="{top}" width="{step:.2f}" height="{plot_h}" fill="#e8eef6"/>'
            )
    for k in range(5):
        y = top + plot_h * (1 - k / 4)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#ccc" stroke-width="1"/>'
        )
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{k * 25} %</text>')
    labels = [p.bucket.short + ("*" if p.partial else "") for p in t.points]
    widest = max((text_width(label) for label in labels), default=0.0) + 8
    every = next(k for k in range(1, n + 1) if k * step >= widest or k == n)  # labels that do not touch
    for i, label in enumerate(labels):
        if i % every == 0:
            x = left + (i + 0.5) * step
            body.append(f'<text x="{x:.2f}" y="{height - bottom + 16:.1f}" text-anchor="middle">{escape(label)}</text>')
    for series in t.series:
        colour, dash = SERIES_COLOURS[series.id], SERIES_DASHES[series.id]
        pattern = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        points: list[str] = []
        for i, p in enumerate(t.points):
            value = p.values[series.id].value
            if value is None or p.partial:  # a partial week or month is a ring of its own, on no line
                if len(run) > 1:
                    points.append(" ".join(run))
                run = []
                if value is None:
                    continue
            x, y = left + (i + 0.5) * step, top + plot_h * (1 - value)
            tip = f"{series.name}, {p.bucket.label}: {percent(value)}"
            if p.partial:
                tip += f" (kun {whole(p.days)} af {whole(p.whole_days)} dage)"
                mark = f'r="3.5" fill="#fff" stroke="{colour}" stroke-width="1.5"'
            else:
                run.append(f"{x:.2f},{y:.2f}")
                mark = f'r="3" fill="{colour}"'
            body.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" {mark}><title>{escape(tip)}</title></circle>')
        if len(run) > 1:
            points.append(" ".join(run))
        for line in points:
            body.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"{pattern}/>')
    items = [(SERIES_COLOURS[s.id], SERIES_DASHES[s.id], s.name) for s in t.series]
    items.append(("#e8eef6", "box", "Perioden"))
    if any(p.partial for p in t.points):
        items.append(("#000", "ring", f"Delvis {'uge' if t.unit == 'week' else 'måned'} (*)"))
    legend, used = _legend(items, height, per_row=3)
    body += legend
    return _svg("udvikling", title, height + used + 4, body)


def goals(results: Sequence[GoalResult], title: str) -> str:
    """Each target: the period's value as a bar, the threshold as a line, the glide path dashed, the earlier
    period as a ring. One small SVG per target, so a long list of targets can go on over the next page."""
    rows = []
    for g in results:
        body, height = _goal_row(g)
        rows.append(_svg_row(f"{g.target.title} – {g.unit_name}: {VERDICTS_DA[g.verdict]}", height, body))
    legend = [
        (VERDICT_COLOURS[Verdict.MET], "box", "Perioden: nået"),
        (VERDICT_COLOURS[Verdict.ON_SCHEDULE], "box", "på sporet"),
        (VERDICT_COLOURS[Verdict.BEHIND], "box", "bagud"),
        ("#000", "", "Tærskel"),
        ("#000", "3 2", "Glidesti"),
    ]
    items, used = _legend(legend, 4)
    items.append(
        f'<circle cx="6" cy="{used + 10:.1f}" r="5" fill="#fff" stroke="#000" stroke-width="1.5"/>'
        f'<text x="17" y="{used + 14:.1f}">Forrige periode</text>'
    )
    rows.append(_svg_row("Signaturforklaring", used + 24, items))
    return f'<div class="chart" data-chart="maal" role="group" aria-label="{escape(title)}">' + "".join(rows) + "</div>"


def _svg_row(title: str, height: float, body: Sequence[str]) -> str:
    """One row of a chart made of several SVGs."""
    return (
        f'<svg class="chart-row" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" font-size="{FONT}" font-family="inherit"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _goal_row(g: GoalResult) -> tuple[list[str], float]:
    """One target's label, verdict and bar; the elements and the height they take."""
    track = 16
    values = [v for v in (g.actual.value, g.earlier.value, g.target.threshold, g.expected) if v is not None]
    scale = 1.0 if g.is_rate else max(values) * 1.15 or 1.0

    def x(value: float) -> float:
        return min(value / scale, 1.0) * WIDTH

    fmt = percent if g.is_rate else (lambda v: f"{decimal(v, 2)} kr.")
    verdict = VERDICTS_DA[g.verdict]
    label = wrap(f"{g.target.title} – {g.unit_name}", RIGHT - text_width(verdict, bold=True) - 12)
    body = [
        _text_lines(label, 0, 12),
        f'<text x="{RIGHT}" y="12" text-anchor="end" font-weight="bold">{escape(verdict)}</text>',
    ]
    y = 17.0 + LINE * (len(label) - 1)
    body.append(f'<rect x="0" y="{y:.1f}" width="{WIDTH}" height="{track}" fill="#f2f2f2"/>')
    if g.actual.value is not None:
        tip = f"Perioden: {fmt(g.actual.value)} ({whole(g.actual.population or 0)} henvendelser)"
        body.append(
            f'<rect x="0" y="{y:.1f}" width="{x(g.actual.value):.2f}" height="{track}" '
            f'fill="{VERDICT_COLOURS[g.verdict]}"><title>{escape(tip)}</title></rect>'
        )
    if g.earlier.value is not None:
        body.append(
            f'<circle cx="{x(g.earlier.value):.2f}" cy="{y + track / 2:.1f}" r="5" fill="#fff" stroke="#000" '
            f'stroke-width="1.5"><title>{escape("Forrige periode: " + fmt(g.earlier.value))}</title></circle>'
        )
    tx = x(g.target.threshold)
    body.append(
        f'<line x1="{tx:.2f}" y1="{y - 3:.1f}" x2="{tx:.2f}" y2="{y + track + 3:.1f}" stroke="#000" '
        f'stroke-width="2.5"><title>{escape("Tærskel: " + fmt(g.target.threshold))}</title></line>'
    )
    if g.expected != g.target.threshold:
        ex = x(g.expected)
        tip = escape("Glidesti: " + fmt(g.expected))
        body.append(
            f'<line x1="{ex:.2f}" y1="{y - 3:.1f}" x2="{ex:.2f}" y2="{y + track + 3:.1f}" stroke="#000" '
            f'stroke-width="1.5" stroke-dasharray="3 2"><title>{tip}</title></line>'
        )
    return body, y + track + 14
