"""Asterisk CDR adapter: one inquiry per call, columns counted, mapping sections, no numbers read. The exact
results of every sample are golden pairs (tests/unit/ingress/sources/test_golden.py).

What is counted: calls, not rows. Every call (the rows of one linkedid, else uniqueid, else
channel, within a file) gives exactly one result, and every unreadable line one rejection.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.contract.texts import speaking
from streams.documents.source_mappings import MappingError, load_mapping
from streams.ingress.adapters.asterisk import ADAPTER, WINDOW, device, read_calls
from streams.ingress.adapters.base import Inquiry, RejectedRow, ServiceMeasure, Skipped, SourceRecord
from tests.fixtures.factories import TZ
from tests.unit.ingress.adapters.helpers import write
from tests.unit.ingress.sources.golden import SOURCES, inputs, read_copy, source

FOLDER = SOURCES / "asterisk"
MAPPING = source(FOLDER)[1]
CUSTOM = source(FOLDER, FOLDER / "in-cdr_custom-template.csv")[1]


def cdr(start: str, linkedid: str, *, dcontext: str = "from-trunk", dst: str = "PJSIP/4711-00000001", **kw: str) -> str:
    """One cdr_csv line with all 21 columns; the caller's number and name in src and clid, as Asterisk writes them."""
    values = {
        "accountcode": "",
        "src": "+4522114433",
        "dst": "43577000",
        "dcontext": dcontext,
        "clid": '"Jens Hansen" <+4522114433>',
        "channel": "PJSIP/telia-00000001",
        "dstchannel": dst,
        "lastapp": "Dial",
        "lastdata": "PJSIP/4711,20",
        "start": start,
        "answer": "",
        "end": start,
        "disposition": "ANSWERED",
        "uniqueid": linkedid,
        "linkedid": linkedid,
        **kw,
    }
    text = [f'"{values[c]}"' for c in ("accountcode", "src", "dst", "dcontext")]
    text.append('"' + values["clid"].replace('"', '""') + '"')
    text += [f'"{values[c]}"' for c in ("channel", "dstchannel", "lastapp", "lastdata", "start")]
    text += [f'"{values["answer"]}"' if values["answer"] else "", f'"{values["end"]}"', "0", "0"]
    text += [f'"{values["disposition"]}"', '"DOCUMENTATION"', f'"{values["uniqueid"]}"', '""', '""']
    text += [f'"{values["linkedid"]}"', "1"]
    return ",".join(text)


def test_one_inquiry_per_call_however_many_legs(tmp_path: Path) -> None:
    results = read_copy(ADAPTER, FOLDER / "in-cdr_csv-21-columns-linkedid.csv", MAPPING, tmp_path)
    # 16 rows: a ring group (3 rows), a queue with two agents rung (3), a transfer (3), an outgoing call
    # not answered, a voicemail (2), a caller hanging up in the menu, an unmapped queue, an internal
    # call, an outgoing call: 9 calls.
    assert Counter(type(r).__name__ for r in results) == {"Inquiry": 5, "ServiceMeasure": 2, "Skipped": 2}
    assert [r.reason for r in results if isinstance(r, Skipped)] == ["outgoing_call_not_answered", "internal_call"]


def test_the_columns_are_counted_from_16_to_21(tmp_path: Path) -> None:
    kinds = {
        sample.name: [type(r).__name__ for r in read_copy(ADAPTER, sample, MAPPING, tmp_path)]
        for sample in inputs("asterisk")
        if "cdr_csv" in sample.name
    }
    assert kinds == {
        "in-cdr_csv-16-columns.csv": ["Inquiry", "Inquiry", "Skipped", "ServiceMeasure"],
        "in-cdr_csv-18-uniqueid-userfield.csv": ["Inquiry", "ServiceMeasure"],
        "in-cdr_csv-19-latin1-dst.csv": ["Inquiry", "ServiceMeasure"],
        "in-cdr_csv-20-userfield-bom.csv": ["Inquiry"],
        "in-cdr_csv-21-columns-linkedid.csv": [
            *("Inquiry", "ServiceMeasure", "Inquiry", "Skipped", "Inquiry"),
            *("ServiceMeasure", "Inquiry", "Skipped", "Inquiry"),
        ],
    }


def test_local_times_keep_the_offset_in_force_that_day_across_the_changes_of_summer_time(tmp_path: Path) -> None:
    results = read_copy(ADAPTER, FOLDER / "in-cdr_csv-19-latin1-dst.csv", MAPPING, tmp_path)
    assert [r.event["occurred_at"] for r in results if isinstance(r, Inquiry)] == ["2026-10-25T02:30:00+02:00"]
    assert [r.measure["occurred_at"] for r in results if isinstance(r, ServiceMeasure)] == ["2026-03-29T03:15:00+02:00"]


def test_the_mapping_time_zone_reads_a_pbx_that_logs_in_utc(tmp_path: Path) -> None:
    text = (FOLDER / "mapping.yaml").read_text(encoding="utf-8").replace("Europe/Copenhagen", "UTC")
    mapping = load_mapping(write(tmp_path, "utc.yaml", text), tz=TZ, sections=ADAPTER.sections)
    path = write(tmp_path, "Master.csv", cdr("2026-11-16 08:00:00", "a.1", answer="2026-11-16 08:00:02"))
    [result] = ADAPTER.read(path, mapping)
    assert isinstance(result, Inquiry) and result.event["occurred_at"] == "2026-11-16T08:00:00+00:00"


def test_legs_of_one_call_in_two_files_carry_the_same_event_id_so_the_call_counts_once(tmp_path: Path) -> None:
    first = write(tmp_path, "Master-1.csv", cdr("2026-11-16 08:00:00", "1795330800.1", answer="2026-11-16 08:00:03"))
    second = write(tmp_path, "Master-2.csv", cdr("2026-11-16 08:05:00", "1795330800.1", answer="2026-11-16 08:05:03"))
    [one], [two] = ADAPTER.read(first, MAPPING), ADAPTER.read(second, MAPPING)
    assert isinstance(one, Inquiry) and isinstance(two, Inquiry)
    assert one.event["event_id"] == two.event["event_id"]


def test_a_call_is_handed_on_once_its_rows_are_far_behind(tmp_path: Path) -> None:
    filler = [
        cdr("2026-11-16 09:00:00", f"f.{i}", dcontext="from-internal", channel="PJSIP/4712-00000009")
        for i in range(WINDOW + 1500)
    ]
    lines = [cdr("2026-11-16 08:00:00", "x.1", answer="2026-11-16 08:00:02"), *filler]
    lines.append(cdr("2026-11-16 10:00:00", "x.1", answer="2026-11-16 10:00:02"))
    results = list(ADAPTER.read(write(tmp_path, "Master.csv", "\n".join(lines) + "\n"), MAPPING))
    parts = [r for r in results if isinstance(r, Inquiry)]
    assert len(results) == len(filler) + 2 and len(parts) == 2
    assert parts[0].line == 1 and parts[1].line == len(lines)
    assert parts[0].event["event_id"] == parts[1].event["event_id"]


def test_no_record_holds_the_callers_number_or_name() -> None:
    for sample in inputs("asterisk"):
        with sample.open("rb") as stream:
            for record in read_calls(str(sample), stream, CUSTOM if "custom" in sample.name else MAPPING):
                if isinstance(record, SourceRecord):
                    held = repr(record._values)
                    assert "+45" not in held and "Hansen" not in held and "4357" not in held, sample.name


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "",
            "m.yaml: asterisk: angiv de dial contexts, opkald fra og til det offentlige net går igennem, fx "
            "inbound_contexts: [from-pstn, from-trunk] og outbound_contexts: [from-internal]",
        ),
        (
            "asterisk: [from-pstn]\n",
            "m.yaml: asterisk skal være en tabel med nøglerne inbound_contexts, outbound_contexts, trunks, columns, "
            "time_zone",
        ),
        (
            "asterisk: {inbound: [x]}\n",
            "m.yaml: asterisk: ukendt nøgle 'inbound'; tilladt er inbound_contexts, outbound_contexts, trunks, "
            "columns, time_zone",
        ),
        (
            "asterisk: {inbound_contexts: [x], columns: [src, dst]}\n",
            "m.yaml: asterisk.columns skal nævne start, dcontext, disposition (navnene på CDR-variablerne)",
        ),
        (
            "asterisk: {inbound_contexts: [x], columns: [start, dcontext, disposition]}\n",
            "m.yaml: asterisk.columns skal nævne linkedid, uniqueid eller channel, så opkaldene kan skelnes",
        ),
        (
            "asterisk: {inbound_contexts: [x], time_zone: Europe/Ishøj}\n",
            "m.yaml: asterisk.time_zone: 'Europe/Ishøj' er ikke en kendt tidszone; skriv fx Europe/Copenhagen",
        ),
        (
            "asterisk: {inbound_contexts: [{a: b}]}\n",
            "m.yaml: asterisk.inbound_contexts skal være en liste af navne, men er [{'a': 'b'}]",
        ),
    ],
)
def test_the_asterisk_section_is_checked_with_one_line(tmp_path: Path, section: str, message: str) -> None:
    path = write(tmp_path, "m.yaml", "municipality: '183'\n" + section)
    with pytest.raises(MappingError) as caught:
        load_mapping(path, tz=TZ, sections=ADAPTER.sections)
    assert str(caught.value) == str(path.parent / message)


def test_the_asterisk_section_is_checked_in_english_on_request(tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", "municipality: '183'\nasterisk: {inbound_contexts: [x], columns: [start]}\n")
    with speaking("en"), pytest.raises(MappingError) as caught:
        load_mapping(path, tz=TZ, sections=ADAPTER.sections)
    assert str(caught.value) == f"{path}: asterisk.columns must name dcontext, disposition (CDR variable names)"


@pytest.mark.parametrize(
    ("channel", "name"),
    [
        ("PJSIP/4711-0000000a", "4711"),
        ("SIP/telia-00000001", "telia"),
        ("Local/4711@from-queue-0000001c;1", "4711"),
        ("PJSIP/trunk-telia-0000000a", "trunk-telia"),
        ("DAHDI/1-1", "1"),
        ("", ""),
    ],
)
def test_a_channel_names_its_device(channel: str, name: str) -> None:
    assert device(channel) == name


_calls = st.lists(
    st.tuples(
        st.sampled_from(["1795330800.1", "1795330800.2", "1795330900.7", "sys-1795331000.3"]),
        st.sampled_from(["from-trunk", "from-pstn", "from-internal", "ext-queues", "ext-group", "other"]),
        st.sampled_from(["ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION", ""]),
        st.sampled_from(["", "PJSIP/4711-00000001", "PJSIP/telia-00000002", "Local/7001@from-queue-00000003;1"]),
        st.sampled_from(["Dial", "Queue", "VoiceMail", "BackGround", ""]),
        st.sampled_from(["2026-11-16 08:00:00", "2026-10-25 02:30:00", "2026-03-29 02:30:00", "1795330800"]),
        st.booleans(),  # a bad line instead
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(_calls)
def test_every_call_gives_one_result_and_every_bad_line_one_rejection(rows: list[tuple[str, ...]]) -> None:
    lines, calls, bad = [], set(), 0
    for linkedid, dcontext, disposition, dst, app, start, broken in rows:
        if broken:
            lines.append(f'"{linkedid}","only","four","fields"')
            bad += 1
            continue
        lines.append(cdr(start, linkedid, dcontext=dcontext, disposition=disposition, dst=dst, lastapp=app))
        calls.add(linkedid)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Master.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        results = list(ADAPTER.read(path, MAPPING))
    assert sum(isinstance(r, RejectedRow) for r in results) == bad
    assert sum(isinstance(r, Inquiry | ServiceMeasure | Skipped) for r in results) == len(calls)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=800) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_any_bytes_never_raise_and_give_at_most_one_result_per_line(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Master.csv"
        path.write_bytes(content)
        results = list(ADAPTER.read(path, MAPPING))
    assert len(results) <= len(content.split(b"\n"))
