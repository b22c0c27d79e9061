"""The worker's pages are inert and its web server closes what it does not need (issue 24), on a real worker.

Every response carries a Content-Security-Policy that allows no script, no fetch and no frame, and
`X-Content-Type-Options: nosniff`; a client that never finishes its headers is closed after the
header timeout, as the ingest closes it.
"""

from __future__ import annotations

import socket
import time
import urllib.request

from streams.worker.web_server import CONTENT_SECURITY_POLICY, LIMITS
from tests.fixtures.workers import WorkerProcess


def test_every_page_says_what_it_is_and_may_run_nothing(worker: WorkerProcess) -> None:
    for path in ("/", "/metrics", "/health"):
        with urllib.request.urlopen(worker.base_url + path, timeout=30) as response:
            assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
            assert response.headers["Referrer-Policy"] == "no-referrer", path
    assert "script-src" not in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY


def test_a_client_that_never_finishes_its_headers_is_closed_after_the_header_timeout(worker: WorkerProcess) -> None:
    host, port = worker.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=LIMITS.header_timeout_s * 3) as slow:
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line that ends the headers
        began = time.monotonic()
        assert slow.recv(1024) == b""  # closed by the server, nothing answered
        waited = time.monotonic() - began
    assert LIMITS.header_timeout_s - 1 <= waited <= LIMITS.header_timeout_s * 3
