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
from streams.contract.danish import WINDOW_NAMES_DA, percent, whole
from streams.contract.identifiers import ALL_DEPARTMENTS as ALL
from streams.contract.names import total
from streams.documents.reference import municipality_table

# (channel, direction, column heading) shown in the table: what a channel strategy watches.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("self_service", "in", "Selvbetj."),
    ("phone", "in", "Telefon"),
    ("personal", "in", "Personligt"),
    ("letter", "in", "Papir ind"),
    ("digital_post", "out", "D.Post ud"),
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
    head = f"{'Afdeling':<22}" + "".join(f"{h:>11}" for _, _, h in COLUMNS) + f"{'Henv.':>9}"
    lines = [f"Kanalfordeling, {WINDOW_NAMES_DA[window].lower()} (andel af samme retning)", head, "-" * len(head)]
    departments = sorted(d for d in snapshot.totals if d != ALL) + ([ALL] if ALL in snapshot.totals else [])
    for department in departments:
        label = "Hele kommunen" if department == ALL else snapshot.names.get(department, department)
        cells = "".join(
            f"{percent(snapshot.shares[(department, c, d)]):>11}"
            if (department, c, d) in snapshot.shares
            else f"{'-':>11}"
            for c, d, _ in COLUMNS
        )
        lines.append(f"{label[:21]:<22}{cells}{whole(snapshot.totals[department]):>9}")
    lines.append(f"Talt siden start: {whole(snapshot.counted)}   Afvist (dead letter): {whole(snapshot.rejected)}")
    if snapshot.counted and not any(snapshot.totals.values()):
        lines.append(
            f"De talte henvendelser ligger alle før vinduet ({WINDOW_NAMES_DA[window].lower()}). Et eksempel "
            "publiceret med --shift-to-today ender i går og vises her."
        )
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
        progress = f": {whole(snapshot.counted)} henvendelser talt indtil nu" if snapshot.counted else ""
        return f"Venter på landsoversigten (den eksporteres af workeren med partition 0){progress} …"
    head = f"{'Plads':>5}  {'Kommune':<24}{'Selvbetj.':>11}{'Henv.':>10}"
    ranked = sorted(snapshot.ranks, key=lambda m: (snapshot.ranks[m], m))
    lines = [
        f"Selvbetjening, {WINDOW_NAMES_DA[window].lower()}: {len(snapshot.values)} kommuner, {len(ranked)} rangeret "
        f"(mindst {whole(snapshot.minimum)} indgående henvendelser)",
        f"Hele landet (summen): {percent(snapshot.national) if snapshot.national is not None else '-'}   "
        f"Gennemsnitskommunen: {percent(snapshot.mean) if snapshot.mean is not None else '-'} "
        f"(median {percent(snapshot.median) if snapshot.median is not None else '-'})",
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
            f"{whole(snapshot.ranks[m]):>5}  {label[:23]:<24}{percent(snapshot.values[m]):>11}"
            f"{whole(snapshot.totals.get(m, 0.0)):>10}"
        )
    lines.append(f"Talt siden start: {whole(snapshot.counted)}")
    return "\n".join(lines)
