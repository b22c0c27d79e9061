"""Service events (schemas/service-event.v1.json): what is not an inquiry but is still counted.

Abandoned calls, started or abandoned self-service attempts and missed or cancelled reception
visits are not inquiries under KOMHEN, yet answer, completion and no-show rates need them. They
travel in their own versioned contract so they can never be counted as inquiries. Validation
mirrors inquiry.py: the fields the schema file requires and allows are the EventContract's, each
field's rules the inquiry contract's, and a rejection carries a `Reason` code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from streams.domain.events.inquiry import (
    SCHEMA_VERSION,
    EventParser,
    InvalidEvent,
    Reason,
    message_key,
    not_one_of,
    parse_moment,
)
from streams.domain.events.privacy import shown, truncated


class ServiceKind(StrEnum):
    CALL_ABANDONED = "call_abandoned"
    SELFSERVICE_STARTED = "selfservice_started"
    SELFSERVICE_ABANDONED = "selfservice_abandoned"
    VISIT_NO_SHOW = "visit_no_show"
    VISIT_CANCELLED = "visit_cancelled"


_KINDS = frozenset(k.value for k in ServiceKind)


@dataclass(frozen=True, slots=True)
class ServiceEvent:
    """One service event, validated: `parse_service_event({"schema_version": 1, "kind": "call_abandoned",
    "event_id": "telephony-7", "source": "telephony", "occurred_at": "2026-11-16T08:14:02+01:00",
    "municipality": "183", "department": "borgerservice"}, parser)` has kind CALL_ABANDONED and key '183'.
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
        return message_key(self.municipality)

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


def _required(obj: Mapping[str, Any], name: str, parser: EventParser) -> str:
    value = parser.string_field(obj, name)
    if value is None:
        raise InvalidEvent(Reason.WRONG_TYPE, "rejected.null", name, name=name)
    return value


def parse_service_event(obj: Any, parser: EventParser) -> ServiceEvent:
    """Validate one decoded JSON value by the parser's contract and return the typed service event,
    or raise InvalidEvent."""
    if type(obj) is not dict:
        raise InvalidEvent(Reason.WRONG_TYPE, "rejected.service_not_object", got=type(obj).__name__)
    parser.check_personal_data(obj)
    contract = parser.contract
    if "schema_version" not in obj:
        raise InvalidEvent(Reason.MISSING_FIELD, "rejected.required", "schema_version", name="schema_version")
    version = obj["schema_version"]
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise InvalidEvent(Reason.UNSUPPORTED_VERSION, "rejected.version", "schema_version", value=shown(version))
    for name in contract.service_required:
        if name not in obj:
            raise InvalidEvent(Reason.MISSING_FIELD, "rejected.required", name, name=name)
    unknown = obj.keys() - contract.service_allowed
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidEvent(Reason.UNKNOWN_FIELD, "rejected.unknown_field", truncated(name, 64), name=shown(name))
    kind = obj["kind"]
    if type(kind) is not str:
        raise InvalidEvent(Reason.WRONG_TYPE, "rejected.not_string", "kind", name="kind", got=type(kind).__name__)
    if kind not in _KINDS:
        raise not_one_of("kind", kind, [k.value for k in ServiceKind], field="kind")
    occurred_at = parse_moment(_required(obj, "occurred_at", parser))
    return ServiceEvent(
        kind=ServiceKind(kind),
        event_id=_required(obj, "event_id", parser),
        source=_required(obj, "source", parser),
        occurred_at=occurred_at,
        municipality=_required(obj, "municipality", parser),
        department=_required(obj, "department", parser),
        kle=_required(obj, "kle", parser) if "kle" in obj else None,
    )
