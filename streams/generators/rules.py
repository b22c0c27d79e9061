"""Prometheus rule files generated from target files: model → pure generators → one writer.

Per target file, one group holds each target's recording rules (how far it is from the
threshold and from the glide path, signed so that > 0 is worse whatever the comparator)
and its alerts. One operations file holds the pipeline alerts and the Copenhagen
active-hours recording rules.

PromQL's hour() and day_of_week() are UTC. Active hours are local (Europe/Copenhagen), so
the operations file records the local offset from the EU summer-time rule (from 01:00 UTC
on the last Sunday of March to 01:00 UTC on the last Sunday of October) and applies the
hour and weekday functions to the shifted time. Public holidays are not known to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from streams.contract import identifiers, names
from streams.contract.names import total
from streams.documents.settings import Settings
from streams.domain.measures.measures import MEASURE_NAMES_DA
from streams.domain.measures.progress import TargetState
from streams.domain.measures.targets import Target, TargetFile, load_target_files

OPERATIONS_FILE = "komhen-operations.rules.yml"
LOWER_SEVERITY = {"critical": "warning", "warning": "info", "info": "info"}
WEEKDAY_NAMES_DA = ("søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag")


@dataclass(frozen=True)
class ActiveHours:
    """When sources are expected to send: local weekdays (0 = Sunday, as PromQL) and [start, end) hours."""

    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)
    start_hour: int = 8
    end_hour: int = 16

    def __post_init__(self) -> None:
        if not 0 <= self.start_hour < self.end_hour <= 24:
            raise ValueError(f"active hours {self.start_hour}-{self.end_hour} must satisfy 0 <= start < end <= 24")
        if not self.weekdays or any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError(f"active weekdays {self.weekdays} must be 0 (Sunday) to 6 (Saturday)")


@dataclass(frozen=True)
class RuleSettings:
    """Thresholds and `for:` durations (seconds); the defaults avoid flapping, tests pass short ones."""

    target_missed_for: int = 3600
    behind_schedule_for: int = 6 * 3600
    source_silent_after: int = 1800
    source_silent_for: int = 3600
    dead_letters_per_hour: float = 10
    dead_letters_for: int = 900
    consumer_lag_max: int = 1000
    consumer_lag_for: int = 600
    partition_stalled_after: int = 300
    partition_stalled_for: int = 300
    worker_down_for: int = 120
    snapshot_stale_after: int = 3600  # 12 default snapshot intervals; `komhen rules` takes 4 of the configured
    snapshot_stale_for: int = 900
    worker_job: str = names.WORKER_JOB
    operations_owner: str = "komhen-drift"
    active_hours: ActiveHours = field(default_factory=ActiveHours)
    tz: ZoneInfo = field(default_factory=lambda: Settings().tz)  # where a deadline day ends


@dataclass(frozen=True)
class Rule:
    """A recording rule (`alert` None) or an alerting rule."""

    expr: str
    record: str | None = None
    alert: str | None = None
    for_seconds: int | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleFile:
    name: str
    source: str  # what it was generated from, for the header
    group: str
    rules: tuple[Rule, ...]


def duration(seconds: int) -> str:
    """A Prometheus duration: 5400 -> '1h30m', 0 -> '0s'."""
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            out += f"{seconds // size}{unit}"
            seconds %= size
    return out or "0s"


def deadline_timestamp(deadline: date, tz: ZoneInfo) -> int:
    """The moment a deadline day ends in the local time zone, in Unix seconds."""
    return int(datetime.combine(deadline + timedelta(days=1), time(), tz).timestamp())


def _danish_date(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _selector(municipality: str, target: Target) -> str:
    return f'{{municipality="{municipality}",target="{target.id}"}}'


def _format(target: Target, value: str) -> str:
    """A template expression rendering `value` in the target's unit."""
    if target.measure.in_percent:
        return f"{{{{ {value} | humanizePercentage }}}}"
    return f'{{{{ {value} | printf "%.2f" }}}} kr.'


def _bar(target: Target) -> str:
    word = "mindst" if target.comparator == ">=" else "højst"
    return f"{word} {_format(target, repr(target.threshold))}"


DEPARTMENT_DA = '{{ if eq $labels.department "_all" }}hele kommunen{{ else }}{{ $labels.department }}{{ end }}'
EXPECTED_VALUE = (
    f'{{{{ with printf "{names.TARGET_EXPECTED}{{target=%q,municipality=%q,department=%q}}" '
    "$labels.target $labels.municipality $labels.department | query }}{{ . | first | value | FORMAT }}{{ end }}"
)


def _too_few(municipality: str, target: Target) -> str:
    """No verdict on too few inquiries: the clause that keeps a target's alerts silent then."""
    state = (
        f'{{municipality="{municipality}",target="{target.id}",{names.LABEL_STATE}="{TargetState.TOO_FEW_INQUIRIES}"}}'
    )
    return f"\nunless on (target, municipality, department) {names.TARGET_STATE}{state} == 1"


def _place(municipality: str) -> str:
    """Who the target is about, in Danish: a department of a municipality, or the whole deployment."""
    if municipality == identifiers.NATIONAL:
        return "hele landet"
    return f"{DEPARTMENT_DA} i kommune {{{{ $labels.municipality }}}}"


def _shortfall(metric: str, municipality: str, target: Target) -> str:
    """`metric` (threshold or expected) vs the actual value, signed so that > 0 is worse."""
    sel = _selector(municipality, target)
    if target.comparator == ">=":
        return f"{metric}{sel} - {names.TARGET_ACTUAL}{sel}"
    return f"{names.TARGET_ACTUAL}{sel} - {metric}{sel}"


def target_rules(municipality: str, target: Target, settings: RuleSettings) -> tuple[Rule, ...]:
    """Recording rules and alerts of one target (all its scopes: the department comes from the series)."""
    sel = _selector(municipality, target)
    labels = {"severity": target.severity, "owner": target.owner.label, "target": target.id}
    measure_da = MEASURE_NAMES_DA[target.measure]
    what = f"{measure_da.capitalize()} for {_place(municipality)}"
    scope_da = "hele landet" if municipality == identifiers.NATIONAL else DEPARTMENT_DA
    now = f"er {_format(target, '$value')}"
    # The static target label (equal to the series' own) keeps each target's recording rules distinct.
    own = {"target": target.id}
    shortfall = _shortfall(names.TARGET_THRESHOLD, municipality, target)
    rules = [Rule(record="komhen_target:shortfall", expr=shortfall, labels=own)]
    missed = f"{names.TARGET_ACTUAL}{sel}\nand komhen_target:shortfall{sel} > 0"
    if target.deadline is None:
        when = "Målet gælder løbende."
    else:
        missed += f"\nand on () vector(time()) >= {deadline_timestamp(target.deadline, settings.tz)}"
        when = f"Fristen var {_danish_date(target.deadline)}."
    missed += _too_few(municipality, target)
    rules.append(
        Rule(
            alert="KomhenTargetMissed",
            expr=missed,
            for_seconds=settings.target_missed_for,
            labels=labels,
            annotations={
                "summary": f"Mål ikke nået: {target.title} ({scope_da})",
                "description": f"{what} {now}; målet er {_bar(target)}. {when}",
            },
        )
    )
    if target.deadline is not None:
        deadline = deadline_timestamp(target.deadline, settings.tz)
        expected = EXPECTED_VALUE.replace(
            "FORMAT", "humanizePercentage" if target.measure.in_percent else 'printf "%.2f"'
        )
        unit = "" if target.measure.in_percent else " kr."
        behind = _shortfall(names.TARGET_EXPECTED, municipality, target)
        rules.append(Rule(record="komhen_target:schedule_shortfall", expr=behind, labels=own))
        rules.append(
            Rule(
                alert="KomhenTargetBehindSchedule",
                expr=(
                    f"{names.TARGET_ACTUAL}{sel}\nand komhen_target:schedule_shortfall{sel} > 0"
                    f"\nand on () vector(time()) < {deadline}{_too_few(municipality, target)}"
                ),
                for_seconds=settings.behind_schedule_for,
                labels={**labels, "severity": LOWER_SEVERITY[target.severity]},
                annotations={
                    "summary": f"Bagud i forhold til planen: {target.title} ({scope_da})",
                    "description": (
                        f"{what} {now}, men planen siger {expected}{unit} i dag på vej mod {_bar(target)} "
                        f"den {_danish_date(target.deadline)}."
                    ),
                },
            )
        )
    return tuple(rules)


def target_rule_file(targets: TargetFile, settings: RuleSettings) -> RuleFile:
    """One target file's rules, targets sorted by id so that editing order does not matter."""
    rules = tuple(
        r for t in sorted(targets.targets, key=lambda t: t.id) for r in target_rules(targets.municipality, t, settings)
    )
    return RuleFile(
        name=f"targets-{targets.path.stem}.rules.yml",
        source=f"from {_display_path(targets.path)}",
        group=f"komhen-targets-{targets.municipality}-{targets.path.stem}",
        rules=rules,
    )


def operations_rule_file(settings: RuleSettings) -> RuleFile:
    """Pipeline health alerts, and the local active-hours series the source-silence alert needs."""
    hours = settings.active_hours
    local = "(vector(time()) + komhen:copenhagen_utc_offset_seconds)"
    weekdays = "\n  + ".join(f"(day_of_week({local}) == bool {d})" for d in sorted(hours.weekdays))
    active_days = ", ".join(WEEKDAY_NAMES_DA[d] for d in sorted(hours.weekdays))
    ops = {"owner": settings.operations_owner}
    last_sunday_passed = (
        "(day_of_month() - day_of_week() >= bool 25) * (1 - (day_of_week() == bool 0) * (hour() < bool 1))"
    )
    rules = (
        Rule(
            record="komhen:copenhagen_dst",
            expr=(
                "(month() > bool 3) * (month() < bool 10)\n"
                f"+ (month() == bool 3) * {last_sunday_passed}\n"
                f"+ (month() == bool 10) * (1 - {last_sunday_passed})"
            ),
        ),
        Rule(record="komhen:copenhagen_utc_offset_seconds", expr="3600 + 3600 * komhen:copenhagen_dst"),
        Rule(
            record="komhen:active_hours",
            expr=(
                f"(hour({local}) >= bool {hours.start_hour})\n* (hour({local}) < bool {hours.end_hour})\n"
                f"* (\n  {weekdays}\n)"
            ),
        ),
        Rule(
            alert="KomhenSourceSilent",
            expr=(
                f"time() - max by (source) ({names.LAST_EVENT_TIMESTAMP})"
                f" > {settings.source_silent_after}\nand on () (komhen:active_hours == 1)"
            ),
            for_seconds=settings.source_silent_for,
            labels={"severity": "warning", **ops},
            annotations={
                "summary": "Kilden {{ $labels.source }} sender ingen henvendelser",
                "description": (
                    "Seneste hændelse fra {{ $labels.source }} er {{ $value | humanizeDuration }} gammel, "
                    f"midt i kildens aktive tid ({active_days} kl. {hours.start_hour:02d}-{hours.end_hour:02d}, "
                    "dansk tid). Tjek kildesystemet og dets forbindelse til Kafka."
                ),
            },
        ),
        Rule(
            alert="KomhenDeadLettersRising",
            expr=(
                f"sum by (source, reason) (increase({total(names.EVENTS_REJECTED)}[1h]))"
                f" > {settings.dead_letters_per_hour:g}"
            ),
            for_seconds=settings.dead_letters_for,
            labels={"severity": "warning", **ops},
            annotations={
                "summary": "Afviste hændelser fra {{ $labels.source }} stiger ({{ $labels.reason }})",
                "description": (
                    '{{ $value | printf "%.0f" }} hændelser fra {{ $labels.source }} er afvist den seneste time '
                    "med årsagen {{ $labels.reason }}. De ligger i dead letter-emnet og tælles ikke med."
                ),
            },
        ),
        Rule(
            alert="KomhenConsumerLagHigh",
            expr=f"max by (topic, partition) ({names.CONSUMER_LAG}) > {settings.consumer_lag_max}",
            for_seconds=settings.consumer_lag_for,
            labels={"severity": "warning", **ops},
            annotations={
                "summary": "Optællingen halter efter på {{ $labels.topic }}/{{ $labels.partition }}",
                "description": (
                    '{{ $value | printf "%.0f" }} beskeder på {{ $labels.topic }} partition {{ $labels.partition }} '
                    "er endnu ikke talt med; tallene på dashboards og i målene er forsinkede."
                ),
            },
        ),
        Rule(
            alert="KomhenPartitionStalled",
            expr=f"max by (topic, partition) ({names.PARTITION_STALLED}) > {settings.partition_stalled_after}",
            for_seconds=settings.partition_stalled_for,
            labels={"severity": "critical", **ops},
            annotations={
                "summary": "Partition {{ $labels.topic }}/{{ $labels.partition }} tælles ikke",
                "description": (
                    "Beskeder venter på {{ $labels.topic }} partition {{ $labels.partition }}, men ingen er talt "
                    "med i {{ $value | humanizeDuration }}. Se workerens /health og log; dens afdelinger står "
                    "stille på dashboards og i målene."
                ),
            },
        ),
        Rule(
            alert="KomhenSnapshotUnusable",
            expr=(
                f"sum by (reason) (increase({total(names.RESTORES)}"
                '{path="full_replay",reason!="no_snapshot"}[1h])) > 0'
            ),
            for_seconds=0,  # it has happened: the hour of increase is how long it shows
            labels={"severity": "warning", **ops},
            annotations={
                "summary": "En partition er talt forfra, fordi dens snapshot ikke kunne bruges ({{ $labels.reason }})",
                "description": (
                    "En worker fandt det seneste snapshot af en partition ubrugeligt (årsag {{ $labels.reason }}) "
                    "og talte partitionen igen fra starten af input-emnet, der kun gemmer de seneste dage "
                    "(KOMHEN_INPUT_RETENTION_DAYS). Henvendelser fra før det kan mangle i tallene; workerens log "
                    "siger hvilken partition og hvorfor."
                ),
            },
        ),
        Rule(
            alert="KomhenSnapshotStale",
            expr=(
                f"time() - max by (partition) ({names.SNAPSHOT_TIMESTAMP}) > {settings.snapshot_stale_after}\n"
                f"and on (partition) max by (partition) ({names.SNAPSHOT_BEHIND}) > 0"
            ),
            for_seconds=settings.snapshot_stale_for,
            labels={"severity": "warning", **ops},
            annotations={
                "summary": "Partition {{ $labels.partition }} får ikke nye snapshots",
                "description": (
                    "Det seneste snapshot af partition {{ $labels.partition }} er {{ $value | humanizeDuration }} "
                    "gammelt, og der er talt henvendelser siden. En genstart må læse dem igen fra input-emnet, og "
                    "bliver snapshottet ældre end KOMHEN_INPUT_RETENTION_DAYS, går de tabt. Se workerens log og "
                    f"{total(names.SNAPSHOTS_WRITTEN)} med outcome failed."
                ),
            },
        ),
        Rule(
            alert="KomhenWorkerDown",
            expr=f'up{{job="{settings.worker_job}"}} == 0',
            for_seconds=settings.worker_down_for,
            labels={"severity": "critical", **ops},
            annotations={
                "summary": "komhen-worker {{ $labels.instance }} svarer ikke",
                "description": (
                    "Prometheus kan ikke hente målinger fra {{ $labels.instance }}. Henvendelserne tælles ikke, "
                    "og målenes tal står stille, til workeren kører igen."
                ),
            },
        ),
    )
    return RuleFile(
        name=OPERATIONS_FILE, source="for the pipeline (no target file)", group="komhen-operations", rules=rules
    )


def _display_path(path: Path) -> str:
    """The path as the operator sees it: relative to the working folder when it lies below it."""
    resolved, here = path.resolve(), Path.cwd()
    return str(resolved.relative_to(here)) if resolved.is_relative_to(here) else str(path)


class _Dumper(yaml.SafeDumper):
    """Block style, list items indented under their key, multi-line strings as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: object) -> str:
    """Stable, readable YAML in the order given (rule files, Kubernetes manifests)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)


def _rule_dict(rule: Rule) -> dict[str, object]:
    out: dict[str, object] = {"record": rule.record} if rule.record else {"alert": rule.alert}
    out["expr"] = rule.expr
    if rule.for_seconds is not None:
        out["for"] = duration(rule.for_seconds)
    if rule.labels:
        out["labels"] = dict(sorted(rule.labels.items()))
    if rule.annotations:
        out["annotations"] = dict(sorted(rule.annotations.items()))
    return out


def groups(rule_file: RuleFile) -> list[dict[str, object]]:
    """The file's `groups:` as data: what the rule file holds and a PrometheusRule's spec.groups."""
    return [{"name": rule_file.group, "rules": [_rule_dict(r) for r in rule_file.rules]}]


def render(rule_file: RuleFile) -> str:
    """The file's text: a do-not-edit header, then stable, readable YAML."""
    body = dump_yaml({"groups": groups(rule_file)})
    return f"# Generated by komhen rules generate {rule_file.source}; do not edit.\n{body}"


def rule_settings(settings: Settings) -> RuleSettings:
    """The rules' settings from the workers' own: a snapshot is late after four of their intervals
    (at least the default hour)."""
    stale_after = max(RuleSettings.snapshot_stale_after, 4 * int(settings.snapshot_interval_s))
    return RuleSettings(tz=settings.tz, snapshot_stale_after=stale_after)


def rule_files(target_files: list[Path], settings: RuleSettings) -> list[RuleFile]:
    """One rule file per target file plus the operations file; every target file is loaded and validated."""
    loaded = load_target_files(target_files)
    files = [target_rule_file(tf, settings) for tf in loaded] + [operations_rule_file(settings)]
    names = [f.name for f in files]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise ValueError(f"target files would write the same rule file {', '.join(clashes)}; rename one of them")
    return files


def generate_rule_files(target_files: list[Path], out_dir: Path, *, settings: RuleSettings | None = None) -> list[Path]:
    """Write one rule file per target file plus the operations file into `out_dir`; return their paths.

    Every target file is loaded and validated first, so a bad one writes nothing.
    """
    files = rule_files(target_files, settings or RuleSettings())
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for f in files:
        path = out_dir / f.name
        path.write_text(render(f), encoding="utf-8")
        written.append(path)
    return written
