"""What a rule file is made of, and the settings that tune the alerts: the model the builders fill."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from streams.contract import names
from streams.documents.settings import Settings
from streams.domain.counting.snapshot_policy import snapshot_stale_after_s


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
    # four snapshot intervals, at least an hour (domain/counting/snapshot_policy.py); `komhen rules`: the configured
    snapshot_stale_after: int = field(default_factory=lambda: snapshot_stale_after_s(Settings().snapshot_interval_s))
    snapshot_stale_for: int = 900
    worker_job: str = names.WORKER_JOB
    operations_owner: str = "komhen-drift"
    active_hours: ActiveHours = field(default_factory=ActiveHours)
    tz: ZoneInfo = field(default_factory=lambda: Settings().tz)  # where a deadline day ends


def rule_settings(settings: Settings) -> RuleSettings:
    """The rules' settings from the workers' own: a snapshot is stale by the rule the workers' /health
    applies, with their interval."""
    return RuleSettings(tz=settings.tz, snapshot_stale_after=snapshot_stale_after_s(settings.snapshot_interval_s))


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


def literal(text: str) -> str:
    """Free text (a target's title, an owner's address) as a Go template prints it, never runs it.

    Prometheus executes annotations and label values as Go templates: a title holding `{{ with
    query "up" }}` would run a query, and `Mål {{ ikke lukket` would break the rule file. Every
    `{{` becomes an action that prints `{{`; nothing else starts an action.

    >>> literal('Mål {{ with query "up" }}')
    'Mål {{ "{{" }} with query "up" }}'
    """
    return text.replace("{{", '{{ "{{" }}')
