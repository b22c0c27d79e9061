"""Reports over the counted state that need dimensions Prometheus must not carry (KLE tasks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from streams.contract.texts import share, text
from streams.documents.reference import municipality_table
from streams.domain.counting.aggregation import Aggregation


@dataclass(frozen=True)
class SelfServiceTaskRow:
    """Self-service attempts of one department and KLE task over a period (not the status report's
    CompletionRow, which counts the STRAKS/HOLD completion codes of a channel)."""

    municipality: str
    department: str
    kle: str | None
    started: int
    completed: int
    abandoned: int
    department_name: str | None = None  # the unit's name as people write it

    @property
    def rate(self) -> float | None:
        """Completed / started (the same rate as komhen_selfservice_completion_rate, per task)."""
        return self.completed / self.started if self.started else None


def selfservice_completion(
    aggregations: Iterable[Aggregation], first_day: int, last_day: int
) -> list[SelfServiceTaskRow]:
    """One row per department and KLE task that had self-service attempts or completions."""
    aggregations = list(aggregations)
    counts: Counter[tuple[str, str, str | None, str]] = Counter()
    for agg in aggregations:
        for (municipality, department), day, bucket in agg.days():
            if not first_day <= day <= last_day:
                continue
            for cell, n in bucket.cells.items():
                if cell.channel == "self_service" and cell.direction == "in":
                    counts[(municipality, department, cell.kle, "completed")] += n
            for (kind, kle), n in bucket.service.items():
                if kind.startswith("selfservice_"):
                    counts[(municipality, department, kle, kind.removeprefix("selfservice_"))] += n
    keys = sorted({k[:3] for k in counts}, key=lambda k: (k[0], k[1], k[2] or ""))
    names: dict[tuple[str, str], str] = {}
    for agg in aggregations:
        names.update(agg.department_names())
    return [
        SelfServiceTaskRow(
            m,
            d,
            kle,
            counts[(m, d, kle, "started")],
            counts[(m, d, kle, "completed")],
            counts[(m, d, kle, "abandoned")],
            names.get((m, d)),
        )
        for m, d, kle in keys
    ]


def format_completion(rows: list[SelfServiceTaskRow]) -> str:
    """A table for people: headings in their language, the municipality's name, the department and its name,
    rate as a percentage, '-' where nothing was started."""
    head = (
        f"{text('selfservice.municipality'):<16}{text('selfservice.department'):<24}{'KLE':<10}"
        f"{text('selfservice.started'):>9}{text('selfservice.completed'):>12}{text('selfservice.abandoned'):>9}"
        f"{text('selfservice.rate'):>8}  {text('selfservice.unit')}"
    )
    lines = [head, "-" * len(head)]
    table = municipality_table()
    for r in rows:
        rate = share(r.rate) if r.rate is not None else "-"
        kle = r.kle or text("selfservice.no_kle")
        lines.append(
            f"{table.name_of(r.municipality)[:15]:<16}{r.department[:23]:<24}{kle:<10}{r.started:>9}"
            f"{r.completed:>12}{r.abandoned:>9}{rate:>8}  {r.department_name or ''}".rstrip()
        )
    return "\n".join(lines)
