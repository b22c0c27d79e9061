"""Inquiry events (schemas/inquiry-event.v1.json): the typed model and its validation.

The JSON Schema file is the contract source systems read; this module enforces the same
rules, with the patterns and limits of that file and the values of the code table (an
`EventContract` the documents layer reads once and hands in: the domain reads no file), but
returns a *reason code* per rejection (a stable metric label and dead-letter field) and
runs in a few microseconds per event.

Strict about the counting fields, lenient about the descriptive ones: an event whose
counting fields (identity, source, time, municipality, department, channel and direction)
are valid is always counted. An implausible descriptive field (streams.domain.events.descriptive)
is normalised or dropped and reported as a `Finding`, never a rejection. The one exception
is personal data: a CPR-like number in any field rejects the event. A test checks this
against the schema with a reference JSON Schema validator on generated events: the two agree
on the counting fields, and where the schema refuses only a descriptive field, the event is
counted with a finding for exactly that field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

from streams.contract.texts import Language, Worded, either, language, text_in
from streams.domain.events.descriptive import DESCRIPTIVE_FIELDS, Finding, FindingReason, descriptive_value
from streams.domain.events.privacy import contains_cpr, shown, truncated
from streams.domain.organisation.departments import department_of_name, read_name
from streams.domain.organisation.municipalities import COUNT as MUNICIPALITY_COUNT

SCHEMA_VERSION = 1
MAX_FUTURE = timedelta(minutes=5)


class Reason(StrEnum):
    """Why an event was rejected; used as the `reason` label and in dead letters."""

    MALFORMED_JSON = "malformed_json"
    TOO_LARGE = "too_large"
    UNSUPPORTED_VERSION = "unsupported_schema_version"
    MISSING_FIELD = "missing_field"
    UNKNOWN_FIELD = "unknown_field"
    WRONG_TYPE = "wrong_type"
    TOO_LONG = "too_long"
    INVALID_FORMAT = "invalid_format"
    UNKNOWN_CODE = "unknown_code"
    DIRECTION_NOT_ALLOWED = "direction_not_allowed"
    FUTURE_TIMESTAMP = "future_timestamp"
    TOO_OLD = "too_old"
    PERSONAL_DATA = "personal_data"
    KEY_MISMATCH = "key_mismatch"
    SOURCE_NOT_ALLOWED = "source_not_allowed"  # the source may not write for the event's municipality (registry)
    UNPROCESSABLE = "unprocessable"  # valid as far as the contract goes, yet processing it failed: kept for a look


class InvalidEvent(ValueError):
    """An event that breaks the contract, with a reason code and a sentence for people.

    The sentence is a key of the catalogue (streams.contract.texts, block "rejected records") with its
    parameters, said only when a rejection is shown: `detail` in English, as the dead letter and the
    ingest's answer carry it (a contract with the source systems), `said()` in the operator's language.
    """

    def __init__(self, reason: Reason, key: str, field: str | None = None, /, **params: object) -> None:
        super().__init__(key)
        self.reason = reason
        self.key = key
        self.field = field
        self.params = params

    @cached_property
    def detail(self) -> str:
        """The English sentence of the contract."""
        return text_in("en", self.key, **self.params)

    def said(self, lang: Language | None = None) -> str:
        """The sentence in `lang`, by default the operator's language."""
        return text_in(lang or language(), self.key, **self.params)

    def __str__(self) -> str:
        return self.detail


def not_one_of(
    name: str, value: str, allowed: Iterable[str], *, field: str | None, reason: Reason = Reason.UNKNOWN_CODE
) -> InvalidEvent:
    """A code that is none of `allowed` (listed in the order given), its value shown safely; `name` is the
    input's own word for it, `field` the event field it would have filled."""
    return InvalidEvent(reason, "rejected.not_one_of", field, name=name, value=shown(value), allowed=", ".join(allowed))


class InquiryEvent(NamedTuple):
    """One inquiry, validated (immutable; a NamedTuple because a worker builds one per event,
    and that is four times cheaper than a frozen dataclass); EventParser.parse makes one.
    """

    event_id: str
    source: str
    occurred_at: datetime
    municipality: str
    department: str
    channel: str
    direction: str
    inquiry_type: str | None = None
    kle: str | None = None
    completion: str | None = None
    form: bool | None = None
    duration_s: float | None = None
    department_name: str | None = None  # the unit's name as people write it, e.g. "Børn og Unge"

    @property
    def key(self) -> str:
        """The Kafka message key: every version of an inquiry meets the first in one partition."""
        return message_key(self.municipality)

    def to_json(self) -> dict[str, Any]:
        """The event as schema v1 JSON (optional fields omitted when unset)."""
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "event_id": self.event_id,
            "source": self.source,
            "occurred_at": self.occurred_at.isoformat(),
            "municipality": self.municipality,
            "department": self.department,
            "channel": self.channel,
            "direction": self.direction,
        }
        for name in DESCRIPTIVE_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


def message_key(municipality: str) -> str:
    """The municipality: a correction may move an inquiry to another department or day, never out
    of its partition, so the partition that counted the first version recognises it."""
    return municipality


def key_fits(key: str | None, municipality: str, department: str) -> bool:
    """A message key an event may travel under: its municipality, or its department as
    '<municipality>/<department>' (the key before corrections were recognised, still accepted)."""
    return key == municipality or key == f"{municipality}/{department}"


@dataclass(frozen=True)
class EventContract:
    """The rules of the inquiry and service-event contracts: what the schema files require and allow,
    their patterns and limits, and the codes and municipality numbers that are valid.

    A frozen value the domain receives, never reads: the documents layer builds it from
    schemas/inquiry-event.v1.json, schemas/service-event.v1.json, the code table and the
    municipalities (streams.documents.reference.event_contract).
    """

    required: tuple[str, ...]  # in the schema's order, for the first missing one's name
    allowed: frozenset[str]
    patterns: Mapping[str, re.Pattern[str]]
    expected: Mapping[str, str]  # what a pattern asks for, in words, with an example (the schema's x-expected)
    expected_da: Mapping[str, str]  # the same in Danish (x-expected-da)
    max_length: Mapping[str, int]
    max_duration: float
    channel_directions: Mapping[str, frozenset[str]]
    directions: frozenset[str]
    municipalities: frozenset[str]
    inquiry_types: tuple[str, ...]  # in the code table's order
    completions: frozenset[str]
    service_required: tuple[str, ...]
    service_allowed: frozenset[str]


KNOWN_VALID_MAX = 10_000


class EventParser:
    """Validates events by a contract, remembering values it has already proven valid.

    A municipality's sources, departments and tasks repeat in every event, so each is checked once
    per parser. What a parser remembers is its own (a worker's pipeline, an ingest and an import each
    hold one), not the process's, and bounded (KNOWN_VALID_MAX per field), so hostile input cannot
    grow it. The shipped contract comes from the documents layer:

        parser = EventParser(event_contract())   # streams.documents.reference
        parser.parse({"schema_version": 1, "event_id": "tel-1", "source": "telephony", ...}).key  # '183'
    """

    def __init__(self, contract: EventContract) -> None:
        self.contract = contract
        self._required_names = frozenset(contract.required)
        self._channels = frozenset(contract.channel_directions)
        self._inquiry_types = frozenset(contract.inquiry_types)
        # Values already proven valid, per field; codes are valid from the start, and none of them
        # is a CPR number.
        self.known_valid: dict[str, set[str]] = {
            **{name: set() for name in ("source", "department", "kle", "department_name")},
            "municipality": set(contract.municipalities),
            "channel": set(contract.channel_directions),
            "direction": set(contract.directions),
            "inquiry_type": set(contract.inquiry_types),
            "completion": set(contract.completions),
        }
        self.named_departments: set[tuple[str, str, str]] = set()  # (municipality, department, name) that agree

    def string_field(self, obj: Mapping[str, Any], name: str) -> str | None:
        """Check one string field by the inquiry contract's rules (shared by the service-event contract)."""
        value = obj.get(name)
        if value is None:
            if name in obj:
                raise InvalidEvent(Reason.WRONG_TYPE, "rejected.null", name, name=name)
            return None
        if type(value) is not str:
            raise InvalidEvent(Reason.WRONG_TYPE, "rejected.not_string", name, name=name, got=type(value).__name__)
        known = self.known_valid.get(name)
        if known is not None and value in known:
            return value
        r = self.contract
        limit = r.max_length.get(name)
        if limit is not None and len(value) > limit:
            raise InvalidEvent(
                Reason.TOO_LONG, "rejected.too_long", name, name=name, length=str(len(value)), limit=str(limit)
            )
        pattern = r.patterns.get(name)
        if pattern is not None and not pattern.match(value):
            raise InvalidEvent(
                Reason.INVALID_FORMAT,
                "rejected.not_expected",
                name,
                name=name,
                value=shown(value),
                expected=Worded(r.expected[name], r.expected_da[name]),
            )
        if name == "municipality":  # all 98 are known valid already: this one is none of them
            raise InvalidEvent(
                Reason.UNKNOWN_CODE, "rejected.municipality", name, value=shown(value), count=str(MUNICIPALITY_COUNT)
            )
        if known is not None and len(known) < KNOWN_VALID_MAX and not contains_cpr(value):
            known.add(value)  # only values free of CPR-like numbers: the personal-data check skips these
        return value

    def check_personal_data(self, obj: Mapping[str, Any], *, names: bool = True) -> None:
        """Reject an object any of whose strings, or field names, holds a CPR-like number, naming the field.

        Values already known to be valid (codes, and sources, departments and tasks seen before,
        which passed this check then) are skipped: a regex call per field is most of the cost.
        Strings nested in arrays or objects count too. `names=False` skips the field names (a valid
        event's names are the contract's own).
        """
        known = self.known_valid
        for name, value in obj.items():
            if names and contains_cpr(name):
                raise InvalidEvent(Reason.PERSONAL_DATA, "rejected.cpr_in_name", truncated(name, 64))
            if type(value) is str:
                if value not in known.get(name, ()) and contains_cpr(value):
                    raise InvalidEvent(Reason.PERSONAL_DATA, "rejected.cpr", name, name=name)
            elif isinstance(value, (dict, list)) and _nested_cpr(value):
                raise InvalidEvent(Reason.PERSONAL_DATA, "rejected.cpr", name, name=shown(name))

    def parse(
        self,
        obj: Any,
        *,
        received_at: datetime | None = None,
        retention: timedelta | None = None,
        findings: list[Finding] | None = None,
    ) -> InquiryEvent:
        """Validate one decoded JSON value and return the typed event, or raise InvalidEvent.

        `received_at` (the Kafka message time, or now for a publisher) bounds event time: more
        than five minutes after it is a clock error, older than `retention` cannot be counted.
        Using the message time rather than the wall clock keeps a replay's decisions identical.
        A CPR-like number anywhere makes the reason `personal_data`, whatever else is wrong.
        Implausible descriptive fields are normalised or left out of the event; each is appended
        to `findings` when a list is given.
        """
        if type(obj) is not dict:
            raise InvalidEvent(Reason.WRONG_TYPE, "rejected.not_object", got=type(obj).__name__)
        found: list[Finding] = []
        try:
            event = self._parse(obj, received_at, retention, found)
        except InvalidEvent:
            self.check_personal_data(obj)
            raise
        if found:  # a dropped or rewritten value could hold one anywhere
            self.check_personal_data(obj, names=False)
            if findings is not None:
                findings.extend(found)
        else:
            self.check_personal_data({name: obj[name] for name in FREE_TEXT_FIELDS}, names=False)
        return event

    def _code(self, obj: Mapping[str, Any], name: str, allowed: frozenset[str]) -> str | None:
        value = obj.get(name)
        if value is None and name not in obj:
            return None
        if type(value) is not str:
            raise InvalidEvent(Reason.WRONG_TYPE, "rejected.not_string", name, name=name, got=type(value).__name__)
        if value not in allowed:
            raise not_one_of(name, value, sorted(allowed), field=name)
        return value

    def _descriptive(self, obj: dict[str, Any], name: str, found: list[Finding]) -> Any:
        """The slow path of a descriptive field the fast check did not accept: normalised, or None."""
        value, finding = descriptive_value(name, obj[name], self.contract.max_duration, self.contract.inquiry_types)
        if finding is not None:
            found.append(finding)
        return value

    def _department_name(
        self, obj: dict[str, Any], municipality: str, department: str, found: list[Finding]
    ) -> str | None:
        """The unit's display name: free text, so checked for personal data like the other free text, read
        as people see it (read_name: no invisible characters, no look-alike letters), and it must name
        this event's department (its slug is the department), else it is left out."""
        r = self.contract
        name = obj["department_name"]
        known = self.known_valid["department_name"]  # names that are valid and read as themselves
        if type(name) is str and name in known:
            text: str | None = name
        else:
            if type(name) is str and contains_cpr(name):
                raise InvalidEvent(Reason.PERSONAL_DATA, "rejected.cpr", "department_name", name="department_name")
            if (
                type(name) is str
                and len(name) <= r.max_length["department_name"]
                and r.patterns["department_name"].match(name)
            ):
                text = _read_department_name(name, found)
                if text == name and len(known) < KNOWN_VALID_MAX:
                    known.add(name)
            else:
                text = self._descriptive(obj, "department_name", found)
                text = None if text is None else _read_department_name(text, found)
        if text is None:
            return None
        key = (municipality, department, text)
        if key in self.named_departments:
            return text
        named = department_of_name(text, municipality)
        if named == department:
            if len(self.named_departments) < KNOWN_VALID_MAX:
                self.named_departments.add(key)
            return text
        found.append(
            Finding(
                "department_name",
                FindingReason.OTHER_DEPARTMENT,
                "finding.other_department",
                {
                    "value": shown(text),
                    "named": Worded(named or "(none)", named or "(ingen)"),
                    "department": department,
                },
            )
        )
        return None

    def _parse(
        self, obj: dict[str, Any], received_at: datetime | None, retention: timedelta | None, found: list[Finding]
    ) -> InquiryEvent:
        r = self.contract
        version = obj.get("schema_version")
        if version is None and "schema_version" not in obj:
            raise InvalidEvent(Reason.MISSING_FIELD, "rejected.required", "schema_version", name="schema_version")
        if isinstance(version, bool) or version != SCHEMA_VERSION:
            raise InvalidEvent(Reason.UNSUPPORTED_VERSION, "rejected.version", "schema_version", value=shown(version))
        if not obj.keys() >= self._required_names:
            name = next(name for name in r.required if name not in obj)
            raise InvalidEvent(Reason.MISSING_FIELD, "rejected.required", name, name=name)
        if len(obj) > len(r.required):
            unknown = obj.keys() - r.allowed
            if unknown:
                name = sorted(unknown)[0]
                raise InvalidEvent(
                    Reason.UNKNOWN_FIELD, "rejected.unknown_field", truncated(name, 64), name=shown(name)
                )

        # Counting fields: strict.
        event_id = self.string_field(obj, "event_id")
        source = self.string_field(obj, "source")
        municipality = self.string_field(obj, "municipality")
        department = self.string_field(obj, "department")
        occurred_text = self.string_field(obj, "occurred_at")
        channel = self._code(obj, "channel", self._channels)
        direction = self._code(obj, "direction", r.directions)
        assert event_id and source and municipality and department and occurred_text and channel and direction
        if direction not in r.channel_directions[channel]:
            raise InvalidEvent(
                Reason.DIRECTION_NOT_ALLOWED,
                "rejected.direction",
                "direction",
                channel=channel,
                allowed=either(sorted(r.channel_directions[channel])),
                direction=direction,
            )

        # Descriptive fields: a fast check for the usual valid value, else normalised or left out.
        # (STRAKS is kept on every channel: real registrations carry it on all of them, and the
        # first-contact measure only reads it for phone and personal inquiries.)
        known_kle = self.known_valid["kle"]
        kle = obj.get("kle")
        if kle is not None and (type(kle) is not str or kle not in known_kle):
            if type(kle) is str and r.patterns["kle"].match(kle):
                if len(known_kle) < KNOWN_VALID_MAX:
                    known_kle.add(kle)
            else:
                kle = self._descriptive(obj, "kle", found)
        inquiry_type = obj.get("inquiry_type")
        if inquiry_type is not None and (type(inquiry_type) is not str or inquiry_type not in self._inquiry_types):
            inquiry_type = self._descriptive(obj, "inquiry_type", found)
        completion = obj.get("completion")
        if completion is not None and (type(completion) is not str or completion not in r.completions):
            completion = self._descriptive(obj, "completion", found)
        form = obj.get("form")
        if form is not None and type(form) is not bool:
            form = self._descriptive(obj, "form", found)
        duration = obj.get("duration_s")
        if duration is not None and (type(duration) not in (int, float) or not 0 <= duration <= r.max_duration):
            duration = self._descriptive(obj, "duration_s", found)
        department_name = (
            self._department_name(obj, municipality, department, found) if "department_name" in obj else None
        )

        occurred_at = parse_moment(occurred_text)
        if received_at is not None:
            if occurred_at - received_at > MAX_FUTURE:
                raise InvalidEvent(
                    Reason.FUTURE_TIMESTAMP,
                    "rejected.future",
                    "occurred_at",
                    value=occurred_text,
                    received=received_at.isoformat(),
                )
            if retention is not None and received_at - occurred_at > retention:
                raise InvalidEvent(
                    Reason.TOO_OLD, "rejected.too_old", "occurred_at", value=occurred_text, days=str(retention.days)
                )
        return InquiryEvent(
            event_id=event_id,
            source=source,
            occurred_at=occurred_at,
            municipality=municipality,
            department=department,
            channel=channel,
            direction=direction,
            inquiry_type=inquiry_type,
            kle=kle,
            completion=completion,
            form=form,
            duration_s=duration,
            department_name=department_name,
        )


def _nested_cpr(value: Any, depth: int = 0) -> bool:
    """A CPR-like number anywhere in a nested JSON value (bounded depth: deeper is not read)."""
    if depth > 20:
        return False
    if isinstance(value, str):
        return contains_cpr(value)
    if isinstance(value, dict):
        return any(contains_cpr(k) or _nested_cpr(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_nested_cpr(v, depth + 1) for v in value)
    return False


# What read_name changed in a department_name, said in a finding.
_CHANGES_EN = ("invisible characters removed", "look-alike letters read as Latin")
_CHANGES_DA = ("usynlige tegn fjernet", "bogstaver, der kun ligner latinske, læst som latinske")


def _read_department_name(name: str, found: list[Finding]) -> str | None:
    """The name as read_name reads it; a finding when that changed it, and None when nothing is left."""
    read = read_name(name)
    if not (read.cleaned or read.folded):
        return name
    text = read.text.strip()
    happened = (read.cleaned, read.folded)
    what = Worded(
        " and ".join(change for change, done in zip(_CHANGES_EN, happened, strict=True) if done),
        " og ".join(change for change, done in zip(_CHANGES_DA, happened, strict=True) if done),
    )
    if not text:
        found.append(
            Finding(
                "department_name",
                FindingReason.INVALID_FORMAT,
                "finding.blank_name",
                {"value": shown(name), "what": what},
            )
        )
        return None
    found.append(
        Finding(
            "department_name",
            FindingReason.NORMALISED,
            "finding.name_read_as",
            {"value": shown(name), "kept": repr(text), "what": what},
        )
    )
    return text


# Years a worker can place on a local day in any time zone (year 1 or 9999 fall off the calendar in UTC).
MIN_YEAR, MAX_YEAR = 2, 9998


def parse_moment(text: str, name: str = "occurred_at") -> datetime:
    """An RFC 3339 moment as an aware datetime that any time zone can convert; else InvalidEvent."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_moment", name, name=name, value=repr(text))
    return moment


# After validation only these fields can hold a CPR-like number: the patterns of the others
# (timestamp, municipality, KLE, codes) leave no room for six digits followed by four. The
# display name is checked where it is read.
FREE_TEXT_FIELDS = ("event_id", "source", "department")
