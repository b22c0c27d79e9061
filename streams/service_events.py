"""Service events (schemas/service-event.v1.json): what is not an inquiry but is still counted.

Abandoned calls and started or abandoned self-service attempts are not inquiries under KOMHEN,
yet answer and completion rates need them. They travel in their own versioned contract so
they can never be counted as inquiries. Validation mirrors streams/events.py: patterns and
limits come from the schema file, and a rejection carries an `events.Reason` code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

from streams.events import SCHEMA_VERSION, InvalidEvent, Reason, check_personal_data, message_key
from streams.paths import schemas_dir


class ServiceKind(StrEnum):
    CALL_ABANDONED = "call_abandoned"
    SELFSERVICE_STARTED = "selfservice_started"
    SELFSERVICE_ABANDONED = "selfservice_abandoned"


_KINDS = frozenset(k.value for k in ServiceKind)


@dataclass(frozen=True, slots=True)
class ServiceEvent:
    """One service event, validated.

    >>> e = parse_service_event({"schema_version": 1, "kind": "call_abandoned", "event_id": "telephony-7",
    ...     "source": "telephony", "occurred_at": "2026-11-16T08:14:02+01:00", "municipality": "183",
    ...     "department": "borgerservice"})
    >>> e.kind, e.key
    (<ServiceKind.CALL_ABANDONED: 'call_abandoned'>, '183/borgerservice')
    """

    kind: ServiceKind
    event_id: str
    source: str
    occurred_at: datetime
    municipality: str
    department: str
    kle: str | None = None

    @property
    def key(self) -> str:
        """The same message key as inquiries, so a department's measures meet its inquiries."""
        return message_key(self.municipality, self.department)

    def to_json(self) -> dict[str, Any]:
        """The service event as schema v1 JSON (kle omitted when unset)."""
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "kind": self.kind.value,
            "event_id": self.event_id,
            "source": self.source,
            "occurred_at": self.occurred_at.isoformat(),
            "municipality": self.municipality,
            "department": self.department,
        }
        if self.kle is not None:
            out["kle"] = self.kle
        return out


@dataclass(frozen=True)
class _Rules:
    required: tuple[str, ...]
    allowed: frozenset[str]
    patterns: Mapping[str, re.Pattern[str]]
    max_length: Mapping[str, int]


@cache
def _rules() -> _Rules:
    schema = json.loads((schemas_dir() / "service-event.v1.json").read_text(encoding="utf-8"))
    props = schema["properties"]
    return _Rules(
        required=tuple(schema["required"]),
        allowed=frozenset(props),
        # ECMA-262 '$' is the very end; Python's '$' also matches before a final newline.
        patterns={k: re.compile(v["pattern"].removesuffix("$") + r"\Z") for k, v in props.items() if "pattern" in v},
        max_length={k: v["maxLength"] for k, v in props.items() if "maxLength" in v},
    )


def _string(obj: Mapping[str, Any], name: str, r: _Rules) -> str:
    value = obj[name]
    if type(value) is not str:
        raise InvalidEvent(Reason.WRONG_TYPE, f"{name} must be a string, got {type(value).__name__}", name)
    limit = r.max_length.get(name)
    if limit is not None and len(value) > limit:
        raise InvalidEvent(Reason.TOO_LONG, f"{name} is {len(value)} characters, at most {limit} allowed", name)
    pattern = r.patterns.get(name)
    if pattern is not None and not pattern.match(value):
        raise InvalidEvent(Reason.INVALID_FORMAT, f"{name} {value[:40]!r} does not match {pattern.pattern}", name)
    return value


def parse_service_event(obj: Any) -> ServiceEvent:
    """Validate one decoded JSON value and return the typed service event, or raise InvalidEvent."""
    if type(obj) is not dict:
        raise InvalidEvent(Reason.WRONG_TYPE, f"a service event must be a JSON object, got {type(obj).__name__}")
    check_personal_data(obj)
    r = _rules()
    if "schema_version" not in obj:
        raise InvalidEvent(Reason.MISSING_FIELD, "schema_version is required", "schema_version")
    version = obj["schema_version"]
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise InvalidEvent(
            Reason.UNSUPPORTED_VERSION, f"schema_version {version!r} is not supported (expected 1)", "schema_version"
        )
    for name in r.required:
        if name not in obj:
            raise InvalidEvent(Reason.MISSING_FIELD, f"{name} is required", name)
    unknown = obj.keys() - r.allowed
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidEvent(Reason.UNKNOWN_FIELD, f"unknown field {name[:40]!r}", name)
    kind = obj["kind"]
    if type(kind) is not str:
        raise InvalidEvent(Reason.WRONG_TYPE, f"kind must be a string, got {type(kind).__name__}", "kind")
    if kind not in _KINDS:
        allowed = ", ".join(k.value for k in ServiceKind)
        raise InvalidEvent(Reason.UNKNOWN_CODE, f"kind {kind[:40]!r} is not one of {allowed}", "kind")
    occurred_text = _string(obj, "occurred_at", r)
    try:
        occurred_at = datetime.fromisoformat(occurred_text)
    except ValueError:
        raise InvalidEvent(
            Reason.INVALID_FORMAT, f"occurred_at {occurred_text!r} is not a real date and time", "occurred_at"
        ) from None
    return ServiceEvent(
        kind=ServiceKind(kind),
        event_id=_string(obj, "event_id", r),
        source=_string(obj, "source", r),
        occurred_at=occurred_at,
        municipality=_string(obj, "municipality", r),
        department=_string(obj, "department", r),
        kle=_string(obj, "kle", r) if "kle" in obj else None,
    )
