"""Settings from a YAML file and environment variables, validated once at start.

Precedence: command-line flag > environment variable > YAML file (KOMHEN_CONFIG) > default.
Every problem is reported with the variable or key it came from and what is allowed. The file
is read like every document (streams.documents.reading) and checked against
schemas/config.v1.json; it may hold a password, so its problems never quote a value.
A problem is said in the operator's language (streams.contract.texts); a setting's value and its
limits are passed as text, written as the operator types them (30000, 0.5), not as prose numbers.
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
from streams.contract.texts import text as said
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
        given = {k: v for k, v in overrides.items() if v is not None}
        return _validated(replace(self, **given), said("settings.command_line"))


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
        kind = said("settings.whole_number" if target is int else "settings.finite_number")
        raise ConfigError(said("settings.wrong_kind", origin=origin, name=name, kind=kind, got=repr(raw))) from None


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
            values[name] = _coerce(name, raw, target, said("settings.environment", variable=env_name(name)))
    return _validated(Settings(**values), said("settings.configuration"))


def _read_yaml(path: Path, types: Mapping[str, type]) -> dict[str, Any]:
    try:
        data = read_document(path, "settings file") or {}
    except DocumentError as exc:
        raise ConfigError(f"KOMHEN_CONFIG={exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: " + said("settings.not_a_mapping"))
    unknown = sorted(set(data) - set(types), key=str)
    if unknown:
        known = ", ".join(sorted(types))
        raise ConfigError(f"{path}: " + said("settings.unknown", name=repr(field_name(unknown[0])), known=known))
    problems = schema_problems("config.v1.json", data, quote=False)
    if problems:
        raise ConfigError(one_line(f"KOMHEN_CONFIG={path}", problems))
    return {k: _coerce(k, v, types[k], str(path)) for k, v in data.items()}


def _not_a_file(path: str | Path) -> str:
    """Why a setting's path is no file: missing, or something else (a folder, /dev/null) that cannot be read as one."""
    return said("settings.not_regular" if Path(path).exists() else "settings.no_file", path=str(path))


def _validated(s: Settings, origin: str) -> Settings:
    def fail(name: str, message: str) -> ConfigError:
        return ConfigError(f"{origin}: {name} ({env_name(name)}) {message}")

    if s.clock not in ("wall", "event"):
        raise fail("clock", said("settings.clock", got=repr(s.clock)))
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("timezone", said("settings.timezone", zone=repr(s.timezone))) from None
    if s.partitions < 1:
        raise fail("partitions", said("settings.at_least", least="1"))
    if s.retention_days < 366:
        raise fail("retention_days", said("settings.retention_days", least="366"))
    for name in ("web_port",):
        if not 0 <= getattr(s, name) <= 65535:
            raise fail(name, said("settings.port"))
    missing = [str(p) for p in s.target_files if not p.is_file()]
    if missing:
        raise fail("targets", _not_a_file(missing[0]))
    if s.department_series not in (budget.AUTO, *budget.SERIES_PER_DEPARTMENT):
        raise fail("department_series", said("settings.department_series", got=repr(s.department_series)))
    if s.league_min_inquiries < 1:
        raise fail("league_min_inquiries", said("settings.at_least", least="1"))
    if s.municipality and not identifiers.MUNICIPALITY.match(s.municipality):
        raise fail("municipality", said("settings.municipality", got=repr(s.municipality[:40])))
    for name in ("report_units", "report_reference", "source_registry"):
        if getattr(s, name) and not Path(getattr(s, name)).is_file():
            raise fail(name, _not_a_file(getattr(s, name)))
    if s.session_timeout_s < 1:
        raise fail("session_timeout_s", said("settings.least_second"))
    if not 1 <= s.batch_max <= 100_000:
        raise fail("batch_max", said("settings.batch_max"))
    if not 1 <= s.fetch_max_wait_ms <= 30_000:
        raise fail("fetch_max_wait_ms", said("settings.fetch_max_wait_ms"))
    if s.max_departments < 0 or s.max_municipalities < 1:
        raise fail("max_departments", said("settings.max_departments"))
    if s.max_series < budget.DEPLOYMENT_SERIES:
        raise fail("max_series", said("settings.max_series", least=str(budget.DEPLOYMENT_SERIES)))
    for source in s.source_list:
        if not identifiers.SOURCE.match(source):
            raise fail("sources", said("settings.source", source=repr(source)))
    for written in (p.strip() for p in s.departments.split(",") if p.strip()):  # named as the operator wrote it
        municipality, _, department = written.partition("/")
        if not (identifiers.MUNICIPALITY.match(municipality) and identifiers.DEPARTMENT.match(department)):
            raise fail("departments", said("settings.department", pair=written))
    if s.snapshot_interval_s < 0 or 0 < s.snapshot_interval_s < 1 or s.snapshot_interval_s > DAY_S:
        raise fail(
            "snapshot_interval_s",
            said("settings.snapshot_interval", most=str(DAY_S), got=f"{s.snapshot_interval_s:g}"),
        )
    if s.snapshot_keys_file and not Path(s.snapshot_keys_file).is_file():
        raise fail("snapshot_keys_file", _not_a_file(s.snapshot_keys_file))
    if s.input_retention_days < 1:
        raise fail("input_retention_days", said("settings.least_day"))
    if s.snapshots and s.input_retention_days * DAY_S < s.snapshot_interval_s + INPUT_RETENTION_MARGIN_S:
        least = math.ceil((s.snapshot_interval_s + INPUT_RETENTION_MARGIN_S) / DAY_S)
        raise fail(
            "input_retention_days",
            said("settings.cover_snapshots", interval=f"{s.snapshot_interval_s:g}", least=str(least)),
        )
    if not s.snapshots and s.input_retention_days < s.retention_days + 7:
        raise fail(
            "input_retention_days",
            said("settings.no_snapshots", days=str(s.input_retention_days), least=str(s.retention_days + 7)),
        )
    if s.security_protocol not in ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"):
        raise fail("security_protocol", said("settings.security_protocol"))
    if s.security_protocol.startswith("SASL") and not (s.sasl_mechanism and s.sasl_username and s.sasl_password):
        raise fail("sasl_mechanism", said("settings.sasl_needs"))
    if s.security_protocol.startswith("SASL") and s.sasl_mechanism not in SASL_MECHANISMS:
        raise fail(
            "sasl_mechanism",
            said("settings.sasl_mechanism", choices=", ".join(SASL_MECHANISMS), got=repr(s.sasl_mechanism)),
        )
    _check_tls_files(s, fail)
    return s


def _check_tls_files(s: Settings, fail: Callable[[str, str], ConfigError]) -> None:
    """TLS files only with a TLS protocol; a client certificate with its key; every named file readable."""
    tls_files = ("ssl_cafile", "ssl_certfile", "ssl_keyfile")
    if "SSL" not in s.security_protocol:
        named = [name for name in tls_files if getattr(s, name)]
        if named:
            raise fail(named[0], said("settings.tls_without_tls", protocol=s.security_protocol))
        return
    if bool(s.ssl_certfile) != bool(s.ssl_keyfile):
        raise fail("ssl_certfile", said("settings.certificate_and_key"))
    for name in tls_files:
        if getattr(s, name) and not Path(getattr(s, name)).is_file():
            raise fail(name, _not_a_file(getattr(s, name)))
