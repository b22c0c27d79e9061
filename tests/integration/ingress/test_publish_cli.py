"""`komhen publish`: NDJSON and JSON arrays through the CLI into a worker, rejects listed by line."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import pytest

from streams.cli import main
from streams.cli import publish as publish_file
from streams.documents.settings import Settings, settings_env
from streams.ingress import publisher as publisher_module
from streams.ingress.publisher import Publisher, PublishError
from tests.fixtures.factories import free_port
from tests.fixtures.workers import WorkerProcess, wait_for
from tests.integration.ingress.test_komhen_files_cli import komhen
from tests.integration.worker.test_counting_end_to_end import known_events


def counted(worker: WorkerProcess) -> float:
    return sum(worker.metrics().get("komhen_inquiries_total", {}).values())


def test_publish_sends_valid_lines_and_lists_the_rest(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    events = known_events(300)
    lines = [json.dumps(e) for e in events]
    lines.insert(10, "{not json")
    lines.insert(20, json.dumps({**events[0], "event_id": "bad-1", "channel": "fax"}))
    lines.insert(30, "   ")
    lines.insert(40, '{"department": "Borgerservice \xe6"}')  # written as Latin-1 below
    ndjson = tmp_path / "events.ndjson"
    ndjson.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    result = komhen(settings, "publish", str(ndjson))
    assert result.returncode == 1
    assert result.stdout.strip() == f"sendte {len(events)} hændelser til {settings.topic}, afviste 3"
    assert result.stderr.splitlines() == [
        f"{ndjson}: linje 11: afvist (ugyldig JSON): ikke gyldig JSON (plads 2 i linjen); tjek kommaerne (intet "
        "efter det sidste), kolonerne, klammerne og de dobbelte anførselstegn der eller lige før",
        f"{ndjson}: linje 21: afvist (ukendt kode): channel 'fax' er ikke en af chat, digital_post, email, letter, "
        "output_manager, personal, phone, remote_print, self_service, sms, social_media, system, web",
        f"{ndjson}: linje 41: afvist (ugyldig JSON): ikke UTF-8 (byte 0xe6 på plads 31 i linjen); gem filen som UTF-8",
    ]
    wait_for(lambda: counted(worker) == len(events), 60, "every valid line to be counted")

    array = tmp_path / "more.json"
    more = [{**e, "event_id": f"array-{i}"} for i, e in enumerate(events[:50])]
    array.write_text(json.dumps(more, indent=2))
    again = komhen(settings, "publish", str(array))
    assert again.returncode == 0 and again.stdout.strip() == f"sendte 50 hændelser til {settings.topic}, afviste 0"
    wait_for(lambda: counted(worker) == len(events) + 50, 60, "the array's events to be counted")


def test_a_file_in_utf16_or_with_a_bom_is_published_as_the_utf8_original(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    """Excel's and Notepad's "Unicode": one codec line per input line (405 lines) before the encoding was told."""
    events = [{**e, "event_id": f"unicode-{i}"} for i, e in enumerate(known_events(40)[:40])]
    text = "".join(json.dumps(e, ensure_ascii=False) + "\r\n" for e in events)
    variants = {
        "le-bom.ndjson": b"\xff\xfe" + text.encode("utf-16-le"),
        "be-bom.ndjson": b"\xfe\xff" + text.encode("utf-16-be"),
        "le.ndjson": text.encode("utf-16-le"),
        "be.ndjson": text.encode("utf-16-be"),
        "utf8-bom.ndjson": b"\xef\xbb\xbf" + text.encode("utf-8"),
    }
    for name, content in variants.items():
        (tmp_path / name).write_bytes(content)
        result = komhen(settings, "publish", str(tmp_path / name))
        assert (result.returncode, result.stdout, result.stderr) == (
            0,
            f"sendte 40 hændelser til {settings.topic}, afviste 0\n",
            "",
        ), name
    wait_for(lambda: counted(worker) == 40, 60, "the events, once")
    duplicates = worker.metrics()["komhen_events_total"]
    assert sum(v for k, v in duplicates.items() if dict(k)["outcome"] == "duplicate") == 4 * 40


def test_publish_in_chunks_sends_each_chunk_before_reading_the_next(
    settings: Settings,
    worker: WorkerProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Chunks are sent without waiting for each other; every line keeps its number and every event arrives once."""
    monkeypatch.setattr(publish_file, "VALIDATE_CHUNK", 64)
    events = [{**e, "event_id": f"chunked-{i}"} for i, e in enumerate(known_events(300)[:300])]
    lines = [json.dumps(e) for e in events]
    for number in (63, 64, 65, 200):  # bad lines on both sides of chunk boundaries
        lines.insert(number - 1, f'{{"bad": {number}}}')
    ndjson = tmp_path / "chunked.ndjson"
    ndjson.write_text("\n".join(lines) + "\n")
    sent: list[int] = []
    send = Publisher.send

    def counting_send(self: Publisher, valid: list[dict[str, Any]], encoded: list[bytes] | None = None) -> Any:
        sent.append(len(valid))
        return send(self, valid, encoded)

    monkeypatch.setattr(Publisher, "send", counting_send)

    assert publish_file.run(settings, argparse.Namespace(file=ndjson, shift_to_today=False)) == 1

    out, err = capsys.readouterr()
    assert out.strip() == f"sendte 300 hændelser til {settings.topic}, afviste 4"
    assert [line.split(": afvist")[0] for line in err.splitlines()] == [
        f"{ndjson}: linje {n}" for n in (63, 64, 65, 200)
    ]
    assert sent == [62, 63, 64, 63, 48]  # 304 lines in chunks of 64, minus the bad ones (63, 64 | 65 | - | 200 | -)
    wait_for(lambda: counted(worker) == 300, 60, "every chunk's events to be counted")


def test_publishing_without_a_reachable_broker_is_a_clear_error(tmp_path: Path) -> None:
    closed = free_port()  # nothing listens here
    with pytest.raises(PublishError, match=rf"Kafka på 127\.0\.0\.1:{closed} svarer ikke \(\w+\)$"):
        Publisher(Settings(bootstrap_servers=f"127.0.0.1:{closed}"), timeout_s=1.0)


def test_the_sdk_reports_rejections_by_their_index_in_the_whole_input_across_chunks(
    settings: Settings, worker: WorkerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publisher_module, "VALIDATE_CHUNK", 10)
    events: list[Any] = [{**e, "event_id": f"sdk-{i}"} for i, e in enumerate(known_events(25)[:25])]
    for index in (3, 12, 24):
        events[index] = {**events[index], "channel": "fax"}
    with Publisher(settings) as publisher:
        result = publisher.publish(events)
    assert [(index, error.reason.value) for index, error in result.rejected] == [
        (3, "unknown_code"),
        (12, "unknown_code"),
        (24, "unknown_code"),
    ]
    assert result.published == 22
    wait_for(lambda: counted(worker) == 22, 60, "the valid events of every chunk to be counted")


def test_a_pretty_printed_event_is_published_and_a_broken_array_is_one_clear_rejection(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps({**known_events(1)[0], "event_id": "pretty-1"}, indent=2))
    result = komhen(settings, "publish", str(single))
    assert result.returncode == 0 and result.stdout.strip() == f"sendte 1 hændelse til {settings.topic}, afviste 0"
    wait_for(lambda: counted(worker) == 1, 60, "the pretty-printed event to be counted")

    broken = tmp_path / "broken.json"
    broken.write_text('[{"schema_version": 1},\n  {"oops"\n]')
    result = komhen(settings, "publish", str(broken))
    assert result.returncode == 1
    assert result.stdout.strip() == f"sendte 0 hændelser til {settings.topic}, afviste 1"
    assert result.stderr.strip() == (
        f"{broken}: JSON-listen: afvist (ugyldig JSON): ikke gyldig JSON (linje 3, kolonne 1); tjek kommaerne "
        "(intet efter det sidste), kolonerne, klammerne og de dobbelte anførselstegn der eller lige før"
    )


def test_publish_reads_json_nested_too_deeply_as_rejected_lines_and_never_shows_a_traceback(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    events = known_events(20)
    deep = "[" * 20_000 + "]" * 20_000
    ndjson = tmp_path / "deep.ndjson"
    ndjson.write_text("\n".join([json.dumps(events[0]), deep, *(json.dumps(e) for e in events[1:])]) + "\n")
    result = komhen(settings, "publish", str(ndjson))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{ndjson}: linje 2: afvist (ugyldig JSON): for dybt indlejret til at kunne læses som JSON (en hændelse er "
        "et fladt objekt)"
    ]
    assert result.stdout.strip() == f"sendte {len(events)} hændelser til {settings.topic}, afviste 1"
    wait_for(lambda: counted(worker) == len(events), 60, "the valid lines to be counted")
    whole = tmp_path / "deep.json"
    whole.write_text(deep)
    again = komhen(settings, "publish", str(whole))
    assert (again.returncode, "Traceback" in again.stderr) == (1, False)
    assert again.stderr.splitlines() == [
        f"{whole}: JSON-listen: afvist (ugyldig JSON): for dybt indlejret til at kunne læses som JSON (en hændelse "
        "er et fladt objekt)"
    ]


# One event rejected for each of a sample of the contract's reasons, and one counted with a finding, as `komhen
# publish` lists them: the detail in the operator's language (the dead letter and the ingest keep the English),
# the field names as they are.
REJECTED_LINES = {
    "da": [
        "linje 2: afvist (tomt felt): schema_version er påkrævet, men mangler",
        "linje 3: afvist (ukendt kode): channel 'fax' er ikke en af chat, digital_post, email, letter, "
        "output_manager, personal, phone, remote_print, self_service, sms, social_media, system, web",
        "linje 4: afvist (ugyldigt format): department 'Borger Service' er ikke et navn af små bogstaver, cifre, '-' "
        "og '_', fx borgerservice",
        "linje 5: afvist (ukendt kode): municipality '999' er ikke et af Danmarks 98 kommunenumre (fx 183 for Ishøj)",
        "linje 6: afvist (retning ikke tilladt for kanalen): kanalen web tillader retningen in, men hændelsen har out",
        "linje 7: afvist (ukendt felt): ukendt felt 'colour'",
        "linje 8: advarsel (talt med): invalid_format: kle '23-05' er ikke et KLE-nummer NN.NN.NN (eller NN.NN), fx "
        "23.05.10; udeladt, henvendelsen tælles med",
    ],
    "en": [
        "line 2: rejected (missing_field): schema_version is required",
        "line 3: rejected (unknown_code): channel 'fax' is not one of chat, digital_post, email, letter, "
        "output_manager, personal, phone, remote_print, self_service, sms, social_media, system, web",
        "line 4: rejected (invalid_format): department 'Borger Service' is not a slug of lower-case letters, digits, "
        "'-' and '_', e.g. borgerservice",
        "line 5: rejected (unknown_code): municipality '999' is not one of Denmark's 98 municipality numbers (e.g. "
        "183 for Ishøj)",
        "line 6: rejected (direction_not_allowed): channel web allows direction in, got out",
        "line 7: rejected (unknown_field): unknown field 'colour'",
        "line 8: warning (counted): invalid_format: kle '23-05' is not a KLE number NN.NN.NN (or NN.NN), e.g. "
        "23.05.10; left out, the inquiry is counted",
    ],
}


@pytest.mark.parametrize("language", ["da", "en"])
def test_publish_says_why_each_event_is_rejected_or_warned_in_the_operators_language(
    language: str,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in [n for n in os.environ if n.startswith(("KAFKA_", "KOMHEN_"))]:
        monkeypatch.delenv(name)
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    event = known_events(1)[0]
    without_version = {k: v for k, v in event.items() if k != "schema_version"}
    lines = [
        event,
        without_version,
        {**event, "channel": "fax"},
        {**event, "department": "Borger Service"},
        {**event, "municipality": "999"},
        {**event, "channel": "web", "direction": "out"},
        {**event, "colour": "blue"},
        {**event, "event_id": "e2e-warned", "kle": "23-05"},
    ]
    ndjson = tmp_path / "events.ndjson"
    ndjson.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    status = main(["--language", language, "publish", str(ndjson)])
    out, err = capsys.readouterr()
    assert status == 1
    assert err.splitlines() == [f"{ndjson}: {line}" for line in REJECTED_LINES[language]]
    summary = {
        "da": f"sendte 2 hændelser til {settings.topic}, afviste 6, 1 beskrivende værdier rettet eller udeladt "
        "(hændelserne tæller med)",
        "en": f"published 2 events to {settings.topic}, rejected 6, 1 descriptive values normalised or left out "
        "(the events count)",
    }
    assert out.strip() == summary[language]
