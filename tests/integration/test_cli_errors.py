"""What a newcomer sees when something is wrong: one line that says what to do, and the documented status."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.factories import SAMPLES, free_port

pytestmark = pytest.mark.integration


def komhen(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.rstrip("\n")


def test_a_missing_input_file_is_one_line_and_status_2(tmp_path: Path) -> None:
    cases = {
        ("publish", "nope.ndjson"): "komhen publish: nope.ndjson: no such file",
        ("source", "telephony", "nope.csv", "--mapping", str(SAMPLES / "telephony-queues.yaml")): (
            "komhen source: nope.csv: no such file"
        ),
        ("demo", "--profile", "nope.yaml", "--duration", "1"): "komhen demo: nope.yaml: no such file",
        ("import", "--dry-run", "nope.csv"): "komhen import: nope.csv: filen findes ikke; tjek navnet og mappen",
    }
    for args, line in cases.items():
        result = komhen(*args, cwd=tmp_path, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")
        assert (one_line(result), result.returncode) == (line, 2), args


def test_an_unreachable_kafka_is_one_line_and_status_3_within_seconds(tmp_path: Path) -> None:
    closed = f"127.0.0.1:{free_port()}"
    line = f"no Kafka broker answers at {closed} (KAFKA_BOOTSTRAP_SERVERS): start Kafka, or check the address and port"
    sample = str(SAMPLES / "inquiry-events.ndjson")
    for args in (("worker",), ("publish", sample), ("export", "--from", "2026-01-01", "--to", "2026-01-31"),
                 ("report", "selfservice", "--from", "2026-01-01", "--to", "2026-01-31")):  # fmt: skip
        started = time.monotonic()
        result = komhen(*args, cwd=tmp_path, KAFKA_BOOTSTRAP_SERVERS=closed)
        assert (one_line(result), result.returncode) == (f"komhen {args[0]}: {line}", 3), args
        assert time.monotonic() - started < 15, args


def test_kafka_not_configured_says_how_to_point_at_it(tmp_path: Path) -> None:
    result = komhen("publish", str(SAMPLES / "inquiry-events.ndjson"), cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result).startswith("komhen publish: KAFKA_BOOTSTRAP_SERVERS is not set; point it at your Kafka")


def test_a_busy_broker_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = komhen("demo", "--broker-port", str(port), "--duration", "1", cwd=tmp_path)
    assert (one_line(result), result.returncode) == (
        f"komhen demo: port {port} on 127.0.0.1 is already in use; choose another with --broker-port",
        2,
    )


def test_a_usage_error_is_one_line_that_points_to_help(tmp_path: Path) -> None:
    result = komhen("export", "--from", "2026-01-01", cwd=tmp_path)
    assert (one_line(result), result.returncode) == (
        "komhen export: the following arguments are required: --to (see komhen export --help)",
        2,
    )


def test_ctrl_c_during_an_import_says_how_far_it_got_and_that_again_is_safe(tmp_path: Path) -> None:
    rows = 300_000
    big = tmp_path / "stor.csv"
    yesterday = (datetime.now() - timedelta(days=1)).strftime("%d-%m-%Y")
    line = f"259;1;Borgerservice;23.05.10;TLFIND;VEJL;STRAKS;NEJ;{yesterday} 08:09:55;;;Tracetool;\r\n"
    big.write_bytes(("Kommune;ID;Enhed;Opgave;Kanal;Type;Afslutning;Blanket;Dato;StartTidspunkt;SlutTidspunkt;"
                     "Datakilde;\r\n" + line * rows).encode("latin-1"))  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "streams", "import", "--dry-run", str(big)],
        cwd=tmp_path,
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)  # well into the rows (about 20,000 a second here)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert out == "" and "Traceback" not in err
    [message] = err.splitlines()
    done, rest = message.removeprefix("Afbrudt efter ").split(" af ", 1)
    assert 0 < int(done.replace(".", "")) < rows  # Danish thousands separators
    assert rest == "300.000 rækker. Kør den samme import igen: rækker, der allerede er talt, tælles kun én gang."
