"""The demo's terminal table: channel shares per department, read from a worker's /metrics.

Departments are shown by their display name (komhen_department_info, from the names the
inquiries carry: an import file's Enhed, a mapping file, a profile), else by their slug.
"""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass, field

from prometheus_client.parser import text_string_to_metric_families

from streams.contract import names as metric_names
from streams.contract.identifiers import ALL_DEPARTMENTS as ALL
from streams.contract.names import total
from streams.contract.texts import number, share, text
from streams.documents.reference import municipality_table

# (channel, direction) shown in the table: what a channel strategy watches; headings table.<channel>.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("self_service", "in"),
    ("phone", "in"),
    ("personal", "in"),
    ("letter", "in"),
    ("digital_post", "out"),
)


@dataclass(frozen=True)
class Snapshot:
    shares: dict[tuple[str, str, str], float]  # (department, channel, direction) -> share
    totals: dict[str, float]  # department -> inquiries in the window (both directions)
    rejected: float
    counted: float
    names: dict[str, str] = field(default_factory=dict)  # department -> display name


def scrape(url: str, window: str, timeout_s: float = 2.0) -> Snapshot:
    """Read the worker's metrics and keep one window's shares and totals."""
    with urllib.request.urlopen(url, timeout=timeout_s) as response:
        text = response.read().decode()
    counts: dict[tuple[str, str, str], float] = {}
    per_direction: dict[tuple[str, str], float] = {}
    totals: dict[str, float] = {}
    names: dict[str, str] = {}
    rejected = counted = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = sample.labels
            if family.name == metric_names.WINDOW_INQUIRIES and labels.get("window") == window:
                department, direction = labels["department"], labels["direction"]
                counts[(department, labels["channel"], direction)] = sample.value
                per_direction[(department, direction)] = per_direction.get((department, direction), 0.0) + sample.value
                totals[department] = totals.get(department, 0.0) + sample.value
            elif family.name == metric_names.DEPARTMENT_INFO:
                names[labels["department"]] = labels["department_name"]
            elif sample.name == total(metric_names.EVENTS_REJECTED):
                rejected += sample.value
            elif sample.name == total(metric_names.INQUIRIES):
                counted += sample.value
    # A share of the same direction, from the counts (departments export no shares when lean).
    shares = {
        (department, channel, direction): n / per_direction[(department, direction)]
        for (department, channel, direction), n in counts.items()
        if per_direction[(department, direction)]
    }
    return Snapshot(shares, totals, rejected, counted, names)


def render(snapshot: Snapshot, window: str) -> str:
    """A fixed-width table; the whole municipality last, as 'Hele kommunen'."""
    head = (
        f"{text('table.department'):<22}"
        + "".join(f"{text(f'table.{c}_{d}'):>11}" for c, d in COLUMNS)
        + f"{text('table.inquiries'):>9}"
    )
    window_name = text(f"window.{window}").lower()
    lines = [text("table.title", window=window_name), head, "-" * len(head)]
    departments = sorted(d for d in snapshot.totals if d != ALL) + ([ALL] if ALL in snapshot.totals else [])
    for department in departments:
        label = text("table.whole_municipality") if department == ALL else snapshot.names.get(department, department)
        cells = "".join(
            f"{share(snapshot.shares[(department, c, d)]):>11}"
            if (department, c, d) in snapshot.shares
            else f"{'-':>11}"
            for c, d in COLUMNS
        )
        lines.append(f"{label[:21]:<22}{cells}{number(snapshot.totals[department]):>9}")
    lines.append(text("table.counted", counted=snapshot.counted, rejected=snapshot.rejected))
    if snapshot.counted and not any(snapshot.totals.values()):
        lines.append(text("table.before_window", window=window_name))
    return "\n".join(lines)


@dataclass(frozen=True)
class NationalSnapshot:
    """One window and measure of the national view, as the worker holding the global view exports it."""

    values: dict[str, float]  # municipality -> value of the measure
    ranks: dict[str, float]  # municipality -> place (ranked ones only)
    totals: dict[str, float]  # municipality -> inquiries in the window, both directions
    national: float | None  # the deployment's sums
    mean: float | None  # the average municipality
    median: float | None
    minimum: float
    counted: float


_SAMPLE = re.compile(r"^(\w+)\{([^}]*)\} (\S+)$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def scrape_national(url: str, window: str, measure: str = "self_service", timeout_s: float = 10.0) -> NationalSnapshot:
    """Read the national and league families of one window and measure from a worker."""
    with urllib.request.urlopen(url, timeout=timeout_s) as response:
        return parse_national(response.read().decode(), window, measure)


def parse_national(text: str, window: str, measure: str = "self_service") -> NationalSnapshot:
    """The national snapshot in an exposition. A national worker's /metrics is megabytes; only the
    lines of the few families needed here are parsed (the full parser took seconds)."""
    wanted = (
        metric_names.MUNICIPALITY_MEASURE,
        metric_names.LEAGUE_RANK,
        metric_names.NATIONAL_MEASURE,
        metric_names.MUNICIPALITY_AVERAGE,
        metric_names.LEAGUE_MIN_INQUIRIES,
        metric_names.WINDOW_INQUIRIES,
        total(metric_names.INQUIRIES),
    )
    values: dict[str, float] = {}
    ranks: dict[str, float] = {}
    totals: dict[str, float] = {}
    averages: dict[str, float] = {}
    national: float | None = None
    minimum = counted = 0.0
    for line in text.splitlines():
        if not line.startswith(wanted):
            continue
        if line.startswith(metric_names.LEAGUE_MIN_INQUIRIES + " "):
            minimum = float(line.split()[1])
            continue
        match = _SAMPLE.match(line)
        if match is None:
            continue
        name, value = match.group(1), float(match.group(3))
        labels = dict(_LABEL.findall(match.group(2)))
        ours = labels.get("window") == window and labels.get(metric_names.LABEL_MEASURE) == measure
        if name == metric_names.MUNICIPALITY_MEASURE and ours:
            values[labels["municipality"]] = value
        elif name == metric_names.LEAGUE_RANK and ours:
            ranks[labels["municipality"]] = value
        elif name == metric_names.NATIONAL_MEASURE and ours:
            national = value
        elif name == metric_names.MUNICIPALITY_AVERAGE and ours:
            averages[labels[metric_names.LABEL_STATISTIC]] = value
        elif (
            name == metric_names.WINDOW_INQUIRIES and labels.get("window") == window and labels.get("department") == ALL
        ):
            totals[labels["municipality"]] = totals.get(labels["municipality"], 0.0) + value
        elif name == total(metric_names.INQUIRIES):
            counted += value
    return NationalSnapshot(
        values,
        ranks,
        totals,
        national,
        averages.get(metric_names.STATISTIC_MEAN),
        averages.get(metric_names.STATISTIC_MEDIAN),
        minimum,
        counted,
    )


def render_national(snapshot: NationalSnapshot, window: str, shown: int = 5) -> str:
    """The country's self-service share (sums), the average municipality, and the top and bottom of the table."""
    if not snapshot.values:
        if snapshot.counted:
            return text("table.national_waiting_counted", counted=snapshot.counted)
        return text("table.national_waiting")
    head = (
        f"{text('table.place'):>5}  {text('table.municipality'):<24}{text('table.self_service_in'):>11}"
        f"{text('table.inquiries'):>10}"
    )
    ranked = sorted(snapshot.ranks, key=lambda m: (snapshot.ranks[m], m))

    def shown_share(value: float | None) -> str:
        return "-" if value is None else share(value)

    lines = [
        text(
            "table.national_title",
            window=text(f"window.{window}").lower(),
            municipalities=len(snapshot.values),
            ranked=len(ranked),
            minimum=snapshot.minimum,
        ),
        text(
            "table.national_figures",
            national=shown_share(snapshot.national),
            mean=shown_share(snapshot.mean),
            median=shown_share(snapshot.median),
        ),
        head,
        "-" * len(head),
    ]
    picked = ranked if len(ranked) <= 2 * shown else [*ranked[:shown], "…", *ranked[-shown:]]
    for m in picked:
        if m == "…":
            lines.append(f"{'…':>5}")
            continue
        label = municipality_table().name_of(m)
        lines.append(
            f"{number(snapshot.ranks[m]):>5}  {label[:23]:<24}{share(snapshot.values[m]):>11}"
            f"{number(snapshot.totals.get(m, 0.0)):>10}"
        )
    lines.append(text("table.national_counted", counted=snapshot.counted))
    return "\n".join(lines)
