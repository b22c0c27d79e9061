"""The declarative sources end to end: `komhen source NAME` (and a mapping file alone), `--follow` and the
ingest's per-source endpoint, into a real worker on the embedded broker, with exact counts.

The expected counts come from the golden results (tests/data/sources/*/out-*.ndjson), each event
counted once by its identity, so a resent record or one read from two files counts once. No
CPR number or phone number of the inputs may reach the worker's /metrics or log, the dead
letters, or what the commands print.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer

from streams.documents.settings import Settings, settings_env
from tests.fixtures.factories import free_port
from tests.fixtures.workers import Labels, WorkerProcess, labels, wait_for
from tests.integration.cli.test_cli_errors import komhen as offline
from tests.integration.cli.test_cli_errors import one_line
from tests.integration.ingress.test_komhen_files_cli import komhen
from tests.unit.ingress.sources.golden import SOURCES, declarative_folders

# Personal data in the sample inputs: CPR numbers and phone numbers in the forms' answers, the
# appointments' customers, the exports' caller columns.
PERSONAL = [
    "2411261234", "0101901234", "1212121212", "3008751234", "0202021234", "0303031234", "0404041234",
    "23456789", "23 45 67 89", "31415926", "31 41 59 26", "20304050", "40506070", "50607080", "60708090",
    "70809010", "Jens Jensen", "Karen Hansen", "Vejlebrovej",
]  # fmt: skip


def clean(text: str) -> list[str]:
    return [p for p in PERSONAL if p in text]


def source_args(folder: Path, *files: Path) -> list[str]:
    own = folder / "source.yaml"
    if own.exists():
        return [str(own), *map(str, files)]
    return [folder.name, *map(str, files), "--mapping", str(folder / "mapping.yaml")]


def golden(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for out in sorted(folder.glob("out-*.ndjson")) for line in out.read_text().splitlines()]


class Expected:
    """What the worker must count for some golden results: every event once, by its identity."""

    def __init__(self) -> None:
        self.inquiries: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.service: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(self, rows: list[dict[str, Any]]) -> Expected:
        for row in rows:
            if "inquiry" in row:
                e = row["inquiry"]
                self.inquiries.setdefault((e["municipality"], e["source"], e["event_id"]), e)
            elif "service_event" in row:
                m = row["service_event"]
                self.service.setdefault((m["source"], m["kind"], m["event_id"]), m)
        return self

    def inquiries_total(self) -> dict[Labels, float]:
        n = Counter((e["municipality"], e["department"], e["channel"], e["direction"]) for e in self.inquiries.values())
        return {labels(municipality=m, department=d, channel=c, direction=r): float(k) for (m, d, c, r), k in n.items()}

    def service_metrics(self) -> dict[str, dict[Labels, float]]:
        out: dict[str, Counter[Labels]] = {}
        for m in self.service.values():
            where = {"municipality": m["municipality"], "department": m["department"]}
            kind = m["kind"]
            if kind == "call_abandoned":
                name, extra = "komhen_calls_abandoned_total", {}
            elif kind.startswith("visit_"):
                name, extra = "komhen_visits_missed_total", {"outcome": kind.removeprefix("visit_")}
            else:
                name, extra = "komhen_selfservice_attempts_total", {"outcome": kind.removeprefix("selfservice_")}
            out.setdefault(name, Counter())[labels(**where, **extra)] += 1
        return {name: {k: float(v) for k, v in c.items()} for name, c in out.items()}


def service_seen(worker: WorkerProcess) -> dict[str, dict[Labels, float]]:
    metrics = worker.metrics()
    names = ("komhen_calls_abandoned_total", "komhen_visits_missed_total", "komhen_selfservice_attempts_total")
    return {n: metrics[n] for n in names if metrics.get(n)}


def dead_letters(settings: Settings) -> list[str]:
    consumer = KafkaConsumer(
        settings.dead_letter_topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=3000,
    )
    try:
        return [(m.key or b"").decode() + (m.value or b"").decode() for m in consumer]
    finally:
        consumer.close()


def test_every_shipped_source_and_a_mapping_file_alone_are_counted_exactly_and_a_resend_once(
    settings: Settings, worker: WorkerProcess
) -> None:
    expected = Expected()
    printed = []
    for folder in declarative_folders():
        inputs = sorted(folder.glob("in-*"))
        result = komhen(settings, "source", *source_args(folder, *inputs))
        rows = golden(folder)
        rejected = sum("rejected" in row for row in rows)
        assert result.returncode == (1 if rejected else 0), result.stderr
        assert len(result.stderr.splitlines()) == rejected, result.stderr
        inquiries = sum("inquiry" in row for row in rows)
        measures = sum("service_event" in row for row in rows)
        read = re.match(
            rf"Læst \d+ poster: {inquiries} henvendelser og {measures} servicehændelser sendt, ", result.stdout
        )
        assert read is not None, result.stdout
        printed.append(result.stdout + result.stderr)
        expected.add(rows)
    assert len(expected.inquiries) == 30 and len(expected.service) == 25  # what the samples hold, each once

    wait_for(lambda: worker.metrics().get("komhen_inquiries_total") == expected.inquiries_total(), 60, "all counted")
    assert service_seen(worker) == expected.service_metrics()

    # The same export sent again (a resend after a timeout, a file read twice) counts nothing new.
    folder = SOURCES / "contact-centre"
    again = komhen(settings, "source", *source_args(folder, *sorted(folder.glob("in-*"))))
    assert again.returncode == 1
    resent = sum("inquiry" in row or "service_event" in row for row in golden(folder))
    wait_for(
        lambda: (
            worker.metrics()["komhen_events_total"].get(labels(source="contact-centre", outcome="duplicate")) == resent
        ),
        60,
        "the resend seen as duplicates",
    )
    assert worker.metrics()["komhen_inquiries_total"] == expected.inquiries_total()
    assert service_seen(worker) == expected.service_metrics()

    with urllib.request.urlopen(worker.base_url + "/metrics", timeout=5) as response:
        assert clean(response.read().decode()) == []
    assert clean(worker.log_path.read_text(errors="replace")) == []
    assert clean("".join(dead_letters(settings))) == []
    assert clean("".join(printed) + again.stdout + again.stderr) == []


def test_a_wrong_source_or_a_missing_mapping_is_one_line_and_status_2(tmp_path: Path) -> None:
    sample = str(SOURCES / "os2forms" / "in-rest-completed.json")
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nsource: bad\nrecords: {format: xml}\n", encoding="utf-8")
    cases = {
        ("source", "nope", sample): "komhen source: nope: ingen sådan kilde; angiv en af asterisk, contact-centre, "
        "digitalpost, memo, os2forms, qmatic-calendar, qmatic-orchestra, reception, selfservice, teams, telephony "
        "eller en kildefil (source-mapping, se docs/sources.md)",
        ("source", "os2forms", sample): "komhen source: os2forms skal have --mapping FIL: jeres kommune, og hvilken "
        "afdeling hver enhedsnøgle hører til (se docs/sources.md)",
        ("--language", "en", "source", "os2forms", sample): "komhen source: os2forms needs --mapping FILE: your "
        "municipality and which department each unit key belongs to (see docs/sources.md)",
        ("source", str(bad), sample): f"komhen source: {bad}: fields: mangler (og 5 til)",
    }
    for args, line in cases.items():
        result = offline(*args, cwd=tmp_path, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")
        assert (one_line(result), result.returncode) == (line, 2), args


def test_the_command_says_in_danish_what_it_skipped_and_which_keys_to_map(settings: Settings) -> None:
    folder = SOURCES / "os2forms"
    result = komhen(settings, "source", *source_args(folder, folder / "in-rest-list.json"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Læst 6 poster: 3 henvendelser og 7 servicehændelser sendt, 1 post sprunget over, 0 afvist.",
        "Sprunget over, fordi de ikke er henvendelser: 1 × testindsendelse fra formularens testside (test_submission).",
        f"Talt under enheden 'unknown', fordi {folder / 'mapping.yaml'} ikke nævner nøglen: "
        "'parkeringstilladelse' (1); tilføj dem under departments.",
    ]


def test_follow_mode_reads_each_new_export_of_a_declarative_source(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    folder = SOURCES / "qmatic-orchestra"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    follower = subprocess.Popen(
        [sys.executable, "-m", "streams", "source", "qmatic-orchestra", "--follow", str(inbox), "--mapping",
         str(folder / "mapping.yaml")],
        env={**env, **settings_env(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        for n, name in enumerate(("in-events.ndjson", "in-events-local-times.json"), start=1):
            (inbox / f"{n}.part").write_bytes((folder / name).read_bytes())
            (inbox / f"{n}.part").rename(inbox / f"events-{n}{Path(name).suffix}")
        expected = Expected()
        for name in ("out-events.ndjson", "out-events-local-times.ndjson"):
            expected.add([json.loads(line) for line in (folder / name).read_text().splitlines()])
        wait_for(lambda: worker.metrics().get("komhen_inquiries_total") == expected.inquiries_total(), 60, "both")
        assert service_seen(worker) == expected.service_metrics()
    finally:
        follower.send_signal(signal.SIGTERM)
        out, err = follower.communicate(timeout=30)
    assert follower.returncode == 0, err
    assert (
        out.splitlines()[0]
        == "Læst 13 poster: 7 henvendelser og 2 servicehændelser sendt, 4 poster sprunget over, 0 afvist."
    )


def post(port: int, path: str, body: bytes, token: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, headers={"Authorization": f"Bearer {token}"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_drupal_posts_its_submissions_to_the_ingest_and_they_are_counted(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    folder = SOURCES / "os2forms"
    token = "os2forms-token-0123456789abcdef"
    tokens = tmp_path / "tokens.yaml"
    tokens.write_text(f"os2forms: {token}\ntelephony: telephony-token-0123456789\n")  # plain: KOMHEN_MUNICIPALITY
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    log = tmp_path / "ingest.log"
    with open(log, "wb") as sink:
        ingest = subprocess.Popen(
            [sys.executable, "-m", "streams", "ingest", "--port", str(port), "--tokens", str(tokens),
             "--source", f"os2forms={folder / 'mapping.yaml'}"],
            env={**env, **settings_env(settings), "KOMHEN_MUNICIPALITY": "183"},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(lambda: b"kilder, der sender deres egne poster" in log.read_bytes(), 30, "the ingest to start")
        path = "/v1/sources/os2forms/records"
        bodies = [
            (folder / "in-rest-completed.json").read_bytes(),
            *[line.encode() for line in (folder / "in-remote-post.ndjson").read_text().splitlines()],
        ]
        answers = []
        for body in bodies:
            for _ in range(50):  # until its publisher reached Kafka
                status, answer = post(port, path, body, token)
                if status != 503:
                    break
                time.sleep(0.2)
            answers.append((status, answer))
        assert answers == [
            (202, {"records": 1, "inquiries": 1, "service_events": 1, "skipped": {}, "rejected": []}),
            (202, {"records": 1, "inquiries": 1, "service_events": 1, "skipped": {}, "rejected": []}),
            (202, {"records": 1, "inquiries": 0, "service_events": 2, "skipped": {}, "rejected": []}),
            (202, {"records": 1, "inquiries": 1, "service_events": 1, "skipped": {}, "rejected": []}),
        ]
        assert post(port, path, bodies[0], token)[0] == 202  # Drupal's retry: counted once
        assert post(port, path, bodies[0], "telephony-token-0123456789") == (
            403,
            {"error": "the token of source 'telephony' can only post records of source 'telephony'"},
        )
        assert post(port, "/v1/sources/qmatic-orchestra/records", b"{}", token)[0] == 404
        assert post(port, path, bodies[0], "") == (
            401,
            {"error": "an Authorization: Bearer <token> header is required"},
        )
        broken = post(port, path, b'{"sid": 1, "in_draft": 0}', token)
        assert broken == (
            422,
            {
                "records": 1,
                "inquiries": 0,
                "service_events": 0,
                "skipped": {},
                "rejected": [{"line": 1, "reason": "missing_field", "field": "id", "detail": "id is missing"}],
            },
        )

        expected = Expected().add(
            [json.loads(line) for name in ("out-rest-completed.ndjson", "out-remote-post.ndjson")
             for line in (folder / name).read_text().splitlines()]
        )  # fmt: skip
        wait_for(lambda: worker.metrics().get("komhen_inquiries_total") == expected.inquiries_total(), 60, "posted")
        assert service_seen(worker) == expected.service_metrics()
    finally:
        ingest.send_signal(signal.SIGTERM)
        ingest.wait(30)
    assert clean(log.read_text(errors="replace")) == []
    with urllib.request.urlopen(worker.base_url + "/metrics", timeout=5) as response:
        assert clean(response.read().decode()) == []
