"""Settings from a YAML file and environment variables, validated once at start.

Precedence: command-line flag > environment variable > YAML file (KOMHEN_CONFIG) > default.
Every problem is reported with the variable or key it came from and what is allowed. The file
is read like every document (streams.documents.reading) and checked against
schemas/config.v1.json; it may hold a password, so its problems never quote a value.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from streams.contract import budget, identifiers
from streams.contract.errors import UnusableInput
from streams.documents.problems import field_name, one_line
from streams.documents.reading import DocumentError, read_document
from streams.documents.shipped import shipped_document
from streams.documents.validation import schema_problems

DAY_S = 24 * 3600
INPUT_RETENTION_MARGIN_S = DAY_S  # beyond the snapshot interval: time to notice and fix a failing worker


class ConfigError(UnusableInput):
    """A setting that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class KafkaConnection:
    """How a Kafka client reaches the brokers: their addresses, TLS and SASL (all a client takes from Settings)."""

    bootstrap_servers: str
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = ""
    sasl_username: str = ""
    sasl_password: str = ""
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""


@dataclass(frozen=True)
class InputTopic:
    """The input topic as its readers see it: the connection, its partitions (the summaries topic has as many),
    the workers' consumer group, and how long a fetch may wait."""

    connection: KafkaConnection
    name: str
    partitions: int
    group_id: str
    fetch_max_wait_ms: int


@dataclass(frozen=True)
class Settings:
    """Everything a worker, the demo or a publisher needs to know."""

    bootstrap_servers: str = ""  # empty: the demo starts the embedded broker
    topic: str = "inquiries"
    dlq_topic: str = ""  # default: "<topic>-dlq"
    partitions: int = 4
    replication_factor: int = 1
    group_id: str = "komhen-live"
    clock: str = "wall"  # wall | event
    timezone: str = "Europe/Copenhagen"
    retention_days: int = 400
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    session_timeout_s: float = 10.0
    batch_max: int = 5000
    batch_within_s: float = 0.05  # the longest an event waits for its batch (freshness p99 < 1 s)
    max_message_bytes: int = 1_000_000
    summary_interval_s: float = 1.0
    # How often each worker writes a snapshot of its partitions' counted state (0: never; then the
    # input topic must keep the whole counting retention). A restart replays only what came after.
    snapshot_interval_s: float = 300.0
    # The secret keys snapshots are signed with (HMAC-SHA256), first key first: written with the first,
    # accepted with any (documents/snapshot_keys.py). Separated by commas here, one per line in the file.
    snapshot_keys: str = field(default="", repr=False)
    snapshot_keys_file: str = ""
    # How long Kafka keeps the raw input events. With snapshots, only what came after the newest
    # snapshot is read again, so this must cover the snapshot interval plus the longest time all
    # workers may be down (see docs/exact-counts.md).
    input_retention_days: int = 7
    # How long the broker may hold a fetch that found nothing new. Some brokers (the embedded
    # Tansu) hold it this long even when records arrive meanwhile, so it bounds freshness.
    fetch_max_wait_ms: int = 100
    targets: str = ""  # target files, separated by commas
    league_min_inquiries: int = 100  # a municipality is ranked on a measure resting on at least this many inquiries
    department_series: str = "auto"  # auto | full | lean: what each department exports (contract/budget.py)
    report_units: str = ""  # the status report at the worker's `/`: display names (report-units.v1 file)
    report_reference: str = ""  # … and values to compare with (report-reference.v1 file)
    # Label budget (streams/telemetry/labels.py): declared sources and departments always have their
    # own series; other departments within these bounds, by volume; the rest count under _other.
    sources: str = "telephony,selfservice,digitalpost,reception,komhen-import,simulator"
    departments: str = ""  # declared departments, "183/borgerservice,165/sundhed"
    max_departments: int = 0  # per municipality; 0: as many as the series budget holds (contract/budget.py)
    max_municipalities: int = 98  # all of Denmark: the contract admits no other municipality number
    max_series: int = budget.MAX_SERIES  # the deployment's active series in Prometheus (docs/scale.md)
    # Tenancy (streams/documents/source_registry.py): the file naming which municipalities each source may
    # write for; without it, a deployment of one municipality names it, and every source writes for it alone.
    source_registry: str = ""
    municipality: str = ""
    data_dir: str = ".komhen"
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = ""
    sasl_username: str = ""
    sasl_password: str = ""
    ssl_cafile: str = ""  # the cluster's CA (Strimzi: Secret <cluster>-cluster-ca-cert, key ca.crt)
    ssl_certfile: str = ""  # mutual TLS: this client's certificate (Strimzi KafkaUser tls: user.crt) …
    ssl_keyfile: str = ""  # … and its key (user.key)

    @property
    def series_budget(self) -> budget.DepartmentBudget:
        """What each department exports and how many per municipality: the settings, or what the budget holds."""
        return budget.department_budget(
            self.max_series, self.max_municipalities, self.department_series, self.max_departments
        )

    @property
    def connection(self) -> KafkaConnection:
        return KafkaConnection(
            self.bootstrap_servers,
            self.security_protocol,
            self.sasl_mechanism,
            self.sasl_username,
            self.sasl_password,
            self.ssl_cafile,
            self.ssl_certfile,
            self.ssl_keyfile,
        )

    @property
    def input_topic(self) -> InputTopic:
        return InputTopic(self.connection, self.topic, self.partitions, self.group_id, self.fetch_max_wait_ms)

    @property
    def dead_letter_topic(self) -> str:
        return self.dlq_topic or f"{self.topic}-dlq"

    @property
    def too_old_after(self) -> timedelta | None:
        """Events older than this before their message time are rejected (`too_old`) with the
        wall clock, whose windows can never show them; with the event clock old data is a
        replay (a 2013 counting week) and is accepted."""
        return timedelta(days=self.retention_days) if self.clock == "wall" else None

    @property
    def summary_topic(self) -> str:
        return f"{self.topic}-summaries"

    @property
    def snapshot_topic(self) -> str:
        return f"{self.topic}-snapshots"

    @property
    def snapshots(self) -> bool:
        return self.snapshot_interval_s > 0

    @property
    def target_files(self) -> list[Path]:
        """The target files, each a path or a shipped one by name (KOMHEN_TARGETS=ishoej,albertslund)."""
        return [_target_file(p.strip()) for p in self.targets.split(",") if p.strip()]

    @property
    def source_list(self) -> list[str]:
        return [p.strip() for p in self.sources.split(",") if p.strip()]

    @property
    def department_list(self) -> list[tuple[str, str]]:
        pairs = (p.strip().partition("/") for p in self.departments.split(",") if p.strip())
        return [(m, d) for m, _, d in pairs]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_overrides(self, **overrides: Any) -> Settings:
        """Apply command-line values that were given (None means not given), then validate."""
        return _validated(replace(self, **{k: v for k, v in overrides.items() if v is not None}), "command line")


# Environment variable for each setting; Kafka's conventional name where one exists.
ENV_NAMES = {
    "bootstrap_servers": "KAFKA_BOOTSTRAP_SERVERS",
    "security_protocol": "KAFKA_SECURITY_PROTOCOL",
    "sasl_mechanism": "KAFKA_SASL_MECHANISM",
    "sasl_username": "KAFKA_SASL_USERNAME",
    "sasl_password": "KAFKA_SASL_PASSWORD",
    "ssl_cafile": "KAFKA_SSL_CAFILE",
    "ssl_certfile": "KAFKA_SSL_CERTFILE",
    "ssl_keyfile": "KAFKA_SSL_KEYFILE",
}
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")  # what kafka-python, aiokafka and Faust all speak


def env_name(field_name: str) -> str:
    return ENV_NAMES.get(field_name, "KOMHEN_" + field_name.upper())


def _target_file(name: str) -> Path:
    path = Path(name)
    return path if path.exists() else shipped_document("targets", name) or path


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment variables that give a child process the same settings (non-defaults only)."""
    default = Settings()
    return {
        env_name(f.name): str(getattr(settings, f.name))
        for f in fields(Settings)
        if getattr(settings, f.name) != getattr(default, f.name)
    }


def _coerce(name: str, raw: Any, target: Any, origin: str) -> Any:
    try:
        if target is int:
            return int(raw)
        if target is float:
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError(value)
            return value
        return str(raw)
    except (TypeError, ValueError):
        kind = "a whole number" if target is int else "a finite number"
        raise ConfigError(f"{origin}: {name} must be {kind}, got {raw!r}") from None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read KOMHEN_CONFIG (YAML) and the environment; raise ConfigError on the first problem."""
    environ = os.environ if environ is None else environ
    types = {f.name: type(f.default) for f in fields(Settings)}
    values: dict[str, Any] = {}
    config_path = environ.get("KOMHEN_CONFIG")
    if config_path:
        values.update(_read_yaml(Path(config_path), types))
    for name, target in types.items():
        raw = environ.get(env_name(name))
        if raw is not None and raw != "":
            values[name] = _coerce(name, raw, target, f"environment variable {env_name(name)}")
    return _validated(Settings(**values), "configuration")


def _read_yaml(path: Path, types: Mapping[str, type]) -> dict[str, Any]:
    try:
        data = read_document(path, "settings file") or {}
    except DocumentError as exc:
        raise ConfigError(f"KOMHEN_CONFIG={exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of setting: value at the top level")
    unknown = sorted(set(data) - set(types), key=str)
    if unknown:
        known = ", ".join(sorted(types))
        raise ConfigError(f"{path}: unknown setting {field_name(unknown[0])!r}; known settings: {known}")
    problems = schema_problems("config.v1.json", data, quote=False)
    if problems:
        raise ConfigError(one_line(f"KOMHEN_CONFIG={path}", problems))
    return {k: _coerce(k, v, types[k], str(path)) for k, v in data.items()}


def _validated(s: Settings, origin: str) -> Settings:
    def fail(name: str, message: str) -> ConfigError:
        return ConfigError(f"{origin}: {name} ({env_name(name)}) {message}")

    if s.clock not in ("wall", "event"):
        raise fail("clock", f"must be 'wall' or 'event', got {s.clock!r}")
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("timezone", f"{s.timezone!r} is not a known time zone (e.g. Europe/Copenhagen)") from None
    if s.partitions < 1:
        raise fail("partitions", "must be at least 1")
    if s.retention_days < 366:
        raise fail("retention_days", "must be at least 366 so that the 365-day and year-to-date windows are exact")
    for name in ("web_port",):
        if not 0 <= getattr(s, name) <= 65535:
            raise fail(name, "must be a port number between 0 and 65535")
    missing = [str(p) for p in s.target_files if not p.is_file()]
    if missing:
        raise fail("targets", f"names a file that does not exist: {missing[0]}")
    if s.department_series not in (budget.AUTO, *budget.SERIES_PER_DEPARTMENT):
        raise fail("department_series", f"must be 'auto', 'full' or 'lean', got {s.department_series!r}")
    if s.league_min_inquiries < 1:
        raise fail("league_min_inquiries", "must be at least 1")
    if s.municipality and not identifiers.MUNICIPALITY.match(s.municipality):
        raise fail("municipality", f"must be a municipality number of 3 digits, e.g. 183, got {s.municipality[:40]!r}")
    for name in ("report_units", "report_reference", "source_registry"):
        if getattr(s, name) and not Path(getattr(s, name)).is_file():
            raise fail(name, f"names a file that does not exist: {getattr(s, name)}")
    if s.session_timeout_s < 1:
        raise fail("session_timeout_s", "must be at least 1 second")
    if not 1 <= s.batch_max <= 100_000:
        raise fail("batch_max", "must be between 1 and 100000")
    if not 1 <= s.fetch_max_wait_ms <= 30_000:
        raise fail("fetch_max_wait_ms", "must be between 1 and 30000 milliseconds")
    if s.max_departments < 0 or s.max_municipalities < 1:
        raise fail(
            "max_departments",
            "must be 0 (as the series budget holds) or more, and KOMHEN_MAX_MUNICIPALITIES at least 1",
        )
    if s.max_series < budget.DEPLOYMENT_SERIES:
        raise fail("max_series", f"must be at least {budget.DEPLOYMENT_SERIES} (the deployment's own series)")
    for source in s.source_list:
        if not identifiers.SOURCE.match(source):
            raise fail(
                "sources", f"names {source!r}, which is no source id (lower-case letters, digits, '.', '_', '-')"
            )
    for municipality, department in s.department_list:
        if not (identifiers.MUNICIPALITY.match(municipality) and identifiers.DEPARTMENT.match(department)):
            raise fail(
                "departments",
                f"names {municipality}/{department}; write municipality/department, e.g. 183/borgerservice",
            )
    if s.snapshot_interval_s < 0 or 0 < s.snapshot_interval_s < 1 or s.snapshot_interval_s > DAY_S:
        raise fail(
            "snapshot_interval_s",
            f"must be 0 (no snapshots) or between 1 and {DAY_S} seconds, got {s.snapshot_interval_s:g}",
        )
    if s.snapshot_keys_file and not Path(s.snapshot_keys_file).is_file():
        raise fail("snapshot_keys_file", f"names a file that does not exist: {s.snapshot_keys_file}")
    if s.input_retention_days < 1:
        raise fail("input_retention_days", "must be at least 1 day")
    if s.snapshots and s.input_retention_days * DAY_S < s.snapshot_interval_s + INPUT_RETENTION_MARGIN_S:
        raise fail(
            "input_retention_days",
            f"must cover the snapshot interval ({s.snapshot_interval_s:g} s) plus a margin of one day; "
            f"set it to at least {math.ceil((s.snapshot_interval_s + INPUT_RETENTION_MARGIN_S) / DAY_S)}",
        )
    if not s.snapshots and s.input_retention_days < s.retention_days + 7:
        raise fail(
            "input_retention_days",
            f"is {s.input_retention_days} days but without snapshots (KOMHEN_SNAPSHOT_INTERVAL_S=0) a restart "
            f"rebuilds the state from the input topic alone: set it to at least {s.retention_days + 7}",
        )
    if s.security_protocol not in ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"):
        raise fail("security_protocol", "must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
    if s.security_protocol.startswith("SASL") and not (s.sasl_mechanism and s.sasl_username and s.sasl_password):
        raise fail("sasl_mechanism", "SASL needs KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
    if s.security_protocol.startswith("SASL") and s.sasl_mechanism not in SASL_MECHANISMS:
        raise fail("sasl_mechanism", f"must be one of {', '.join(SASL_MECHANISMS)}, got {s.sasl_mechanism!r}")
    _check_tls_files(s, fail)
    return s


def _check_tls_files(s: Settings, fail: Callable[[str, str], ConfigError]) -> None:
    """TLS files only with a TLS protocol; a client certificate with its key; every named file readable."""
    tls_files = ("ssl_cafile", "ssl_certfile", "ssl_keyfile")
    if "SSL" not in s.security_protocol:
        named = [name for name in tls_files if getattr(s, name)]
        if named:
            raise fail(named[0], f"is set but KAFKA_SECURITY_PROTOCOL is {s.security_protocol}; use SSL or SASL_SSL")
        return
    if bool(s.ssl_certfile) != bool(s.ssl_keyfile):
        raise fail("ssl_certfile", "and KAFKA_SSL_KEYFILE go together (mutual TLS needs the certificate and its key)")
    for name in tls_files:
        if getattr(s, name) and not Path(getattr(s, name)).is_file():
            raise fail(name, f"names a file that does not exist: {getattr(s, name)}")
