"""Digital Post and print: outgoing letters by delivery route, incoming Digital Post (JSON lines).

KOMHEN counts Digital Post only when the letter surely lands in the citizen's digital mailbox,
so the route decides the channel: `digital_mailbox` → `digital_post`, `remote_print` →
`remote_print`, `output_manager` (a tool decided per letter, the route is not known) →
`output_manager`. Incoming Digital Post is `digital_post` in. One record is one letter to one
recipient. Fields: see schemas/samples/digitalpost-letters.md.
"""

from __future__ import annotations

from types import MappingProxyType

from streams.domain.events.codes import DIRECTIONS
from streams.domain.events.inquiry import InquiryEvent, InvalidEvent, Reason
from streams.ingress.adapters.base import Adapter, Mapped, SourceMapping, SourceRecord, event_id

SOURCE = "digitalpost"
ROUTE_CHANNELS = MappingProxyType(
    {"digital_mailbox": "digital_post", "remote_print": "remote_print", "output_manager": "output_manager"}
)


def map_letter(record: SourceRecord, mapping: SourceMapping) -> Mapped:
    """One letter record to a `digital_post`, `remote_print` or `output_manager` inquiry."""
    letter_id = record.required("id")
    at = record.moment("timestamp")
    direction = record.choice("direction", DIRECTIONS)
    if direction == "out":
        channel = ROUTE_CHANNELS[record.choice("route", ROUTE_CHANNELS)]
    elif record.text("route") not in (None, "digital_mailbox"):
        raise InvalidEvent(Reason.DIRECTION_NOT_ALLOWED, "rejected.digitalpost_route", "route")
    else:
        channel = "digital_post"
    key = record.text("unit")
    task = record.task(mapping, key)
    return InquiryEvent(
        event_id=event_id(SOURCE, letter_id),
        source=SOURCE,
        occurred_at=at,
        municipality=mapping.municipality,
        department=record.department(mapping, key),
        channel=channel,
        direction=direction,
        inquiry_type=task.inquiry_type,
        kle=task.kle,
    )


ADAPTER = Adapter(SOURCE, map_letter)
