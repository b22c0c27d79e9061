"""Nothing listens beyond loopback unless told (issue 12, class 6).

Faust's web server binds 0.0.0.0 unless `web_bind` is given; the worker's /metrics and /health
must listen on exactly what KOMHEN_WEB_HOST says. Every address in 127.0.0.0/8 is this machine,
so a server bound to 0.0.0.0 answers on 127.0.0.2 too, and one bound to 127.0.0.1 does not.
"""

from __future__ import annotations

import socket
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from streams.documents.settings import Settings
from streams.worker.app import faust_app
from tests.fixtures.factories import free_port
from tests.fixtures.workers import WorkerProcess, wait_for


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port`, from /proc/net/tcp."""
    out = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            out.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return out


def test_the_faust_app_binds_the_web_host_setting() -> None:
    assert faust_app(Settings(web_host="127.0.0.1")).conf.web_bind == "127.0.0.1"
    assert faust_app(Settings(web_host="0.0.0.0")).conf.web_bind == "0.0.0.0"


@pytest.mark.parametrize(("bind", "other"), [("127.0.0.1", "127.0.0.2"), ("127.0.0.2", "127.0.0.1")])
def test_the_worker_listens_only_on_the_address_it_was_given(
    settings: Settings, tmp_path: Path, bind: str, other: str
) -> None:
    port = free_port()
    worker = WorkerProcess(replace(settings, web_host=bind, web_port=port), tmp_path / "worker.log").start()
    try:
        wait_for(lambda: answers(bind, port), 60, f"the worker to listen on {bind}:{port}")
        with urllib.request.urlopen(f"http://{bind}:{port}/health", timeout=5) as response:
            assert response.status == 200
        assert listening_addresses(port) == {bind}
        assert not answers(other, port)
    finally:
        worker.close()
