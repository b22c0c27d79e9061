"""What a newcomer sees when something is wrong: one line that says what to do, and the documented status."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.fixtures.factories import SAMPLES, free_port

pytestmark = pytest.mark.integration
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]  # util-linux, in every Debian


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
        ("publish", "nope.ndjson"): "komhen publish: nope.ndjson: filen findes ikke; tjek navnet og mappen",
        ("source", "telephony", "nope.csv", "--mapping", str(SAMPLES / "telephony-queues.yaml")): (
            "komhen source: nope.csv: filen findes ikke; tjek navnet og mappen"
        ),
        ("demo", "--profile", "nope.yaml", "--duration", "1"): (
            "komhen demo: nope.yaml: filen findes ikke; tjek navnet og mappen"
        ),
        ("demo", "--profile", "nope", "--duration", "1"): (
            "komhen demo: nope: ingen sådan fil, og ingen medfølgende trafikprofil af det navn; de medfølgende er "
            "ishoej, national"
        ),
        ("import", "--dry-run", "nope.csv"): "komhen import: nope.csv: filen findes ikke; tjek navnet og mappen",
        ("--language", "en", "import", "--dry-run", "nope.csv"): (
            "komhen import: nope.csv: no such file; check the name and the folder"
        ),
    }
    for args, line in cases.items():
        result = komhen(*args, cwd=tmp_path, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")
        assert (one_line(result), result.returncode) == (line, 2), args


def test_the_mistakes_a_newcomer_made_are_one_line_and_status_2(tmp_path: Path) -> None:
    """The paths of issue 26, each of which ended in 'unexpected error … please report it' (70) or 3."""
    export = ("export", "--from", "2026-01-01", "--to", "2026-01-31")
    cases = {
        (*export, "-o", "/nonexistent/dir/x.csv"): (
            "komhen export: /nonexistent/dir/x.csv: mappen /nonexistent/dir findes ikke; opret den først, eller "
            "vælg en anden mappe"
        ),
        (*export, "-o", "/tmp"): "komhen export: /tmp: er en mappe; angiv et filnavn i den, fx /tmp/komhen.csv",
        ("rules", "generate", "ishoej", "--out", "/etc/passwd"): (
            "komhen rules: /etc/passwd: er en fil, ikke en mappe; angiv en mappe at skrive i"
        ),
        ("dashboards", "build", "--out", "/proc/nope"): (
            "komhen dashboards: /proc/nope: kan ikke skrives (der kan ikke oprettes filer der); vælg en mappe, du "
            "må skrive i"
        ),
        ("grafana", "push", "--url", "http://127.0.0.1:9", "--token", "t"): (
            "komhen grafana: dashboards: mappen findes ikke; tjek navnet"
        ),
        ("--language", "en", *export, "-o", "/tmp"): (
            "komhen export: /tmp: is a folder; give a file name in it, e.g. /tmp/komhen.csv"
        ),
    }
    for args, line in cases.items():
        result = komhen(*args, cwd=tmp_path, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")
        assert (one_line(result), result.returncode) == (line, 2), args


def test_a_file_another_user_owns_and_a_folder_nobody_may_write_are_one_line_and_status_2() -> None:
    place = Path(tempfile.mkdtemp(prefix="komhen-perm-"))  # not under pytest's root-only tmp folder
    try:
        place.chmod(0o755)
        secret = place / "uge46.csv"
        shutil.copyfile(SAMPLES / "komhen-tracetool-export.csv", secret)
        secret.chmod(0o600)
        locked = place / "låst"
        locked.mkdir(mode=0o555)
        cases = {
            ("import", "--dry-run", str(secret)): (
                f"komhen import: {secret}: kan ikke læses (ingen adgang); tjek rettighederne"
            ),
            ("export", "--from", "2026-01-01", "--to", "2026-01-31", "-o", str(locked / "x.csv")): (
                f"komhen export: {locked}/x.csv: kan ikke skrives (ingen adgang); vælg en mappe, du må skrive i"
            ),
            ("report", "status", "--from-file", str(SAMPLES / "komhen-tracetool-export.csv"), "-o", str(locked)): (
                f"komhen report: {locked}: kan ikke skrives (ingen adgang); vælg en mappe, du må skrive i"
            ),
            ("dashboards", "build", "--out", str(locked / "ud")): (
                f"komhen dashboards: {locked}/ud: kan ikke skrives (ingen adgang); vælg en mappe, du må skrive i"
            ),
        }
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
        for args, line in cases.items():
            result = subprocess.run(  # as the user nobody: the tests run as root, who may read and write anything
                [*NOBODY, sys.executable, "-m", "streams", *args],
                cwd=place,
                env={**clean, "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9", "PYTHONDONTWRITEBYTECODE": "1"},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert (one_line(result), result.returncode) == (line, 2), args
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(place)


def test_a_busy_web_port_stops_the_demo_before_it_starts_anything(tmp_path: Path) -> None:
    """It showed another process's worker figures, then 'The worker stopped (exit 1)' and a traceback in the log."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        broker = free_port()
        args = ("demo", "--web-port", str(port), "--broker-port", str(broker), "--duration", "5")
        result = komhen(*args, cwd=tmp_path, KOMHEN_DATA_DIR=str(tmp_path / "data"))
    assert (one_line(result), result.returncode) == (
        f"komhen demo: port {port} på 127.0.0.1 er optaget af et andet program; vælg en anden med --web-port",
        2,
    )
    assert not (tmp_path / "data").exists()  # no log folder: nothing was started
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", broker)) != 0  # and no broker left behind


def test_an_unreachable_kafka_is_one_line_and_status_3_within_seconds(tmp_path: Path) -> None:
    closed = f"127.0.0.1:{free_port()}"
    line = f"ingen Kafka svarer på {closed} (KAFKA_BOOTSTRAP_SERVERS): start Kafka, eller tjek adressen og porten"
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
    assert one_line(result).startswith("komhen publish: KAFKA_BOOTSTRAP_SERVERS er ikke sat; peg den på jeres Kafka")


def test_a_busy_broker_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = komhen("demo", "--broker-port", str(port), "--duration", "1", cwd=tmp_path)
    assert (one_line(result), result.returncode) == (
        f"komhen demo: port {port} på 127.0.0.1 er optaget af et andet program; vælg en anden med --broker-port",
        2,
    )


def test_a_usage_error_is_one_line_that_points_to_help(tmp_path: Path) -> None:
    result = komhen("export", "--from", "2026-01-01", cwd=tmp_path)
    assert (one_line(result), result.returncode) == (
        "komhen export: disse argumenter mangler: --to (se komhen export --help)",
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
    for delay in (4, 8, 16):  # into the rows (about 20,000 a second on a quiet machine, far fewer on a busy one)
        process = subprocess.Popen(
            # The event clock: with the wall clock, every row's date is read once before the import starts (rows too
            # old for such a worker are held back), and a Ctrl-C then says only "komhen import: afbrudt".
            [sys.executable, "-m", "streams", "import", "--dry-run", "--clock", "event", str(big)],
            cwd=tmp_path,
            env=clean,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        if err.strip() != "komhen import: afbrudt":  # that is the right answer before the first row: try later
            break
    assert process.returncode == 130, err
    assert out == "" and "Traceback" not in err
    [message] = err.splitlines()
    assert message.startswith("Afbrudt efter "), message
    done, rest = message.removeprefix("Afbrudt efter ").split(" af ", 1)
    assert 0 < int(done.replace(".", "")) < rows  # Danish thousands separators
    assert rest == "300.000 rækker. Kør den samme import igen: rækker, der allerede er talt, tælles kun én gang."
