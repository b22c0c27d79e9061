"""Reception queue system: one ticket drawn per visit (CSV) to a personal inquiry.

A served ticket is one `personal` inquiry in the department its queue or service maps to;
cancelled tickets and no-shows are not inquiries and are skipped with their reason. The
duration is the service time (called to finished), not the wait. Queue systems start their
ticket numbers again every day, so the event id is `reception-<local day drawn>-<ticket_id>`. Columns: see
schemas/samples/reception-tickets.md.
"""

from __future__ import annotations

from types import MappingProxyType

from streams.domain.events.inquiry import InquiryEvent
from streams.ingress.adapters.base import Adapter, Mapped, Skip, SourceMapping, SourceRecord, event_id

SOURCE = "reception"
STATUSES = ("served", "cancelled", "no_show")


def map_ticket(record: SourceRecord, mapping: SourceMapping) -> Mapped:
    """One ticket to a personal inquiry (served) or a skip (cancelled, no-show)."""
    ticket_id = record.required("ticket_id")
    drawn_at = record.moment("drawn_at")
    status = record.choice("status", STATUSES)
    if status != "served":
        return Skip(f"ticket_{status}")
    key = record.text("service")
    task = record.task(mapping, key)
    return InquiryEvent(
        event_id=event_id(SOURCE, f"{drawn_at.astimezone(mapping.tz):%Y-%m-%d}-{ticket_id}"),
        source=SOURCE,
        occurred_at=drawn_at,
        municipality=mapping.municipality,
        department=record.department(mapping, key),
        channel="personal",
        direction="in",
        inquiry_type=task.inquiry_type,
        kle=task.kle,
        completion=record.completion(),
        duration_s=record.duration("called_at", "finished_at"),
    )


ADAPTER = Adapter(
    SOURCE,
    map_ticket,
    skip_reasons_da=MappingProxyType(
        {"ticket_cancelled": "billet annulleret", "ticket_no_show": "borgeren kom ikke, da billetten blev kaldt"}
    ),
)
