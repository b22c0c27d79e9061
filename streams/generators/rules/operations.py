"""The operations rule file: the pipeline's alerts as a table of rows, and the local active hours.

A new alert is a row of OPERATIONS_ALERTS (name, severity, when, for how long, what it says in
Danish); `operations_alert` turns a row into a rule with the owner's labels.

PromQL's hour() and day_of_week() are UTC. Active hours are local (Europe/Copenhagen), so the
file records the local offset from the EU summer-time rule (from 01:00 UTC on the last Sunday of
March to 01:00 UTC on the last Sunday of October) and applies the hour and weekday functions to
the shifted time. Public holidays are not known to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from streams.contract import names
from streams.contract.danish import WEEKDAY_NAMES_DA
from streams.contract.names import total
from streams.generators.rules.model import ActiveHours, Rule, RuleFile, RuleSettings

OPERATIONS_FILE = "komhen-operations.rules.yml"
LOCAL_TIME = "(vector(time()) + komhen:copenhagen_utc_offset_seconds)"
# 1 from the last Sunday of the month at 01:00 UTC on (day_of_week() is 0 on Sunday).
LAST_SUNDAY_PASSED = "(day_of_month() - day_of_week() >= bool 25) * (1 - (day_of_week() == bool 0) * (hour() < bool 1))"


def active_hours_rules(hours: ActiveHours) -> tuple[Rule, ...]:
    """komhen:copenhagen_dst, the local offset, and komhen:active_hours (1 inside the sources' active time)."""
    weekdays = "\n  + ".join(f"(day_of_week({LOCAL_TIME}) == bool {d})" for d in sorted(hours.weekdays))
    return (
        Rule(
            record="komhen:copenhagen_dst",
            expr=(
                "(month() > bool 3) * (month() < bool 10)\n"
                f"+ (month() == bool 3) * {LAST_SUNDAY_PASSED}\n"
                f"+ (month() == bool 10) * (1 - {LAST_SUNDAY_PASSED})"
            ),
        ),
        Rule(record="komhen:copenhagen_utc_offset_seconds", expr="3600 + 3600 * komhen:copenhagen_dst"),
        Rule(
            record="komhen:active_hours",
            expr=(
                f"(hour({LOCAL_TIME}) >= bool {hours.start_hour})\n* (hour({LOCAL_TIME}) < bool {hours.end_hour})\n"
                f"* (\n  {weekdays}\n)"
            ),
        ),
    )


def active_time_da(hours: ActiveHours) -> str:
    """The sources' active time in Danish: 'mandag, tirsdag, … kl. 08-16'."""
    days = ", ".join(WEEKDAY_NAMES_DA[d] for d in sorted(hours.weekdays))
    return f"{days} kl. {hours.start_hour:02d}-{hours.end_hour:02d}"


@dataclass(frozen=True)
class Alert:
    """One row of the operations alerts; `expr`, `lasting` and `description` read the rule settings."""

    name: str
    severity: str
    expr: Callable[[RuleSettings], str]
    lasting: Callable[[RuleSettings], int]  # the rule's `for:`, in seconds
    summary: str
    description: Callable[[RuleSettings], str]


OPERATIONS_ALERTS = (
    Alert(
        "KomhenSourceSilent",
        "warning",
        lambda s: (
            f"time() - max by (source) ({names.LAST_EVENT_TIMESTAMP}) > {s.source_silent_after}"
            "\nand on () (komhen:active_hours == 1)"
        ),
        lambda s: s.source_silent_for,
        "Kilden {{ $labels.source }} sender ingen henvendelser",
        lambda s: (
            "Seneste hændelse fra {{ $labels.source }} er {{ $value | humanizeDuration }} gammel, "
            f"midt i kildens aktive tid ({active_time_da(s.active_hours)}, dansk tid). Tjek kildesystemet og dets "
            "forbindelse til Kafka."
        ),
    ),
    Alert(
        "KomhenDeadLettersRising",
        "warning",
        lambda s: (
            f"sum by (source, reason) (increase({total(names.EVENTS_REJECTED)}[1h])) > {s.dead_letters_per_hour:g}"
        ),
        lambda s: s.dead_letters_for,
        "Afviste hændelser fra {{ $labels.source }} stiger ({{ $labels.reason }})",
        lambda s: (
            '{{ $value | printf "%.0f" }} hændelser fra {{ $labels.source }} er afvist den seneste time '
            "med årsagen {{ $labels.reason }}. De ligger i dead letter-emnet og tælles ikke med."
        ),
    ),
    Alert(
        "KomhenConsumerLagHigh",
        "warning",
        lambda s: f"max by (topic, partition) ({names.CONSUMER_LAG}) > {s.consumer_lag_max}",
        lambda s: s.consumer_lag_for,
        "Optællingen halter efter på {{ $labels.topic }}/{{ $labels.partition }}",
        lambda s: (
            '{{ $value | printf "%.0f" }} beskeder på {{ $labels.topic }} partition {{ $labels.partition }} '
            "er endnu ikke talt med; tallene på dashboards og i målene er forsinkede."
        ),
    ),
    Alert(
        "KomhenPartitionStalled",
        "critical",
        lambda s: f"max by (topic, partition) ({names.PARTITION_STALLED}) > {s.partition_stalled_after}",
        lambda s: s.partition_stalled_for,
        "Partition {{ $labels.topic }}/{{ $labels.partition }} tælles ikke",
        lambda s: (
            "Beskeder venter på {{ $labels.topic }} partition {{ $labels.partition }}, men ingen er talt "
            "med i {{ $value | humanizeDuration }}. Se workerens /health og log; dens afdelinger står "
            "stille på dashboards og i målene."
        ),
    ),
    Alert(
        "KomhenSnapshotUnusable",
        "warning",
        lambda s: (
            f'sum by (reason) (increase({total(names.RESTORES)}{{path="full_replay",reason!="no_snapshot"}}[1h])) > 0'
        ),
        lambda s: 0,  # it has happened: the hour of increase is how long it shows
        "En partition er talt forfra, fordi dens snapshot ikke kunne bruges ({{ $labels.reason }})",
        lambda s: (
            "En worker fandt det seneste snapshot af en partition ubrugeligt (årsag {{ $labels.reason }}) "
            "og talte partitionen igen fra starten af input-emnet, der kun gemmer de seneste dage "
            "(KOMHEN_INPUT_RETENTION_DAYS). Henvendelser fra før det kan mangle i tallene; workerens log "
            "siger hvilken partition og hvorfor."
            '{{ if eq $labels.reason "authentication" }} Snapshottet var ikke signeret med nogen nøgle i '
            "KOMHEN_SNAPSHOT_KEYS: enten har nogen skrevet det uden nøglen (tjek hvem der kan skrive til "
            "snapshot-emnet), eller en nøgle blev fjernet, før alle partitioner havde et snapshot med den "
            "nye.{{ end }}"
        ),
    ),
    Alert(
        "KomhenSnapshotStale",
        "warning",
        lambda s: (
            f"time() - max by (partition) ({names.SNAPSHOT_TIMESTAMP}) > {s.snapshot_stale_after}\n"
            f"and on (partition) max by (partition) ({names.SNAPSHOT_BEHIND}) > 0"
        ),
        lambda s: s.snapshot_stale_for,
        "Partition {{ $labels.partition }} får ikke nye snapshots",
        lambda s: (
            "Det seneste snapshot af partition {{ $labels.partition }} er {{ $value | humanizeDuration }} "
            "gammelt, og der er talt henvendelser siden. En genstart må læse dem igen fra input-emnet, og "
            "bliver snapshottet ældre end KOMHEN_INPUT_RETENTION_DAYS, går de tabt. Se workerens log og "
            f"{total(names.SNAPSHOTS_WRITTEN)} med outcome failed."
        ),
    ),
    Alert(
        "KomhenWorkerDown",
        "critical",
        lambda s: f'up{{job="{s.worker_job}"}} == 0',
        lambda s: s.worker_down_for,
        "komhen-worker {{ $labels.instance }} svarer ikke",
        lambda s: (
            "Prometheus kan ikke hente målinger fra {{ $labels.instance }}. Henvendelserne tælles ikke, "
            "og målenes tal står stille, til workeren kører igen."
        ),
    ),
)


def operations_alert(alert: Alert, settings: RuleSettings) -> Rule:
    """A row of OPERATIONS_ALERTS as an alerting rule, owned by the operations team."""
    return Rule(
        alert=alert.name,
        expr=alert.expr(settings),
        for_seconds=alert.lasting(settings),
        labels={"severity": alert.severity, "owner": settings.operations_owner},
        annotations={"summary": alert.summary, "description": alert.description(settings)},
    )


def operations_rule_file(settings: RuleSettings) -> RuleFile:
    """Pipeline health alerts, and the local active-hours series the source-silence alert needs."""
    rules = (*active_hours_rules(settings.active_hours), *(operations_alert(a, settings) for a in OPERATIONS_ALERTS))
    return RuleFile(
        name=OPERATIONS_FILE, source="for the pipeline (no target file)", group="komhen-operations", rules=rules
    )
