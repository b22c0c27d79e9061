"""CPR numbers never in clear (issue 12, class 2), on the paths that need a broker and real processes.

Raw messages put CPR numbers, written every way people write them, where the hostile trial found
them in clear: as `source` (then a metric label), in `department` and `municipality` (then the dead
letter's Kafka key), as a JSON field name (then `komhen publish` output), spelt with JSON escapes,
with dots, slashes, spaces and underscores (then accepted and counted). A worker at debug level
reads them; its dead letters (key and value), its log, /metrics and /health must not hold one.
The commands that print rows (`publish`, `source`) and the ingest's access log are checked too.
"""

from __future__ import annotations

import contextlib
import json
import logging
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer

from streams.documents.settings import Settings
from streams.domain.events.privacy import contains_cpr
from streams.ingress.http.ingest import ACCESS_LOGGER, create_ingest_app
from tests.fixtures.factories import SAMPLES, event_json
from tests.fixtures.workers import start_worker, wait_for
from tests.integration.ingress.test_ingest import TOKENS, IngestServer, event
from tests.integration.ingress.test_komhen_files_cli import komhen
from tests.integration.worker.test_reliability_idempotence import counted

NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
FORMS = ["010190-1234", "0101901234", "01.01.90-1234", "010190.1234", "010190/1234", "010190_1234", "01-01-90-1234"]


def escaped(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if c.isdigit() else c for c in text)


def attacks() -> list[tuple[bytes, bytes]]:
    """(key, value) pairs, each carrying a CPR number somewhere; none may be counted."""
    out: list[tuple[bytes, bytes]] = []
    for i, number in enumerate(FORMS):
        good = event_json(f"p-{i}", occurred_at=NOW)
        out += [
            (b"183/borgerservice", json.dumps({**good, "source": number}).encode()),
            (f"183/{number}".encode(), json.dumps({**good, "department": number}).encode()),
            (f"{number}/borgerservice".encode(), json.dumps({**good, "municipality": number}).encode()),
            (b"183/borgerservice", json.dumps({**good, number: "x"}).encode()),
            (b"183/borgerservice", json.dumps({**good, "event_id": f"sag-{number}"}).encode()),
            (b"183/borgerservice", json.dumps(good).replace(f'"p-{i}"', f'"{escaped(number)}"').encode()),
            (f"183/sag-{number}".encode(), b'{"broken": "' + number.encode() + b'"'),
        ]
    return out


def clean(text: str) -> bool:
    return not contains_cpr(text) and "0101901234" not in text.replace("-", "").replace(".", "")


def test_a_worker_at_debug_level_keeps_no_cpr_number_in_dead_letters_log_metrics_or_health(
    settings: Settings, tmp_path: Path
) -> None:
    worker = start_worker(settings, tmp_path, "debug", "--loglevel", "debug")
    try:
        worker.wait_ready(settings.partitions)
        sent = attacks()
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers)
        for key, value in sent:
            producer.send(settings.topic, key=key, value=value)
        producer.send(
            settings.topic, key=b"183/borgerservice", value=json.dumps(event_json("ok", occurred_at=NOW)).encode()
        )
        producer.flush(30)
        producer.close()
        wait_for(lambda: counted(worker) == 1, 60, "the one clean event")
        wait_for(
            lambda: sum(worker.metrics()["komhen_events_rejected_total"].values()) == len(sent),
            60,
            "every attack rejected",
        )
        rejected = worker.metrics()["komhen_events_rejected_total"]
        assert {dict(k)["reason"] for k in rejected} == {"personal_data", "malformed_json"}
        assert {dict(k)["source"] for k in rejected} <= {"telephony", "invalid"}

        consumer = KafkaConsumer(
            settings.dead_letter_topic,
            bootstrap_servers=settings.bootstrap_servers,
            auto_offset_reset="earliest",
            consumer_timeout_ms=10_000,
        )
        letters = []
        for message in consumer:
            letters.append(message)
            if len(letters) == len(sent):
                break
        consumer.close()
        assert len(letters) == len(sent)
        for letter in letters:
            letter_key = (letter.key or b"").decode()
            text = letter.value.decode()
            assert clean(letter_key) and clean(text), (letter_key, text[:200])
            payload: str = json.loads(text)["payload"]
            assert clean(payload)
            with contextlib.suppress(ValueError):  # a payload that is JSON: its decoded strings too
                assert clean(json.dumps(json.loads(payload), ensure_ascii=False))

        for path in ("/metrics", "/health"):
            with urllib.request.urlopen(worker.base_url + path, timeout=5) as response:
                assert clean(response.read().decode()), path
        log = worker.log_path.read_text(errors="replace")
        assert " DEBUG " in log or "[DEBUG]" in log  # the level the trial saw record bytes at
        assert clean(log), [line for line in log.splitlines() if not clean(line)][:3]
    finally:
        worker.close()


def test_publish_and_source_print_no_cpr_number(settings: Settings, tmp_path: Path) -> None:
    lines = [json.dumps({**event_json(f"c-{i}", occurred_at=NOW), number: 1}) for i, number in enumerate(FORMS)]
    lines += [json.dumps(event_json(f"d-{i}", occurred_at=NOW, channel=f"fax {n}")) for i, n in enumerate(FORMS)]
    ndjson = tmp_path / "cpr.ndjson"
    ndjson.write_text("\n".join(lines) + "\n")
    published = komhen(settings, "publish", str(ndjson))
    assert published.returncode == 1
    assert published.stderr.count("afvist (ligner et CPR-nummer)") == len(lines)
    assert clean(published.stdout + published.stderr), published.stderr

    header = (SAMPLES / "telephony-cdr.csv").read_text().splitlines()[0]
    rows = [f"c-{n},2026-11-16T08:00:41+01:00,,in,7001,,answered {n},,true" for n in FORMS] + [
        f"c-x{i},{n},,in,7001,,answered,,true" for i, n in enumerate(FORMS)
    ]
    cdr = tmp_path / "cdr.csv"
    cdr.write_text("\n".join([header, *rows]) + "\n")
    run = komhen(settings, "source", "telephony", str(cdr), "--mapping", str(SAMPLES / "telephony-queues.yaml"))
    assert run.returncode == 1, run.stderr
    assert run.stderr.count(f"{cdr}:") == len(rows)
    assert clean(run.stdout + run.stderr), run.stderr


@pytest.mark.parametrize("path", ["/v1/events?token=s3cret-query-token&sag=010190-1234", "/v1/events/01.01.90-1234"])
def test_the_ingest_access_log_keeps_no_query_string_user_agent_or_cpr_number(
    settings: Settings, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = IngestServer(create_ingest_app(settings, TOKENS)).start()
    try:
        with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
            reply = server.request(
                "POST",
                path,
                json.dumps(event("a-1")).encode(),
                {
                    "Authorization": "Bearer tel-token-0123456789abcdef",
                    "Content-Type": "application/json",
                    "User-Agent": "curl/8.0 sag 010190-1234 Mozilla-ZEBRA",
                },
            )
            assert reply.status in (202, 404, 405)
            wait_for(lambda: any(r.name == ACCESS_LOGGER for r in caplog.records), 5, "the access log line")
    finally:
        server.stop()
    lines = [r.getMessage() for r in caplog.records if r.name == ACCESS_LOGGER]
    assert len(lines) == 1
    (line,) = lines
    assert "s3cret" not in line and "token=" not in line and "ZEBRA" not in line and "curl" not in line
    assert clean(line), line
    assert "POST" in line and str(reply.status) in line
