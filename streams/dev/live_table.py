"""The demo's terminal table: channel shares per department, read from a worker's /metrics.

Departments are shown by their display name (komhen_department_info, from the names the
inquiries carry: an import file's Enhed, a mapping file, a profile), else by their slug.
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass, field

from prometheus_client.parser import text_string_to_metric_families

from streams.danish import percent, whole
from streams.domain.windows import WINDOW_NAMES_DA
from streams.telemetry import names as metric_names
from streams.telemetry.names import ALL_DEPARTMENTS as ALL
from streams.telemetry.names import total

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
    shares: dict[tuple[str, str, str], float] = {}
    totals: dict[str, float] = {}
    names: dict[str, str] = {}
    rejected = counted = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = sample.labels
            if family.name == metric_names.CHANNEL_SHARE and labels.get("window") == window:
                shares[(labels["department"], labels["channel"], labels["direction"])] = sample.value
            elif family.name == metric_names.WINDOW_INQUIRIES and labels.get("window") == window:
                totals[labels["department"]] = totals.get(labels["department"], 0.0) + sample.value
            elif family.name == metric_names.DEPARTMENT_INFO:
                names[labels["department"]] = labels["department_name"]
            elif sample.name == total(metric_names.EVENTS_REJECTED):
                rejected += sample.value
            elif sample.name == total(metric_names.INQUIRIES):
                counted += sample.value
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
    return "\n".join(lines)
