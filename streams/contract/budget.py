"""The series budget of a deployment: which departments get series of their own, and how many each exports.

A deployment must keep `/metrics` within what Prometheus holds comfortably whatever arrives
(docs/scale.md: 250,000 active series, a scrape within 2 s). Measured there: a department
exports at most 214 series with `full` (every window count, share and rate) and 106 with `lean`
(counts only; shares are divided in PromQL); the deployment's own series (the national view,
the league tables, counters, the process) stay near 10,000 whatever the departments. So the
number of municipalities the deployment admits fixes how many departments each may show:
full while at least FULL_AT_LEAST fit, else lean. One municipality: full, 1,121 departments.
All 98: full, 11 each. A setting given explicitly is taken as it is.

>>> department_budget(250_000, 98)
DepartmentBudget(series='full', departments=11)
>>> department_budget(250_000, 98, departments=20)
DepartmentBudget(series='lean', departments=20)
>>> department_budget(250_000, 1)
DepartmentBudget(series='full', departments=1121)
"""

from __future__ import annotations

from typing import NamedTuple

MAX_SERIES = 250_000
SERIES_PER_DEPARTMENT = {"full": 214, "lean": 106}
DEPLOYMENT_SERIES = 10_000
FULL_AT_LEAST = 10  # departments per municipality that `full` must leave room for, else `lean`
AUTO = "auto"


class DepartmentBudget(NamedTuple):
    series: str  # full | lean
    departments: int  # per municipality, beyond the declared ones


def department_budget(
    max_series: int, municipalities: int, series: str = AUTO, departments: int = 0
) -> DepartmentBudget:
    """What fits `max_series` for `municipalities`; `series` and `departments` (0: derive) as the settings give them."""
    room = max(max_series - DEPLOYMENT_SERIES, 0) // max(municipalities, 1)

    def fitting(mode: str) -> int:
        return max(room // SERIES_PER_DEPARTMENT[mode], 1)

    if series == AUTO:
        wanted = departments or FULL_AT_LEAST
        series = "full" if fitting("full") >= wanted else "lean"
    return DepartmentBudget(series, departments or fitting(series))
