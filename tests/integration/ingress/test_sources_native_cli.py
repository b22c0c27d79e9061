"""MeMo, Asterisk and Teams files through `komhen source`, the real broker and a worker: exact counts, once each.

The expected counts come from the golden pairs (tests/data/sources/<format>/out-*.ndjson): every
inquiry per municipality, department, channel and direction, and every abandoned call, each event
id once (a MeMo message sent twice, a Graph row on two pages, a newer version of a call record).
The command's output, the worker's /metrics, /health and log, and the dead letters hold no CPR
number and no phone number of the input.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from streams.cli.source import SourceRun
from streams.documents.settings import Settings, settings_env
from streams.documents.source_mappings import load_mapping
from streams.domain.events.privacy import contains_cpr
from streams.ingress.adapters import ADAPTERS
from streams.ingress.adapters.follow import folder_files
from tests.fixtures.factories import TZ
from tests.fixtures.workers import WorkerProcess, labels, wait_for
from tests.integration.ingress.test_komhen_files_cli import komhen
from tests.unit.ingress.sources.golden import FILE_TIME, SOURCES, golden_of, inputs

# (name of the run, system, inputs, mapping): the cdr_custom sample has its own mapping (its columns).
CUSTOM = SOURCES / "asterisk" / "in-cdr_custom-template.csv"
RUNS = (
    ("memo", "memo", inputs("memo"), SOURCES / "memo" / "mapping.yaml"),
    ("cdr_csv", "asterisk", [p for p in inputs("asterisk") if p != CUSTOM], SOURCES / "asterisk" / "mapping.yaml"),
    ("cdr_custom", "asterisk", [CUSTOM], SOURCES / "asterisk" / "mapping-cdr_custom-template.yaml"),
    ("teams", "teams", inputs("teams"), SOURCES / "teams" / "mapping.yaml"),
)
_PHONE = re.compile(r"\+45([0-9]{8})")


class Sent:
    """Stands in for the SDK's publisher in the run that tells what the command must print."""

    def send_valid(self, events: list[dict[str, Any]]) -> None:
        pass


def golden(samples: list[Path]) -> list[dict[str, Any]]:
    return [json.loads(line) for sample in samples for line in golden_of(sample).read_text().splitlines()]


def copy_inputs(samples: list[Path], folder: Path) -> Path:
    """The input files alone in a folder, with the modification time their golden pairs assume."""
    folder.mkdir()
    for sample in samples:
        shutil.copyfile(sample, folder / sample.name)
        os.utime(folder / sample.name, (FILE_TIME, FILE_TIME))
    return folder


def printed(system: str, folder: Path, mapping_file: Path) -> list[str]:
    """What `komhen source` must print for the folder: the same run, in this process."""
    adapter = ADAPTERS[system]
    mapping = load_mapping(mapping_file, tz=TZ, sections=adapter.sections)
    run = SourceRun(Sent(), adapter.skip_reasons_da)  # type: ignore[arg-type]
    for path in folder_files(folder):
        run.publish(adapter.read(path, mapping))
    return run.summary(mapping.file)


def personal_data() -> tuple[set[str], set[str]]:
    """The CPR numbers and phone numbers (national part) written in every input file."""
    cprs: set[str] = set()
    phones: set[str] = set()
    for _, _, samples, _ in RUNS:
        for sample in samples:
            text = sample.read_bytes().decode("utf-8", errors="replace")
            cprs.update(
                m.group(0)
                for m in re.finditer(r"(?<![0-9])[0-9]{6}-?[0-9]{4}(?![0-9])", text)
                if contains_cpr(m.group(0))
            )
            phones.update(_PHONE.findall(text))
    return cprs, phones


def assert_no_personal_data(text: str, where: str) -> None:
    cprs, phones = personal_data()
    assert not contains_cpr(text), where
    assert [c for c in cprs if c in text] == [], where
    assert [p for p in phones if re.search(rf"(?<![0-9]){p}(?![0-9])", text)] == [], where


def dead_letters(settings: Settings) -> list[bytes]:
    """Every message of the dead-letter topic, read by assigning its partitions (no consumer group)."""
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = consumer.partitions_for_topic(settings.dead_letter_topic) or set()
        assigned = [TopicPartition(settings.dead_letter_topic, p) for p in partitions]
        if not assigned:
            return []
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        ends = consumer.end_offsets(assigned)
        letters: list[bytes] = []
        while any(consumer.position(tp) < ends[tp] for tp in assigned):
            for records in consumer.poll(timeout_ms=1000).values():
                letters.extend(r.value for r in records)
        return letters
    finally:
        consumer.close()


def test_memo_asterisk_and_teams_files_count_exactly_once_and_leave_no_personal_data(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    inquiries: dict[str, tuple[str, str, str, str]] = {}
    abandoned: dict[str, tuple[str, str]] = {}
    outputs = []
    for name, system, samples, mapping_file in RUNS:
        results = golden(samples)
        for r in results:
            if "inquiry" in r:
                e = r["inquiry"]
                inquiries.setdefault(e["event_id"], (e["municipality"], e["department"], e["channel"], e["direction"]))
            elif "service_event" in r:
                abandoned.setdefault(
                    r["service_event"]["event_id"],
                    (r["service_event"]["municipality"], r["service_event"]["department"]),
                )
        folder = copy_inputs(samples, tmp_path / name)
        run = komhen(settings, "source", system, str(folder), "--mapping", str(mapping_file))
        outputs.append(run.stdout + run.stderr)
        rejected = sum("rejected" in r for r in results)
        assert run.returncode == (1 if rejected else 0), run.stderr
        assert [line for line in run.stderr.splitlines() if line.startswith(str(folder))] == [
            line for line in run.stderr.splitlines() if line
        ]
        assert run.stderr.count(f"{folder}/") == rejected
        assert run.stdout.splitlines() == printed(system, folder, mapping_file)
        if name == "memo":
            assert run.stdout.splitlines() == [
                "Læst 17 poster: 11 henvendelser og 0 servicehændelser sendt, 0 poster sprunget over, 6 afvist.",
                f"Talt under enheden 'unknown', fordi {mapping_file} ikke nævner nøglen: 'Ydelsesservice' (1); "
                "tilføj dem under departments.",
                "Bemærk: beskeder uden MessageBody (NemSMS) har intet tidspunkt i MeMo og har fået filens "
                "ændringstid (1 post).",
            ]
        if name == "memo":  # XML bombs are refused, one line each, never expanded
            for bomb in ("in-billion-laughs.xml", "in-external-entity.xml"):
                assert (
                    f"{folder / bomb}:2: afvist (ugyldigt format): afvist: filen erklærer en DTD; MeMo-beskeder har "
                    "ingen, og entiteter udfoldes aldrig\n" in run.stderr
                )

    expected = Counter(inquiries.values())
    wanted = {
        labels(municipality=m, department=d, channel=c, direction=r): float(n) for (m, d, c, r), n in expected.items()
    }
    wait_for(lambda: worker.metrics().get("komhen_inquiries_total") == wanted, 60, "every inquiry counted once")
    assert worker.metrics()["komhen_calls_abandoned_total"] == {
        labels(municipality=m, department=d): float(n) for (m, d), n in Counter(abandoned.values()).items()
    }
    # MeMo 10 messages (11 files, one sent twice), Asterisk 11 + 2 calls, Teams 10 calls: 33 inquiries;
    # abandoned calls: Asterisk 5 + 1, Teams 3.
    assert sum(wanted.values()) == 33 and len(abandoned) == 9

    # The MeMo messages again: a resend is counted once.
    before = worker.metrics()["komhen_events_total"][labels(source="memo", outcome="duplicate")]
    again = komhen(
        settings, "source", "memo", str(tmp_path / "memo"), "--mapping", str(SOURCES / "memo" / "mapping.yaml")
    )
    outputs.append(again.stdout + again.stderr)
    published = sum("inquiry" in r for r in golden(inputs("memo")))
    wait_for(
        lambda: (
            worker.metrics()["komhen_events_total"][labels(source="memo", outcome="duplicate")] == before + published
        ),
        60,
        "the resent messages seen as duplicates",
    )
    assert worker.metrics().get("komhen_inquiries_total") == wanted

    for n, output in enumerate(outputs):
        assert_no_personal_data(output, f"the output of run {n}")
    for path in ("/metrics", "/health"):
        with urllib.request.urlopen(worker.base_url + path, timeout=5) as response:
            assert_no_personal_data(response.read().decode(), path)
    assert_no_personal_data(worker.log_path.read_text(errors="replace"), "the worker's log")
    assert dead_letters(settings) == []  # every published event was valid: nothing in the dead letters


def test_following_a_growing_master_csv_counts_each_call_once(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines = (
        (SOURCES / "asterisk" / "in-cdr_csv-21-columns-linkedid.csv")
        .read_text(encoding="utf-8")
        .splitlines(keepends=True)
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    follower = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streams",
            "source",
            "asterisk",
            "--follow",
            str(inbox),
            "--mapping",
            str(SOURCES / "asterisk" / "mapping.yaml"),
        ],
        env={**env, **settings_env(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Asterisk appends a call's rows when the call ends: the first seven rows are three whole calls.
        (inbox / "Master.csv").write_text("".join(lines[:9]), encoding="utf-8")
        wait_for(lambda: sum(worker.metrics().get("komhen_inquiries_total", {}).values()) == 2, 60, "the first calls")
        with (inbox / "Master.csv").open("a", encoding="utf-8") as f:
            f.write("".join(lines[9:]))
        wait_for(lambda: sum(worker.metrics().get("komhen_inquiries_total", {}).values()) == 5, 60, "the rest")
        wait_for(
            lambda: worker.metrics()["komhen_events_total"].get(labels(source="asterisk", outcome="duplicate")) == 3,
            60,
            "the first calls read again and seen as duplicates",
        )
    finally:
        follower.send_signal(signal.SIGTERM)
        out, err = follower.communicate(timeout=30)
    assert follower.returncode == 0, err
    assert sum(worker.metrics()["komhen_calls_abandoned_total"].values()) == 2
    assert out.splitlines()[0] == (
        "Læst 12 poster: 7 henvendelser og 3 servicehændelser sendt, 2 poster sprunget over, 0 afvist."
    )
    assert_no_personal_data(out + err, "the follower's output")


def test_a_mapping_without_the_asterisk_section_is_one_line_and_status_2(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("municipality: '183'\ndepartments: {'7001': Borgerservice}\n", encoding="utf-8")
    cdr = SOURCES / "asterisk" / "in-cdr_csv-16-columns.csv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    result = subprocess.run(
        [sys.executable, "-m", "streams", "source", "asterisk", str(cdr), "--mapping", str(mapping)],
        env={**env, "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"komhen source: {mapping}: asterisk: angiv de dial contexts, opkald fra og til det offentlige net går "
        "igennem, fx inbound_contexts: [from-pstn, from-trunk] og outbound_contexts: [from-internal]\n"
    )
