"""Telephony: call detail records (CSV or JSON lines) to phone inquiries and abandoned-call measures.

KOMHEN rules applied here: an answered call or a voicemail is one phone inquiry in the call's
direction; a call back to a voicemail is its own outgoing call, so voicemail plus call back
counts one in plus one out; an abandoned incoming call is no inquiry but a `call_abandoned`
service event, so the answer rate can be computed. An unanswered outgoing call is neither.
Columns: see schemas/samples/telephony-cdr.md.
"""

from __future__ import annotations

from types import MappingProxyType

from streams.domain.events.codes import DIRECTIONS
from streams.domain.events.inquiry import InquiryEvent, InvalidEvent, Reason
from streams.domain.events.service import ServiceEvent, ServiceKind
from streams.ingress.adapters.base import Adapter, Mapped, Skip, SourceMapping, SourceRecord, event_id

SOURCE = "telephony"
OUTCOMES = ("answered", "voicemail", "abandoned")


def map_call(record: SourceRecord, mapping: SourceMapping) -> Mapped:
    """One call detail record to a phone inquiry, a `call_abandoned` measure or a skip."""
    call_id = record.required("call_id")
    start = record.moment("start")
    direction = record.choice("direction", DIRECTIONS)
    outcome = record.choice("outcome", OUTCOMES)
    key = record.text("queue") or record.text("extension")
    department = record.department(mapping, key)
    if record.text("callback_of") is not None and direction != "out":
        # A call back is the municipality calling out; counting it as "in" would break 1 in + 1 out.
        raise InvalidEvent(Reason.DIRECTION_NOT_ALLOWED, "rejected.callback", "direction")
    if outcome == "abandoned":
        if direction == "out":
            return Skip("outgoing_call_not_answered")
        return ServiceEvent(
            kind=ServiceKind.CALL_ABANDONED,
            event_id=event_id(SOURCE, call_id),
            source=SOURCE,
            occurred_at=start,
            municipality=mapping.municipality,
            department=department,
        )
    task = record.task(mapping, key)
    return InquiryEvent(
        event_id=event_id(SOURCE, call_id),
        source=SOURCE,
        occurred_at=start,
        municipality=mapping.municipality,
        department=department,
        channel="phone",
        direction=direction,
        inquiry_type=task.inquiry_type,
        kle=task.kle,
        # A voicemail is never resolved at first contact; its call back carries the resolution.
        completion=record.completion() if outcome == "answered" else None,
        duration_s=record.duration("start", "end"),
    )


ADAPTER = Adapter(
    SOURCE, map_call, skip_reasons_da=MappingProxyType({"outgoing_call_not_answered": "udgående opkald, ikke besvaret"})
)
