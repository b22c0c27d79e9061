"""The README's quick start as a newcomer runs it, on a day far from the sample's week.

`make demo ARGS="--rate 0"` (the real embedded broker and worker), then the command the demo's
guide prints, run as printed in another folder (a second terminal), then the README's own lines.
Every process runs with its clock moved to Monday 16 August 2027 (libfaketime, the Debian package
`faketime`: the same offset for every process, so time runs on from there), nine months after
the sample's week of 23–28 November 2026, in summer time. The sample must show in the 7-day
window with exact numbers; publishing it again counts nothing twice.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.fixtures.factories import REPO_ROOT, TZ, free_port
from tests.fixtures.workers import wait_for

pytestmark = pytest.mark.integration

FAKE_NOW = datetime(2027, 8, 16, 10, 0, tzinfo=TZ)  # a Monday; the sample's newest event is from 28 November 2026
README = REPO_ROOT / "README.md"
SAMPLE_EVENTS = 20


def faked(command: list[str]) -> list[str]:
    """`command` with the clock of it and its children moved to FAKE_NOW (and running on from there)."""
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.fail("faketime is missing: apt-get install faketime (`make test-tools` does)")
    offset = round(FAKE_NOW.timestamp() - time.time())  # not aware minus aware: same tzinfo ignores summer time
    return [faketime, "-f", f"{offset:+d}", *command]


def clean_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    return {**env, "KOMHEN_DATA_DIR": str(data_dir)}


class Demo:
    """`make demo` running in its own session, its screen written to a file."""

    def __init__(self, tmp_path: Path, broker_port: int, web_port: int) -> None:
        self.screen = tmp_path / "demo-screen.txt"
        self.env = clean_env(tmp_path / "komhen")
        args = f"--rate 0 --broker-port {broker_port} --web-port {web_port} --duration 400"
        with open(self.screen, "wb") as out:
            self.process = subprocess.Popen(
                faked(["make", "-s", "demo", f"ARGS={args}"]),
                cwd=REPO_ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, as a terminal's foreground job
            )
        self.metrics_url = f"http://127.0.0.1:{web_port}/metrics"

    def text(self) -> str:
        return self.screen.read_text(encoding="utf-8", errors="replace")

    def last_screen(self) -> str:
        return self.text().rsplit("komhen demo ·", 1)[-1]

    def ctrl_c(self) -> int:
        """SIGINT to the foreground group, as Ctrl-C in a terminal; the exit status."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    running = Demo(tmp_path, free_port(), free_port())
    try:
        yield running
    finally:  # the demo's children die with it (they are set to, whatever kills it)
        if group_alive(running.process.pid):
            os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def run_line(line: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One command line as a person pastes it into a shell, with the faked clock."""
    return subprocess.run(faked(["bash", "-c", line]), cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def samples(url: str) -> list[tuple[str, dict[str, str], float]]:
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    return [(s.name, s.labels, s.value) for f in text_string_to_metric_families(text) for s in f.samples]


def window_total(url: str, department: str) -> float:
    return sum(
        v
        for name, labels, v in samples(url)
        if name == "komhen_window_inquiries" and labels["window"] == "7d" and labels["department"] == department
    )


def readme_quick_start() -> list[str]:
    """The command lines of the README's code block that publishes the sample."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    [block] = [b for b in blocks if "komhen publish" in b]
    return [line for line in block.splitlines() if line.strip()]


def test_the_quick_start_shows_the_sample_in_the_7_day_window_on_any_day(demo: Demo, tmp_path: Path) -> None:
    wait_for(lambda: "publish --shift-to-today" in demo.text(), 60, "the demo's guide")
    [printed] = [line.strip() for line in demo.last_screen().splitlines() if "publish --shift-to-today" in line]
    broker = re.search(r"KAFKA_BOOTSTRAP_SERVERS=(127\.0\.0\.1:\d+) ", printed)
    assert broker is not None, printed
    elsewhere = tmp_path / "second-terminal"
    elsewhere.mkdir()

    published = run_line(printed, elsewhere, demo.env)  # as printed, from another folder
    assert published.returncode == 0, published.stderr + demo.text()
    assert published.stdout.splitlines() == [
        f"sendte {SAMPLE_EVENTS} hændelser til inquiries, afviste 0",
        "datoerne er flyttet 260 dage frem (--shift-to-today): den nyeste hændelse er nu fra i går, 15.8.2027",
    ]
    assert published.stderr == ""
    wait_for(lambda: window_total(demo.metrics_url, "_all") == SAMPLE_EVENTS, 120, "the sample in the 7-day window")

    wait_for(lambda: "Hele kommunen" in demo.last_screen(), 30, "the table with the whole municipality")
    table = demo.last_screen().split("Kanalfordeling, 7 dage (andel af samme retning)\n", 1)[1].splitlines()
    assert table[2:7] == [
        "boern-og-unge              33,3 %     33,3 %     33,3 %      0,0 %     33,3 %        6",
        "borgerservice              42,9 %     28,6 %     14,3 %      0,0 %     33,3 %       10",
        "byggeri                    33,3 %     33,3 %      0,0 %     33,3 %    100,0 %        4",
        "Hele kommunen              38,5 %     30,8 %     15,4 %      7,7 %     42,9 %       20",
        "Talt siden start: 20   Afvist (dead letter): 0",
    ]

    publish_line, curl_line = readme_quick_start()  # the README's lines, on this test's ports
    web_port = demo.metrics_url.split(":")[2].split("/")[0]
    again = run_line(publish_line.replace("127.0.0.1:9092", broker.group(1)), REPO_ROOT, demo.env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == f"sendte {SAMPLE_EVENTS} hændelser til inquiries, afviste 0"
    duplicates = ("komhen_events_total", "duplicate")
    wait_for(
        lambda: (
            sum(v for n, lb, v in samples(demo.metrics_url) if (n, lb.get("outcome")) == duplicates) == SAMPLE_EVENTS
        ),
        60,
        "the second publish to be seen as duplicates",
    )
    assert window_total(demo.metrics_url, "_all") == SAMPLE_EVENTS  # counted once

    shares = run_line(curl_line.replace("localhost:6066", f"localhost:{web_port}"), REPO_ROOT, demo.env)
    assert shares.returncode == 0, shares.stderr
    got = {
        (s.labels["channel"], s.labels["direction"]): s.value
        for family in text_string_to_metric_families(shares.stdout)
        for s in family.samples
    }
    expected = {
        ("self_service", "in"): Fraction(5, 13),
        ("phone", "in"): Fraction(4, 13),
        ("personal", "in"): Fraction(2, 13),
        ("email", "in"): Fraction(1, 13),
        ("letter", "in"): Fraction(1, 13),
        ("digital_post", "out"): Fraction(3, 7),
        ("email", "out"): Fraction(1, 7),
        ("letter", "out"): Fraction(1, 7),
        ("phone", "out"): Fraction(1, 7),
        ("sms", "out"): Fraction(1, 7),
    }
    assert {k: v for k, v in got.items() if v} == pytest.approx({k: float(v) for k, v in expected.items()}, abs=1e-12)
    assert sorted(v for v in got.values() if not v) == [0.0] * 11  # the channels the sample does not use

    demo.ctrl_c()  # make dies of the SIGINT as in a terminal; the demo stops its children first
    assert "\nStopper …" in demo.text()
    wait_for(lambda: not group_alive(demo.process.pid), 30, "the demo to stop (make does not wait for it)")
    for port in (broker.group(1).split(":")[1], web_port):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", int(port))) != 0, port
