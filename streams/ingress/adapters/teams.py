"""Microsoft Teams calls through Microsoft Graph: the PSTN and Direct Routing call logs, and call records.

Files are Graph's JSON responses, one page per file, as `GET` returns them: a page of
`getPstnCalls(fromDateTime=…,toDateTime=…)`, `getDirectRoutingCalls(…)` or List callRecords
(`{"@odata.context": …, "value": [...], "@odata.nextLink": …}`; the next page is the next file,
the link is not followed), or one call record as Get callRecord returns it with
`?$expand=sessions($expand=segments)`. A record's number after the file name in a rejection is
its place in `value` (1 for a single call record).

PSTN call log rows (`pstnCallLogRow`): `callType` user_in, ucap_in → in; user_out, ucap_out → out;
user_out_transfer, user_out_forwarding → skipped (`transfer_leg`: a forwarded leg of an incoming
call, which counts itself); conf_in, conf_out, user_out_conf → skipped (`conference_call`). A row
with a `duration` was connected: a `phone` inquiry; with none an incoming call is a
`call_abandoned` service event and an outgoing one is skipped.
Direct Routing rows (`directRoutingLogRow`): ByotIn, ByotInUcap → in; ByotOut, ByotOutUcap → out;
ByotOutUserForwarding, ByotOutUserTransfer → `transfer_leg`. `successfulCall` → answered. An
incoming call that failed with `finalSipCode` 408, 480, 486, 487, 600 or 603 (no answer, busy,
the caller gave up, declined) is abandoned; another code is a technical failure, skipped
(`call_failed`); an outgoing one not answered is skipped. The logs say whether Teams connected a
call, not whether a person in a queue answered it: call records do.
The unit of a row: its `userId` (the user's or resource account's object id) through the mapping.
Graph leaves it empty on calls of call queues and auto attendants (ucap): those count under
`unknown` with a note.

Call records (`callRecord`) name call queues and auto attendants as resource accounts (an
`applicationInstance` identity):
- an online meeting (`joinWebUrl`) is skipped (`meeting`), so is a call without a phone party
  (`internal_call`: no `phone` identity among the sessions, participants and organizer);
- direction: in when a session's caller is a phone, else out;
- answered: in, a session without `failureInfo` with a user of the tenant (an agent) at one end;
  out, one whose callee is a phone; a voicemail endpoint counts as answered. An incoming call
  never answered is `call_abandoned`; an outgoing one is skipped;
- the unit: the resource accounts (the last one the call reached first), then the users that
  answered, then any user of the tenant, by object id through the mapping;
- time: `startDateTime` (UTC); duration to `endDateTime`. A record without sessions is rejected:
  fetch it with `$expand=sessions`.

The identity is the row's or record's `id` (a GUID); a newer version of a call record counts once.
Read either the call logs or the call records for a municipality, not both: one call has a
different id in each and would count twice. Never read: callerNumber, calleeNumber, a `phone`
identity's number, display names, user principal names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from streams.domain.events.inquiry import InvalidEvent, Reason, not_one_of
from streams.domain.events.privacy import shown
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.base import Adapter, Mapped, Skip, SourceRecord
from streams.ingress.adapters.native import hashed_id, phone_call, uuid_id
from streams.ingress.komhen.encoding import decoded
from streams.ingress.komhen.results import RejectedRow

SOURCE = "teams"
PSTN_TYPES = {
    "user_in": "in",
    "ucap_in": "in",
    "user_out": "out",
    "ucap_out": "out",
    "user_out_transfer": "transfer_leg",
    "user_out_forwarding": "transfer_leg",
    "conf_in": "conference_call",
    "conf_out": "conference_call",
    "user_out_conf": "conference_call",
}
DIRECT_ROUTING_TYPES = {
    "byotin": "in",
    "byotinucap": "in",
    "byotout": "out",
    "byotoutucap": "out",
    "byotoutuserforwarding": "transfer_leg",
    "byotoutusertransfer": "transfer_leg",
}
NOT_ANSWERED = frozenset({408, 480, 486, 487, 600, 603})  # SIP: timeout, unavailable, busy, cancelled, declined
_TYPES = {
    "#microsoft.graph.callrecords.pstncalllogrow": "pstn",
    "#microsoft.graph.callrecords.directroutinglogrow": "direct_routing",
    "#microsoft.graph.callrecords.callrecord": "call_record",
}
_RECORD_FIELDS = ("sessions", "participants", "participants_v2", "organizer", "organizer_v2", "modalities")


def read_graph(name: str, content: bytes, tz: ZoneInfo) -> Iterator[SourceRecord | RejectedRow]:
    """Every row or call record of one saved Graph response (a page holds at most 1,000), as a record of its facts."""
    try:
        document = json.loads(decoded(content))
    except ValueError as e:
        yield RejectedRow.not_json(name, 1, e)
        return
    except RecursionError:
        yield RejectedRow.of(name, 1, InvalidEvent(Reason.MALFORMED_JSON, "rejected.too_deep"))
        return
    if not isinstance(document, dict):
        yield RejectedRow.of(name, 1, InvalidEvent(Reason.WRONG_TYPE, "rejected.graph_not_object"))
        return
    if isinstance(document.get("error"), dict):
        code = document["error"].get("code")
        yield RejectedRow.of(
            name, 1, InvalidEvent(Reason.INVALID_FORMAT, "rejected.graph_error", code=shown(str(code)))
        )
        return
    items = document.get("value") if "value" in document else [document]
    if not isinstance(items, list):
        yield RejectedRow.of(name, 1, InvalidEvent(Reason.WRONG_TYPE, "rejected.graph_value"))
        return
    for number, item in enumerate(items, start=1):
        yield _record(name, number, item, tz)


def _record(name: str, number: int, item: Any, tz: ZoneInfo) -> SourceRecord | RejectedRow:
    if not isinstance(item, dict):
        return RejectedRow.of(
            name, number, InvalidEvent(Reason.WRONG_TYPE, "rejected.graph_record", number=str(number))
        )
    kind = _TYPES.get(str(item.get("@odata.type", "")).casefold())
    if kind is None:
        if "successfulCall" in item or "finalSipCode" in item:
            kind = "direct_routing"
        elif "callType" in item:
            kind = "pstn"
        elif any(f in item for f in _RECORD_FIELDS):
            kind = "call_record"
        else:
            return RejectedRow.of(name, number, InvalidEvent(Reason.INVALID_FORMAT, "rejected.graph_kind"))
    if kind == "call_record":
        return SourceRecord(name, number, {"kind": kind, **_call_facts(item)}, tz)
    values = {
        "kind": kind,
        "id": item.get("id"),
        "call_type": item.get("callType"),
        "start": item.get("startDateTime"),
        "end": item.get("endDateTime"),
        "duration": item.get("duration"),
        "successful": item.get("successfulCall"),
        "sip_code": item.get("finalSipCode"),
        "keys": (_text(item.get("userId")),),
    }
    return SourceRecord(name, number, values, tz)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _identities(item: Any) -> dict[str, Any]:
    """An identity set (a participant's `identity`, an endpoint's `identity` or `associatedIdentity`)."""
    if not isinstance(item, dict):
        return {}
    if isinstance(item.get("identity"), dict):
        return item["identity"]
    if isinstance(item.get("associatedIdentity"), dict):  # newer endpoints name the tenant's user or account
        return {"user": item["associatedIdentity"]}
    return item


def _id_of(identities: dict[str, Any], kind: str) -> str:
    found = identities.get(kind)
    return _text(found.get("id")) if isinstance(found, dict) else ""


def _ids(identities: list[dict[str, Any]], kind: str) -> list[str]:
    """The ids of one kind of identity, once each, in call order."""
    return list(dict.fromkeys(i for i in (_id_of(s, kind) for s in identities) if i))


def _call_facts(record: dict[str, Any]) -> dict[str, Any]:
    """What a call record tells: meeting or call, direction, outcome, and resource accounts and users in call order."""
    sessions = [s for s in record.get("sessions") or [] if isinstance(s, dict)]
    ends = [(s, _identities(s.get("caller")), _identities(s.get("callee"))) for s in sessions]
    others = [_identities(p) for p in (record.get("participants_v2") or record.get("participants") or [])]
    others.append(_identities(record.get("organizer_v2") or record.get("organizer")))
    everyone = [i for _, caller, callee in ends for i in (caller, callee)] + others
    phone = any(isinstance(i.get("phone"), dict) for i in everyone)
    incoming = any(isinstance(caller.get("phone"), dict) for _, caller, _ in ends)
    connected = [(caller, callee) for s, caller, callee in ends if not s.get("failureInfo")]
    if incoming:
        agents = [_id_of(i, "user") for pair in connected for i in pair if _id_of(i, "user")]
        answered = bool(agents)
    else:
        agents = [_id_of(caller, "user") for caller, _ in connected]
        answered = any(isinstance(callee.get("phone"), dict) for _, callee in connected)
    voicemail = any(str(i.get("endpointType", "")).casefold() == "voicemail" for i in everyone)
    accounts, users = _ids(everyone, "applicationInstance"), _ids(everyone, "user")
    return {
        "id": record.get("id"),
        "start": record.get("startDateTime"),
        "end": record.get("endDateTime"),
        "meeting": "yes" if _text(record.get("joinWebUrl")) else None,
        "sessions": len(sessions),
        "direction": ("in" if incoming else "out") if phone else "internal",
        "outcome": "answered" if answered else "voicemail" if voicemail else "unanswered",
        "keys": (
            *reversed(accounts),
            *reversed([a for a in agents if a]),
            *users,
        ),
    }


def _event_id(record: SourceRecord) -> str:
    text = record.required("id")
    try:
        return uuid_id(SOURCE, text)
    except InvalidEvent:
        return hashed_id(SOURCE, text)


def map_call(record: SourceRecord, mapping: SourceMapping) -> Mapped:
    """One call log row or call record to a phone inquiry, a `call_abandoned` service event or a skip."""
    kind = record.required("kind")
    if kind == "call_record":
        if record.text("meeting") is not None:
            return Skip("meeting")
        if record.value(("sessions",)) == 0:
            raise InvalidEvent(Reason.MISSING_FIELD, "rejected.teams_sessions", "sessions")
        direction = record.required("direction")
        if direction == "internal":
            return Skip("internal_call")
        outcome = record.required("outcome")
        duration = record.duration("start", "end")
    else:
        table = PSTN_TYPES if kind == "pstn" else DIRECT_ROUTING_TYPES
        call_type = record.required("call_type")
        direction = table.get(call_type.casefold(), "")
        if not direction:
            raise not_one_of("callType", call_type, sorted(table), field="callType")
        if direction in ("transfer_leg", "conference_call"):
            return Skip(direction)
        duration = _seconds(record)
        connected = (duration or 0) > 0 if kind == "pstn" else record.flag("successful") is True
        outcome = "answered" if connected else "unanswered"
        code = record.value(("sip_code",))
        if kind == "direct_routing" and not connected and direction == "in" and code and code not in NOT_ANSWERED:
            return Skip("call_failed")
    if outcome == "unanswered" and direction == "out":
        return Skip("outgoing_call_not_answered")
    duration = duration if outcome == "answered" else None
    return phone_call(record, mapping, SOURCE, _event_id(record), direction, outcome != "unanswered", duration)


def _seconds(record: SourceRecord) -> int | None:
    """A row's `duration` in whole seconds; an unreadable one is left out (it describes, the call counts)."""
    value = record.value(("duration",))
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    return int(value)


ADAPTER = Adapter(
    SOURCE,
    map_call,
    reader=read_graph,
    skip_reasons_da=MappingProxyType(
        {
            "internal_call": "internt opkald, ingen telefon uden for kommunen",
            "outgoing_call_not_answered": "udgående opkald, ikke besvaret",
            "transfer_leg": "viderestillet del af et indgående opkald, der selv tælles",
            "conference_call": "opkald til eller fra et telefonmøde",
            "meeting": "onlinemøde",
            "call_failed": "opkald, der fejlede teknisk (SIP-fejl)",
        }
    ),
)
