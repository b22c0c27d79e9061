"""MeMo adapter: one result per message, one identity per message, the citizen's side never read, bombs refused,
streaming. The exact results of every sample are golden pairs (tests/unit/ingress/sources/test_golden.py)."""

from __future__ import annotations

import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.domain.events.privacy import contains_cpr
from streams.ingress.adapters.base import Inquiry, RejectedRow, SourceRecord
from streams.ingress.adapters.memo import ADAPTER, read_messages
from tests.unit.ingress.sources.golden import SOURCES, inputs, read_copy, source

FOLDER = SOURCES / "memo"
MAPPING = source(FOLDER)[1]
# What the sample messages hold of people: none of it may reach a record, let alone an event.
PERSONAL = [
    "1207814427",
    "120781-4427",
    "2208883120",
    "0503221236",
    "0911724518",
    "Jens Peter Hansen",
    "Mette Hansen",
    "Ida",
    "Karen Sørensen",
    "Ahmed Nielsen",
    "Sofie Larsen",
    "Vejlebrovej",
    "mette.hansen@example.dk",
    "+4522334455",
    "43 57 70 00",
    "Mettes egen",
    "citizen-own-point",
]


@pytest.mark.parametrize("sample", inputs("memo"), ids=lambda p: p.name)
def test_each_sample_file_is_one_message_and_gives_one_result(sample: Path, tmp_path: Path) -> None:
    assert len(read_copy(ADAPTER, sample, MAPPING, tmp_path)) == 1


def test_the_same_message_with_its_uuid_in_upper_and_lower_case_is_one_identity(tmp_path: Path) -> None:
    upper, lower = (
        read_copy(ADAPTER, FOLDER / name, MAPPING, tmp_path)[0]
        for name in ("in-v1.2-other-prefix-upper-uuid.xml", "in-v1.2-resend-lower-uuid.xml")
    )
    assert isinstance(upper, Inquiry) and isinstance(lower, Inquiry)
    assert upper.event == lower.event


def test_versions_prefixes_bom_and_envelope_all_read(tmp_path: Path) -> None:
    directions = {
        sample.name: r.event["channel"] + " " + r.event["direction"]
        for sample in inputs("memo")
        for r in read_copy(ADAPTER, sample, MAPPING, tmp_path)
        if isinstance(r, Inquiry)
    }
    assert directions == {
        "in-attachment-base64.xml": "digital_post out",
        "in-business-reply.xml": "digital_post in",
        "in-nemsms-no-body.xml": "sms out",
        "in-reply-from-citizen.xml": "digital_post in",
        "in-sender-label-only.xml": "digital_post out",
        "in-sf1601-envelope.xml": "digital_post out",
        "in-unmapped-unit.xml": "digital_post out",
        "in-v1.0-memo-prefix.xml": "digital_post out",
        "in-v1.1-default-namespace-bom.xml": "digital_post out",
        "in-v1.2-other-prefix-upper-uuid.xml": "digital_post out",
        "in-v1.2-resend-lower-uuid.xml": "digital_post out",
    }


def test_no_record_holds_a_citizens_number_name_address_or_text() -> None:
    for sample in inputs("memo"):
        with sample.open("rb") as stream:
            for record in read_messages(str(sample), stream, MAPPING):
                if isinstance(record, SourceRecord):
                    held = " ".join(str(v) for v in record._values.values())
                    assert not contains_cpr(held), sample.name
                    assert [p for p in PERSONAL if p in held] == [], sample.name


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("in-billion-laughs.xml", "refused: the file declares a DTD"),
        ("in-external-entity.xml", "refused: the file declares a DTD"),
    ],
)
def test_xml_bombs_are_refused_with_one_line(name: str, detail: str) -> None:
    [result] = ADAPTER.read(FOLDER / name, MAPPING)
    assert isinstance(result, RejectedRow)
    assert result.detail.startswith(detail)
    assert "\n" not in result.format()


def test_a_file_that_is_no_memo_message_is_one_line_in_the_operators_language(tmp_path: Path) -> None:
    bomb, broken = FOLDER / "in-billion-laughs.xml", tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?>\n<Message xmlns="https://DigitalPost.dk/MeMo-1">\n</Mesage>\n')
    [refused], [unreadable] = ADAPTER.read(bomb, MAPPING), ADAPTER.read(broken, MAPPING)
    assert isinstance(refused, RejectedRow) and isinstance(unreadable, RejectedRow)
    assert refused.format("da") == (
        f"{bomb}:2: afvist (ugyldigt format): afvist: filen erklærer en DTD; MeMo-beskeder har ingen, og entiteter "
        "udfoldes aldrig"
    )
    assert refused.format("en") == (
        f"{bomb}:2: invalid_format: refused: the file declares a DTD; MeMo messages have none, and entities are "
        "never expanded"
    )
    assert unreadable.format("da") == (
        f"{broken}:3: afvist (ugyldigt format): ikke velformet XML (XML-læserens besked: mismatched tag); er filen "
        "afbrudt eller rettet i hånden?"
    )
    assert unreadable.format("en") == f"{broken}:3: invalid_format: not well-formed XML: mismatched tag"


def test_an_external_dtd_and_a_parameter_entity_are_refused_without_being_fetched(tmp_path: Path) -> None:
    documents = {
        "external-dtd.xml": '<?xml version="1.0"?>\n<!DOCTYPE Message SYSTEM "http://127.0.0.1:9/memo.dtd">\n'
        '<Message xmlns="https://DigitalPost.dk/MeMo-1" memoVersion="1.1"/>\n',
        "parameter-entity.xml": '<?xml version="1.0"?>\n'
        '<!DOCTYPE m [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>\n'
        '<Message xmlns="https://DigitalPost.dk/MeMo-1" memoVersion="1.1"/>\n',
    }
    for name, text in documents.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        [result] = ADAPTER.read(tmp_path / name, MAPPING)
        assert isinstance(result, RejectedRow) and result.detail.startswith("refused: the file declares a DTD"), name


def test_a_large_base64_attachment_is_streamed_not_held(tmp_path: Path) -> None:
    template = (FOLDER / "in-attachment-base64.xml").read_text(encoding="utf-8")
    head, rest = template.split("<memo:content>", 1)
    tail = rest.split("</memo:content>", 1)[1]
    path = tmp_path / "big.xml"
    line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n"
    with path.open("w", encoding="utf-8") as f:
        f.write(head + "<memo:content>")
        for _ in range(20 * 1024 * 1024 // len(line)):
            f.write(line)
        f.write("</memo:content>" + tail)
    tracemalloc.start()
    try:
        [result] = ADAPTER.read(path, MAPPING)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(result, Inquiry) and result.event["department"] == "byggeri-og-miljoe"
    assert peak < 2 * 1024 * 1024, f"reading a 20 MB message held {peak:,} bytes"


MESSAGE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<m:Message xmlns:m="https://DigitalPost.dk/MeMo-1" memoVersion="{version}">'
    "<m:MessageHeader><m:messageType>{type}</m:messageType><m:messageUUID>{uuid}</m:messageUUID>"
    "<m:Sender><m:idType>{sender}</m:idType><m:label>{label}</m:label></m:Sender>"
    "<m:Recipient><m:idType>{recipient}</m:idType></m:Recipient>{reply}</m:MessageHeader>"
    "{body}</m:Message>"
)
_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="<&\x00"), max_size=40)


def _one_file(content: bytes) -> list[object]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "message.xml"
        path.write_bytes(content)
        return list(ADAPTER.read(path, MAPPING))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    version=st.sampled_from(["1.0", "1.1", "1.2", "2.0", ""]) | _text,
    type_=st.sampled_from(["DIGITALPOST", "NEMSMS", "nemsms"]) | _text,
    uuid=st.uuids().map(str) | _text,
    sender=st.sampled_from(["CVR", "CPR"]) | _text,
    recipient=st.sampled_from(["CVR", "CPR"]) | _text,
    label=_text,
    reply=st.sampled_from(["", "<m:ReplyData/>"]),
    body=st.sampled_from(["", "<m:MessageBody><m:createdDateTime>{}</m:createdDateTime></m:MessageBody>"]),
    created=st.datetimes().map(lambda d: d.isoformat() + "Z") | _text,
)
def test_any_message_gives_exactly_one_result_and_never_raises(
    version: str, type_: str, uuid: str, sender: str, recipient: str, label: str, reply: str, body: str, created: str
) -> None:
    text = MESSAGE.format(
        version=version.replace('"', ""),
        type=type_,
        uuid=uuid,
        sender=sender,
        recipient=recipient,
        label=label,
        reply=reply,
        body=body.format(created),
    )
    assert len(_one_file(text.encode("utf-8"))) == 1


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_bytes_give_exactly_one_result_and_never_raise(content: bytes) -> None:
    assert len(_one_file(content)) == 1
