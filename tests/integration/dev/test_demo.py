"""The newcomer's command: `komhen demo` starts everything, shows the table, stops cleanly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from streams.dev.demo import komhen_command
from tests.fixtures.factories import free_port


def test_demo_runs_the_whole_pipeline_and_leaves_no_process_behind(tmp_path: Path) -> None:
    broker_port, web_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    env["KOMHEN_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "streams",
            "demo",
            "--duration",
            "30",
            "--rate",
            "20",
            "--backfill-days",
            "2",
            "--broker-port",
            str(broker_port),
            "--web-port",
            str(web_port),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    [logs] = (tmp_path / "logs").iterdir()  # one folder per demo run
    assert result.returncode == 0, result.stderr + (logs / "worker.log").read_text()
    last_screen = result.stdout.rsplit("komhen demo ·", 1)[1]  # what stays on screen: guide, table, footer
    assert f"Kafka 127.0.0.1:{broker_port} · metrics http://127.0.0.1:{web_port}/metrics · logs {logs}/" in last_screen
    assert (
        f"KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:{broker_port} {komhen_command()} publish --shift-to-today " in last_screen
    )
    assert "Ctrl-C stopper demoen (broker, worker og simulator)." in last_screen
    last_table = last_screen.rsplit("Kanalfordeling", 1)[1]
    assert "Hele kommunen" in last_table and "Borgerservice" in last_table
    assert "Afvist (dead letter): 0" in last_table
    broker_left = subprocess.run(["pgrep", "-f", f"127.0.0.1:{broker_port}"], capture_output=True, text=True)
    assert broker_left.stdout == ""
    for port in (broker_port, web_port):  # nothing listens any more: broker and worker are gone
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, port
    assert f"Indbygget broker (Tansu) på 127.0.0.1:{broker_port}" in result.stdout
