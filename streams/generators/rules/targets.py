"""A target file's rule file: per target, how far it is from its threshold and its plan, and the alerts.

Each target gets a recording rule of its shortfall (signed so that > 0 is worse whatever the
comparator) and KomhenTargetMissed; a target with a deadline also its shortfall from the glide
path and KomhenTargetBehindSchedule. All its scopes share them: the department comes from the
series. No verdict on too few inquiries: both alerts stay silent then.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from streams.contract import identifiers, names
from streams.contract.danish import (
    COMPARATORS_DA,
    MEASURE_NAMES_DA,
    WHOLE_COUNTRY_DA,
    WHOLE_MUNICIPALITY_DA,
    numeric_date,
)
from streams.domain.measures.progress import TargetState
from streams.domain.measures.targets import Target, TargetFile
from streams.generators.rules.model import Rule, RuleFile, RuleSettings, literal

LOWER_SEVERITY = {"critical": "warning", "warning": "info", "info": "info"}
DEPARTMENT_DA = (
    f'{{{{ if eq $labels.department "{identifiers.ALL_DEPARTMENTS}" }}}}{WHOLE_MUNICIPALITY_DA}'
    "{{ else }}{{ $labels.department }}{{ end }}"
)
EXPECTED_VALUE = (
    f'{{{{ with printf "{names.TARGET_EXPECTED}{{target=%q,municipality=%q,department=%q}}" '
    "$labels.target $labels.municipality $labels.department | query }}{{ . | first | value | FORMAT }}{{ end }}"
)


def deadline_timestamp(deadline: date, tz: ZoneInfo) -> int:
    """The moment a deadline day ends in the local time zone, in Unix seconds."""
    return int(datetime.combine(deadline + timedelta(days=1), time(), tz).timestamp())


def _selector(municipality: str, target: Target) -> str:
    return f'{{municipality="{municipality}",target="{target.id}"}}'


def _format(target: Target, value: str) -> str:
    """A template expression rendering `value` in the target's unit."""
    if target.measure.in_percent:
        return f"{{{{ {value} | humanizePercentage }}}}"
    return f'{{{{ {value} | printf "%.2f" }}}} kr.'


def _bar(target: Target) -> str:
    return f"{COMPARATORS_DA[target.comparator]} {_format(target, repr(target.threshold))}"


def _too_few(municipality: str, target: Target) -> str:
    """No verdict on too few inquiries: the clause that keeps a target's alerts silent then."""
    state = (
        f'{{municipality="{municipality}",target="{target.id}",{names.LABEL_STATE}="{TargetState.TOO_FEW_INQUIRIES}"}}'
    )
    return f"\nunless on (target, municipality, department) {names.TARGET_STATE}{state} == 1"


def _place(municipality: str) -> str:
    """Who the target is about, in Danish: a department of a municipality, or the whole deployment."""
    if municipality == identifiers.NATIONAL:
        return WHOLE_COUNTRY_DA
    return f"{DEPARTMENT_DA} i kommune {{{{ $labels.municipality }}}}"


def _alert(
    name: str,
    metric: str,
    municipality: str,
    target: Target,
    *,
    when: str,
    lasting: int,
    severity: str,
    summary: str,
    description: str,
) -> tuple[Rule, Rule]:
    """A shortfall from `metric` (threshold or expected) recorded as `komhen_target:<kind>`, and its alert.

    The alert fires while the actual value is on the wrong side and `when` (a PromQL clause) holds.
    """
    sel = _selector(municipality, target)
    record = "komhen_target:shortfall" if metric == names.TARGET_THRESHOLD else "komhen_target:schedule_shortfall"
    if target.comparator == ">=":
        shortfall = f"{metric}{sel} - {names.TARGET_ACTUAL}{sel}"
    else:
        shortfall = f"{names.TARGET_ACTUAL}{sel} - {metric}{sel}"
    scope_da = WHOLE_COUNTRY_DA if municipality == identifiers.NATIONAL else DEPARTMENT_DA
    return (
        # The static target label (equal to the series' own) keeps each target's recording rules distinct.
        Rule(record=record, expr=shortfall, labels={"target": target.id}),
        Rule(
            alert=name,
            expr=f"{names.TARGET_ACTUAL}{sel}\nand {record}{sel} > 0{when}{_too_few(municipality, target)}",
            for_seconds=lasting,
            labels={"severity": severity, "owner": literal(target.owner.label), "target": target.id},
            annotations={"summary": f"{summary}: {literal(target.title)} ({scope_da})", "description": description},
        ),
    )


def target_rules(municipality: str, target: Target, settings: RuleSettings) -> tuple[Rule, ...]:
    """Recording rules and alerts of one target (all its scopes: the department comes from the series)."""
    what = f"{MEASURE_NAMES_DA[target.measure].capitalize()} for {_place(municipality)}"
    now = f"er {_format(target, '$value')}"
    deadline = None if target.deadline is None else deadline_timestamp(target.deadline, settings.tz)
    missed = _alert(
        "KomhenTargetMissed",
        names.TARGET_THRESHOLD,
        municipality,
        target,
        when="" if deadline is None else f"\nand on () vector(time()) >= {deadline}",
        lasting=settings.target_missed_for,
        severity=target.severity,
        summary="Mål ikke nået",
        description=f"{what} {now}; målet er {_bar(target)}. "
        + ("Målet gælder løbende." if target.deadline is None else f"Fristen var {numeric_date(target.deadline)}."),
    )
    if target.deadline is None:
        return missed
    expected = EXPECTED_VALUE.replace("FORMAT", "humanizePercentage" if target.measure.in_percent else 'printf "%.2f"')
    unit = "" if target.measure.in_percent else " kr."
    behind = _alert(
        "KomhenTargetBehindSchedule",
        names.TARGET_EXPECTED,
        municipality,
        target,
        when=f"\nand on () vector(time()) < {deadline}",
        lasting=settings.behind_schedule_for,
        severity=LOWER_SEVERITY[target.severity],
        summary="Bagud i forhold til planen",
        description=(
            f"{what} {now}, men planen siger {expected}{unit} i dag på vej mod {_bar(target)} "
            f"den {numeric_date(target.deadline)}."
        ),
    )
    return (*missed, *behind)


def target_rule_file(targets: TargetFile, settings: RuleSettings) -> RuleFile:
    """One target file's rules, targets sorted by id so that editing order does not matter."""
    rules = tuple(
        r for t in sorted(targets.targets, key=lambda t: t.id) for r in target_rules(targets.municipality, t, settings)
    )
    path = Path(targets.path)
    return RuleFile(
        name=f"targets-{path.stem}.rules.yml",
        source=f"from {_display_path(path)}",
        group=f"komhen-targets-{targets.municipality}-{path.stem}",
        rules=rules,
    )


def _display_path(path: Path) -> str:
    """The path as the operator sees it: relative to the working folder when it lies below it."""
    resolved, here = path.resolve(), Path.cwd()
    return str(resolved.relative_to(here)) if resolved.is_relative_to(here) else str(path)
