"""Real Prometheus and Alertmanager (Debian packages) and a webhook receiver, for the tests."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.dev.embedded import wait_for_port
from tests.factories import free_port

ALERTMANAGER = "prometheus-alertmanager"


def require(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        pytest.fail(
            f"{binary} is not installed; `make test` installs it (apt-get install prometheus prometheus-alertmanager)"
        )
    return path


@contextmanager
def running(args: list[str], port: int, log: Path) -> Iterator[str]:
    with open(log, "ab") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port("127.0.0.1", port, timeout_s=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def prometheus(tmp: Path, worker_port: int, rule_files: list[Path], alertmanager_url: str) -> Iterator[str]:
    port = free_port()
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(p) for p in rule_files],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager_url.split("//")[1]]}]}]},
        "scrape_configs": [
            {"job_name": "komhen-worker", "static_configs": [{"targets": [f"127.0.0.1:{worker_port}"]}]}
        ],
    }
    (tmp / "prometheus.yml").write_text(yaml.safe_dump(config))
    args = [
        require("prometheus"),
        f"--config.file={tmp / 'prometheus.yml'}",
        f"--storage.tsdb.path={tmp / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--rules.alert.resend-delay=1s",
    ]
    with running(args, port, tmp / "prometheus.log") as url:
        yield url


@contextmanager
def alertmanager(tmp: Path, config: dict[str, Any]) -> Iterator[str]:
    port = free_port()
    (tmp / "alertmanager.yml").write_text(yaml.safe_dump(config))
    args = [
        require(ALERTMANAGER),
        f"--config.file={tmp / 'alertmanager.yml'}",
        f"--storage.path={tmp / 'am-data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
    ]
    with running(args, port, tmp / "alertmanager.log") as url:
        yield url


class WebhookReceiver:
    """An HTTP endpoint that keeps every Alertmanager notification it receives."""

    def __init__(self) -> None:
        self.notifications: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.notifications.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alerts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def api(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())["data"]
