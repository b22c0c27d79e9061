"""`komhen ingest` as a process: serves within its limits, logs one redacted line per request, stops on SIGTERM."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streams.documents.settings import Settings, settings_env
from streams.domain.events.privacy import contains_cpr
from tests.fixtures.factories import REPO_ROOT, free_port
from tests.fixtures.workers import wait_for
from tests.integration.ingress.test_ingest import TEL, event


def start(settings: Settings, tmp_path: Path, port: int, *flags: str) -> subprocess.Popen[str]:
    tokens = tmp_path / "tokens.yaml"
    tokens.write_text(f"telephony: {{token: {TEL}, municipalities: ['183']}}\n")
    env = {**os.environ, **settings_env(settings)}
    return subprocess.Popen(
        [sys.executable, "-m", "streams", "ingest", "--tokens", str(tokens), "--port", str(port), *flags],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_komhen_ingest_serves_gzip_logs_redacted_lines_and_stops_on_sigterm(settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    process = start(settings, tmp_path, port, "--header-timeout", "2", "--max-connections", "8")
    try:
        wait_for(lambda: listening(port), 30, "komhen ingest to listen")
        body = gzip.compress(json.dumps([event("proc-1")]).encode())
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/events?token=s3cret-in-query&sag=010190-1234",
            data=body,
            headers={
                "Authorization": f"Bearer {TEL}",
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
                "User-Agent": "ZEBRA-agent 010190-1234",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 202
        idle = socket.create_connection(("127.0.0.1", port))  # says nothing: closed by the header timeout
        idle.settimeout(10)
        began = time.monotonic()
        assert idle.recv(100) == b"" and time.monotonic() - began < 5
        idle.close()
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    access = [line for line in output.splitlines() if "streams.ingress.access" in line]
    assert len(access) == 1 and " POST /v1/events 202 " in access[0], output
    assert "s3cret" not in output and "ZEBRA" not in output and TEL not in output
    assert not contains_cpr(output)
    assert "forbindelse lukket: ingen hel forespørgsel inden for" in output and "s (header-timeout)" in output


def test_a_busy_port_is_one_line_and_status_2(settings: Settings, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start(settings, tmp_path, port)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    last = output.strip().splitlines()[-1]
    assert last == f"komhen ingest: port {port} på 127.0.0.1 er optaget af et andet program; vælg en anden med --port"
    assert "Traceback" not in output
