"""What the adapters of systems' own formats share: MeMo (memo.py), Asterisk CDR (asterisk.py), Teams (teams.py).

Their files are not one record per line, so each has a reader that turns a file into SourceRecords
holding only the facts the mapper needs (never a citizen's number, name, address or text), and a
mapper as the other adapters have. This module holds what they share:

- event ids that can never look like a CPR number (`uuid_id`, `hashed_id`);
- the department from a record's candidate keys (`department_of`): the first key the mapping names,
  whatever its case (a GUID written in capitals, a label), else `unknown`, and the record says which
  key to map, so the inquiry still counts;
- readers for the adapters' own sections of a mapping file (names, a time zone).

>>> uuid_id("memo", "8C2EA15D-61FB-4BA9-9366-42F8B194C114") == uuid_id("memo", "8c2ea15d-61fb-4ba9-9366-42f8b194c114")
True
>>> uuid_id("memo", "8c2ea15d-61fb-4ba9-9366-42f8b194c114")
'memo-rqxkcxlb7nf2te3gil4ldfgbcq'
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from hashlib import blake2b
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from streams.contract.identifiers import UNKNOWN_DEPARTMENT
from streams.contract.texts import text as said
from streams.documents.source_mappings import MappingError
from streams.domain.events.inquiry import InquiryEvent, InvalidEvent, Reason
from streams.domain.events.privacy import shown
from streams.domain.events.service import ServiceEvent, ServiceKind
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.base import Mapped, SourceRecord

MAX_KEY = 256  # MeMo's labels and ids are at most 256 characters; longer text is no key


def _base32(raw: bytes) -> str:
    """RFC 4648 base32, lower case, unpadded: its digits are 2-7 only, so no run of it is a date (a CPR number)."""
    return base64.b32encode(raw).decode("ascii").rstrip("=").lower()


def uuid_id(source: str, text: str) -> str:
    """`<source>-<the UUID's 16 bytes in base32>`: one id however the UUID is spelt (case, braces).

    A UUID written out can hold ten digits that read as a CPR number, which the event contract
    refuses; its base32 form cannot.
    """
    try:
        value = uuid.UUID(text.strip())
    except ValueError:
        raise InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_uuid", "event_id", value=shown(text)) from None
    return f"{source}-{_base32(value.bytes)}"


def hashed_id(source: str, text: str) -> str:
    """`<source>-<BLAKE2b-128 of the id in base32>`: for ids of any length and shape (an Asterisk linkedid)."""
    return f"{source}-{_base32(blake2b(text.encode('utf-8'), digest_size=16).digest())}"


def department_of(record: SourceRecord, mapping: SourceMapping, keys: Iterable[str]) -> tuple[str, str | None]:
    """The department of the first key the mapping names, whatever its case and surrounding spaces, and that key.

    When the mapping names none, the record counts under `unknown` and notes the key to map (the
    first, most telling one; "" when the record has none), as SourceRecord.department does.
    """
    candidates = [k.strip() for k in keys if k and k.strip()]
    found = mapping.first_named(candidates)
    if found is None:
        folded = {k.casefold(): k for k in mapping.departments}
        found = next((folded[k.casefold()] for k in candidates if k.casefold() in folded), None)
    if found is None:
        record.unmapped = candidates[0] if candidates else ""
        return UNKNOWN_DEPARTMENT, None
    return mapping.departments[found], found


# --- mapping sections ------------------------------------------------------------------------------


def section(file: str, name: str, raw: Any, allowed: Iterable[str]) -> dict[str, Any]:
    """An adapter's section as a dict with only the allowed keys; absent means empty."""
    if raw is None:
        return {}
    allowed = list(allowed)
    if not isinstance(raw, dict):
        raise MappingError(f"{file}: " + said("section.not_a_table", name=name, allowed=", ".join(allowed)))
    unknown = sorted(raw.keys() - set(allowed))
    if unknown:
        raise MappingError(
            f"{file}: {name}: " + said("mapping.unknown_key", key=repr(unknown[0]), allowed=", ".join(allowed))
        )
    return raw


def names(file: str, where: str, value: Any) -> tuple[str, ...]:
    """A list of names (contexts, trunks, columns); one name alone is read as a list of one."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise MappingError(f"{file}: " + said("section.names", where=where, value=repr(value)))
    return tuple(i.strip() for i in items)


def time_zone(file: str, where: str, value: Any) -> ZoneInfo | None:
    """An IANA time zone such as Europe/Copenhagen, or None when not given."""
    if value is None:
        return None
    try:
        return ZoneInfo(str(value).strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingError(f"{file}: {where}: " + said("settings.timezone", zone=repr(value))) from None


def phone_call(
    record: SourceRecord,
    mapping: SourceMapping,
    source: str,
    event_id: str,
    direction: str,
    reached: bool,
    duration_s: float | None,
) -> Mapped:
    """A call of a PBX's own records, once its direction is "in" or "out" and an unanswered call out is skipped:
    one that reached someone (a person or a voicemail), a phone inquiry in its direction; else the
    `call_abandoned` service event."""
    start = record.moment("start")
    department, key = department_of(record, mapping, record.value(("keys",)) or ())
    if not reached:
        return ServiceEvent(
            kind=ServiceKind.CALL_ABANDONED,
            event_id=event_id,
            source=source,
            occurred_at=start,
            municipality=mapping.municipality,
            department=department,
        )
    task = record.task(mapping, key)
    return InquiryEvent(
        event_id=event_id,
        source=source,
        occurred_at=start,
        municipality=mapping.municipality,
        department=department,
        channel="phone",
        direction=direction,
        inquiry_type=task.inquiry_type,
        kle=task.kle,
        duration_s=duration_s,
    )
