"""The declarative adapter: a source definition applied to records, with no code per system.

`adapter(definition)` is an Adapter like the hand-written ones: its reader reads the declared
format, and its mapper is pure. For one record it reads only the definition's fields, takes the
first rule that holds, and returns a Skip, service events, or an inquiry (with service events
beside it where the rule says so). A record no rule takes is rejected rather than guessed.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import partial
from pathlib import PurePath
from types import MappingProxyType
from urllib.parse import quote

from streams.contract.texts import Worded, either
from streams.domain.counting.windows import local_moment
from streams.domain.events.descriptive import Finding, FindingReason
from streams.domain.events.inquiry import MAX_YEAR, MIN_YEAR, InquiryEvent, InvalidEvent, Reason
from streams.domain.events.privacy import shown
from streams.domain.events.service import ServiceEvent
from streams.domain.sources.definition import Choice, Condition, OutcomeKind, SourceDefinition, TimeFormat
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.base import Adapter, Mapped, Skip, SourceRecord, event_id
from streams.ingress.adapters.records import reader

# An id keeps printable ASCII as it is and writes anything else as %XX, so every id is a valid event id.
_ID_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) != "%")
_FLAGS = {"true": True, "yes": True, "ja": True, "1": True, "false": False, "no": False, "nej": False, "0": False}
_MAX_EPOCH_S = 253_402_300_799  # 9999-12-31T23:59:59Z


def adapter(definition: SourceDefinition) -> Adapter:
    """The Adapter of a source definition."""
    return Adapter(
        definition.source,
        partial(map_record, definition),
        reader(definition.records),
        skip_reasons_da=MappingProxyType(definition.skip_reasons_da()),
    )


def map_record(definition: SourceDefinition, record: SourceRecord, mapping: SourceMapping) -> Mapped:
    """One record to what its first matching rule says."""
    values = _Values(definition, record)
    rule = next((r for r in definition.rules if all(values.holds(c) for c in r.when)), None)
    if rule is None:
        raise InvalidEvent(
            Reason.UNKNOWN_CODE, "rejected.no_rule", file=PurePath(definition.file).name, tested=values.tested()
        )
    outcome = rule.outcome
    if outcome.kind is OutcomeKind.SKIP:
        return Skip(outcome.reason or "skipped")
    record_id = "-".join(quote(values.required(n), safe=_ID_SAFE, errors="surrogatepass") for n in definition.identity)
    identity = event_id(definition.source, record_id)
    at = values.moment()
    unit_keys = values.keys(definition.unit)
    department = record.department(mapping, *unit_keys)
    task = mapping.task(values.keys(definition.task) if definition.task else unit_keys)
    services = tuple(
        ServiceEvent(
            kind=kind,
            event_id=identity,
            source=definition.source,
            occurred_at=at,
            municipality=mapping.municipality,
            department=department,
            kle=task.kle,
        )
        for kind in outcome.services
    )
    if outcome.kind is OutcomeKind.SERVICE:
        return services[0] if len(services) == 1 else services
    spec = definition.inquiry
    inquiry_type = values.text(spec.inquiry_type) if spec.inquiry_type else None
    inquiry = InquiryEvent(
        event_id=identity,
        source=definition.source,
        occurred_at=at,
        municipality=mapping.municipality,
        department=department,
        channel=values.code(outcome.channel or spec.channel, "channel"),
        direction=values.code(outcome.direction or spec.direction, "direction"),
        inquiry_type=inquiry_type.upper() if inquiry_type else task.inquiry_type,
        kle=(values.text(spec.kle) if spec.kle else None) or task.kle,
        form=spec.form,
        duration_s=values.seconds(spec.duration_s) if spec.duration_s else None,
    )
    return (inquiry, *services) if services else inquiry


class _Values:
    """A record's fields, read once each, as text: a blank value is no value."""

    def __init__(self, definition: SourceDefinition, record: SourceRecord) -> None:
        self.definition = definition
        self.record = record
        self.read: dict[str, str | None] = {}

    def text(self, name: str) -> str | None:
        if name not in self.read:
            self.read[name] = self._text(name)
        return self.read[name]

    def _text(self, name: str) -> str | None:
        field = self.definition.fields[name]
        for path in field.paths:
            raw = self.record.value(path)
            if isinstance(raw, dict | list):
                what = "list" if isinstance(raw, list) else "object"
                raise InvalidEvent(Reason.WRONG_TYPE, f"rejected.{what}", name, name=name, path=".".join(path))
            text = _as_text(raw)
            if not text:
                continue
            if field.lowercase:
                text = text.lower()
            if field.values is not None:
                default = field.default if field.default is not None else text
                text = field.values.get(text.lower(), default)
            return text
        return None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise InvalidEvent(Reason.MISSING_FIELD, "rejected.missing", name, name=name)
        return value

    def holds(self, condition: Condition) -> bool:
        value = self.text(condition.field)
        if condition.present is not None:
            return (value is not None) == condition.present
        if value is None:
            return False
        if condition.pattern is not None:
            return condition.pattern.search(value) is not None
        assert condition.values is not None
        if value.lower() in condition.values:
            return True
        flag = _FLAGS.get(value.lower())  # `draft: true` holds for true, 1, yes and ja
        return flag is not None and any(v in ("true", "false") and _FLAGS[v] is flag for v in condition.values)

    def tested(self) -> Worded:
        """The values the rules looked at, for a rejection that says why no rule took the record."""
        names = sorted({c.field for rule in self.definition.rules for c in rule.when})
        values = [(n, self.text(n)) for n in names]
        return Worded(
            ", ".join(f"{n} {shown(v)}" if v is not None else f"{n} missing" for n, v in values)
            or "no rule has conditions",
            ", ".join(f"{n} {shown(v)}" if v is not None else f"{n} mangler" for n, v in values)
            or "ingen regel har betingelser",
        )

    def keys(self, names: tuple[str, ...]) -> list[str]:
        """Unit (or task) keys, most specific first: 'branch/service', then 'branch'. A missing value ends the key."""
        parts: list[str] = []
        for name in names:
            value = self.text(name)
            if value is None:
                break
            parts.append(value)
        return ["/".join(parts[:n]) for n in range(len(parts), 0, -1)]

    def code(self, choice: Choice, what: str) -> str:
        """A channel or direction: fixed, or the field's value (checked by the event contract)."""
        if choice.value is not None:
            return choice.value
        assert choice.field is not None
        value = self.text(choice.field)
        if value is None:
            raise InvalidEvent(Reason.MISSING_FIELD, f"rejected.missing_{what}", choice.field, name=choice.field)
        return value.lower()

    def seconds(self, name: str) -> float | None:
        """A duration in seconds; one that is no number is left to the event contract's finding."""
        text = self.text(name)
        if text is None:
            return None
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):  # descriptive: left out with a finding, the inquiry counts
            seconds = {"name": name, "value": shown(text)}
            self.record.findings.append(
                Finding("duration_s", FindingReason.INVALID_FORMAT, "finding.not_seconds", seconds)
            )
            return None
        return int(value) if value.is_integer() else value

    def moment(self) -> datetime:
        spec = self.definition.time
        name = next((n for n in spec.fields if self.text(n) is not None), None)
        if name is None:
            raise InvalidEvent(
                Reason.MISSING_FIELD,
                "rejected.missing_time",
                spec.fields[0],
                names=either(spec.fields),
            )
        text = self.required(name)
        for fmt in spec.formats:
            moment = _parse(text, fmt)
            if moment is not None:
                break
        else:
            raise InvalidEvent(
                Reason.INVALID_FORMAT,
                "rejected.not_format",
                name,
                name=name,
                value=shown(text),
                formats=either(spec.formats),
            )
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            raise InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_moment", name, name=name, value=shown(text))
        return local_moment(moment, spec.zone or self.record.tz) if moment.tzinfo is None else moment


def _as_text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() and abs(raw) < 1e15 else repr(raw)
    return str(raw).strip()


def _parse(text: str, fmt: str) -> datetime | None:
    """The time `text` holds in format `fmt`, or None when it is not one."""
    try:
        if fmt == TimeFormat.ISO:
            return datetime.fromisoformat(text)
        if fmt in (TimeFormat.EPOCH, TimeFormat.EPOCH_MS):
            seconds = float(text) / (1000 if fmt == TimeFormat.EPOCH_MS else 1)
            if not math.isfinite(seconds) or not 0 <= seconds <= _MAX_EPOCH_S:
                return None
            return datetime.fromtimestamp(seconds, UTC)
        return datetime.strptime(text, fmt)
    except (ValueError, OverflowError, OSError):
        return None
