"""Digital Post as it leaves and arrives: MeMo messages (Digitaliseringsstyrelsen's message format), one per file.

A MeMo message is XML in the namespace https://DigitalPost.dk/MeMo-1, versions 1.0, 1.1 and 1.2
(`memoVersion` on `Message`), with any namespace prefix or none, UTF-8 with or without a BOM. The
first `Message` of that namespace in a file counts, also inside an envelope (an SF1601 request).

What a message becomes:
- `messageType` DIGITALPOST → `digital_post`, NEMSMS → `sms`;
- direction: from a citizen (the sender's `idType` is CPR) → in; to a citizen (the recipient's
  `idType` is CPR) → out; between organisations a reply (`ReplyData`) → in, anything else → out.
  The municipality's side is the sender of an outgoing and the recipient of an incoming message;
- the unit: the municipality side's `AttentionData/ContentResponsible` (id, then label),
  `ContactPoint` (id, then label), an incoming reply's `ReplyData/contactPointID`, then the side's
  `label`: the first the mapping names; else `unknown`, with a note naming the key to map;
- the task: `ContentData/KLEdata/subjectKey`, else the mapping's `tasks` entry for
  `ContentData/FORMdata/taskKey`, else for the unit's key;
- the identity: `messageUUID`, whatever its case, so a message sent twice counts once;
- the time: `MessageBody/createdDateTime`. A message without a body (a NemSMS) has no time in the
  format: it takes the file's modification time (when the sending system wrote it), and the
  command's summary says so.

Never read: the citizen's side of a message (CPR or CVR number, name, `AttentionData`,
`ContactPoint`), `AttentionPerson`, `ContactInfo`, notifications and documents. The XML is parsed
by defusedxml's expat reader with DTDs, entities and external references refused, and as a
stream: a base64 attachment of any size passes through in pieces of 64 KB and is never kept.
"""

from __future__ import annotations

import io
import os
import xml.sax
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO
from xml.sax.handler import ContentHandler, feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl, Locator

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from streams.contract.texts import Worded, text_in
from streams.domain.events.inquiry import InquiryEvent, InvalidEvent, Reason, not_one_of
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.base import Adapter, Mapped, SourceRecord
from streams.ingress.adapters.native import MAX_KEY, department_of, uuid_id
from streams.ingress.komhen.results import RejectedRow

SOURCE = "memo"
NAMESPACE = "https://DigitalPost.dk/MeMo-1"
VERSIONS = ("1.0", "1.1", "1.2")
CHANNELS = {"DIGITALPOST": "digital_post", "NEMSMS": "sms"}
CHUNK = 65536
MAX_DEPTH = 64  # MeMo nests about 8 deep; far deeper is no message
PARTIES = ("Sender", "Recipient")
NO_BODY_DA = "beskeder uden MessageBody (NemSMS) har intet tidspunkt i MeMo og har fået filens ændringstid"

# The only text read, by the path of element names below Message; everything else passes by unread.
_FIELDS = {
    ("MessageHeader", "messageType"): "message_type",
    ("MessageHeader", "messageUUID"): "uuid",
    ("MessageHeader", "ContentData", "KLEdata", "subjectKey"): "kle",
    ("MessageHeader", "ContentData", "FORMdata", "taskKey"): "form",
    ("MessageHeader", "ReplyData", "contactPointID"): "reply_contact_point",
    ("MessageBody", "createdDateTime"): "created",
}
_PARTY_FIELDS = {
    ("idType",): "id_type",
    ("label",): "label",
    ("AttentionData", "ContentResponsible", "contentResponsibleID"): "content_responsible_id",
    ("AttentionData", "ContentResponsible", "label"): "content_responsible",
    ("ContactPoint", "contactPointID"): "contact_point_id",
    ("ContactPoint", "label"): "contact_point",
}
for _party in PARTIES:
    for _path, _name in _PARTY_FIELDS.items():
        _FIELDS[("MessageHeader", _party, *_path)] = f"{_party.lower()}_{_name}"
_PRESENCE = {("MessageHeader", "ReplyData"): "reply", ("MessageBody",): "body"}


class _Message(ContentHandler):
    """Collects the fields above from the first MeMo Message of a document, and nothing else."""

    def __init__(self) -> None:
        super().__init__()
        self.locator: Locator | None = None
        self.line = 0  # of the Message start tag; 0 while none was found
        self.values: dict[str, str] = {}
        self._depth = 0
        self._path: list[str] | None = None  # element names below Message, while inside it
        self._field: str | None = None
        self._text: list[str] = []
        self._done = False

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _NotMemo(InvalidEvent(Reason.INVALID_FORMAT, "rejected.memo_too_deep", depth=str(MAX_DEPTH)))
        uri, local = name
        if self._path is None:
            if not self._done and uri == NAMESPACE and local == "Message":
                self._path = []
                self.line = _line(self)
                version = attrs.get((None, "memoVersion"))
                if version is not None:
                    self.values["version"] = version[:MAX_KEY]
            return
        self._path.append(local)
        path = tuple(self._path)
        if path in _PRESENCE:
            self.values[_PRESENCE[path]] = "yes"
        self._field = _FIELDS.get(path)
        if self._field is not None and (self._field in self.values or self._citizen_field(path)):
            self._field = None  # the first occurrence counts (ReplyData repeats); a citizen's side is not read
        self._text = []

    def characters(self, content: str) -> None:
        if self._field is not None and sum(map(len, self._text)) <= MAX_KEY:
            self._text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        self._depth -= 1
        if self._path is None:
            return
        if not self._path:  # the end of Message
            self._path, self._done = None, True
            return
        if self._field is not None:
            self.values[self._field] = "".join(self._text).strip()
            self._field = None
        if len(self._path) == 2 and self._path[1] in PARTIES:
            self._forget_citizen(self._path[1].lower())
        self._path.pop()

    def _citizen_field(self, path: tuple[str, ...]) -> bool:
        """A field of a side whose idType already said it is a citizen (the XSD puts idType first)."""
        if len(path) < 3 or path[1] not in PARTIES or path[2] == "idType":
            return False
        return self.values.get(f"{path[1].lower()}_id_type", "").upper() == "CPR"

    def _forget_citizen(self, party: str) -> None:
        """A citizen's side of the message is never kept: only its idType stays, which says it is a citizen."""
        if self.values.get(f"{party}_id_type", "").upper() == "CPR":
            for name in _PARTY_FIELDS.values():
                if name != "id_type":
                    self.values.pop(f"{party}_{name}", None)


class _NotMemo(ValueError):
    """The document is well-formed XML but cannot be a MeMo message; `refusal` says why."""

    def __init__(self, refusal: InvalidEvent) -> None:
        super().__init__(refusal.detail)
        self.refusal = refusal


def read_messages(name: str, stream: BinaryIO, mapping: SourceMapping) -> Iterator[SourceRecord | RejectedRow]:
    """The MeMo message of one file as a record of its facts (see the module), or the one line why not."""
    handler = _Message()
    parser = DefusedExpatParser(bufsize=CHUNK, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    try:
        modified = _modified(stream)
        parser.parse(stream)  # reads and feeds the file in pieces of CHUNK bytes (and closes it)
    except DefusedXmlException as e:
        yield RejectedRow.of(name, _line(handler), _refusal(e))
        return
    except xml.sax.SAXParseException as e:
        refusal = InvalidEvent(Reason.INVALID_FORMAT, "rejected.not_xml", error=e.getMessage())
        yield RejectedRow.of(name, e.getLineNumber() or 1, refusal)
        return
    except _NotMemo as e:
        yield RejectedRow.of(name, _line(handler), e.refusal)
        return
    except OSError as e:
        unreadable = InvalidEvent(Reason.INVALID_FORMAT, "rejected.memo_unreadable", reason=str(e.strerror or e))
        yield RejectedRow.of(name, 0, unreadable)
        return
    if not handler.line:
        yield RejectedRow.of(
            name, 1, InvalidEvent(Reason.INVALID_FORMAT, "rejected.memo_no_message", namespace=NAMESPACE)
        )
        return
    values: dict[str, Any] = {**handler.values, "file_time": modified.isoformat()}
    yield SourceRecord(name, handler.line, values, mapping.tz)


def _modified(stream: BinaryIO) -> datetime:
    """When the file was last written; for a message that is no file (a request body), now."""
    try:
        return datetime.fromtimestamp(os.fstat(stream.fileno()).st_mtime, UTC)
    except (OSError, AttributeError, io.UnsupportedOperation):
        return datetime.now(UTC)


def _line(handler: _Message) -> int:
    return (handler.locator.getLineNumber() if handler.locator else None) or 1


def _refusal(e: DefusedXmlException) -> InvalidEvent:
    kind = type(e).__name__
    key = {
        "DTDForbidden": "rejected.memo_dtd",
        "EntitiesForbidden": "rejected.memo_entities",
        "ExternalReferenceForbidden": "rejected.memo_external",
    }.get(kind)
    what = kind if key is None else Worded(text_in("en", key), text_in("da", key))
    return InvalidEvent(Reason.INVALID_FORMAT, "rejected.memo_refused", what=what)


def map_message(record: SourceRecord, mapping: SourceMapping) -> Mapped:
    """One message to a `digital_post` or `sms` inquiry, in or out."""
    version = record.text("version")
    if version is None:
        raise InvalidEvent(Reason.MISSING_FIELD, "rejected.memo_version_missing", "memoVersion")
    if version not in VERSIONS:
        raise not_one_of("memoVersion", version, VERSIONS, field=None, reason=Reason.UNSUPPORTED_VERSION)
    event_id = uuid_id(SOURCE, record.required("uuid"))
    message_type = record.required("message_type").upper()
    if message_type not in CHANNELS:
        raise not_one_of("messageType", message_type, CHANNELS, field="channel")
    direction = _direction(record)
    party = "recipient" if direction == "in" else "sender"
    keys = [
        record.text(f"{party}_content_responsible_id"),
        record.text(f"{party}_content_responsible"),
        record.text(f"{party}_contact_point_id"),
        record.text(f"{party}_contact_point"),
        record.text("reply_contact_point") if direction == "in" else None,
        record.text(f"{party}_label"),
    ]
    department, key = department_of(record, mapping, [k for k in keys if k])
    if record.text("body") is None:
        occurred_at = record.moment("file_time")
        record.notes.append(NO_BODY_DA)
    else:
        occurred_at = record.moment("created")
    form_task = mapping.tasks.get(record.text("form") or "")
    unit_task = mapping.tasks.get(key or "")
    kle = record.text("kle") or next((t.kle for t in (form_task, unit_task) if t and t.kle), None)
    inquiry_type = next((t.inquiry_type for t in (form_task, unit_task) if t and t.inquiry_type), None)
    return InquiryEvent(
        event_id=event_id,
        source=SOURCE,
        occurred_at=occurred_at,
        municipality=mapping.municipality,
        department=department,
        channel=CHANNELS[message_type],
        direction=direction,
        inquiry_type=inquiry_type,
        kle=kle,
    )


def _direction(record: SourceRecord) -> str:
    """From a citizen in, to a citizen out; between organisations a reply is in."""
    if (record.text("sender_id_type") or "").upper() == "CPR":
        return "in"
    if (record.text("recipient_id_type") or "").upper() == "CPR":
        return "out"
    return "in" if record.text("reply") is not None else "out"


ADAPTER = Adapter(SOURCE, map_message, stream_reader=read_messages)
