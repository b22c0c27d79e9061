"""An ingest that cannot be starved (issue 12, class 4): the trial's attacks on a real ingest server.

The trial: a 4 MB gzip body without a valid token was decompressed in full before the 401 (4–8 s
of CPU; the next valid request waited 4 s); 1,100 unfinished requests, no token needed, exhausted
file descriptors and grew the log to 168 MB in 20 s; deflate garbage answered 500. Here the same
and their variants go to the ingest as `komhen ingest` serves it (serve_ingest: the connection
guard, the header and body timeouts), with a real broker behind it.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import resource
import socket
import time
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from streams.documents.settings import Settings
from streams.ingress.http.ingest import GUARD
from streams.ingress.http.limits import Limits
from streams.telemetry import logs
from tests.integration.ingress.test_ingest import TEL, IngestServer, event, read_topic, serve

BOMB = gzip.compress(b"\0" * 300_000_000, compresslevel=9)  # ~0.3 MB that inflate to 300 MB


@pytest.fixture
def guarded(settings: Settings) -> Iterator[IngestServer]:
    limits = Limits(max_body_bytes=5_000_000, header_timeout_s=1.0, body_timeout_s=1.0, max_connections=64)
    with serve(settings, limits=limits) as running:
        yield running


def post(server: IngestServer, body: bytes, encoding: str | None, token: str | None = TEL) -> tuple[int, Any, float]:
    headers = {"Content-Type": "application/json"}
    if encoding:
        headers["Content-Encoding"] = encoding
    if token:
        headers["Authorization"] = f"Bearer {token}"
    began = time.monotonic()
    reply = server.request("POST", "/v1/events", body, headers)
    return reply.status, reply.body, time.monotonic() - began


def test_a_compressed_body_without_a_valid_token_is_refused_before_it_is_read(guarded: IngestServer) -> None:
    bomb4 = BOMB * (4_000_000 // len(BOMB) + 1)  # the trial's 4 MB of gzip (concatenated members)
    for token in (None, "not-a-token-0123456789"):
        status, _, seconds = post(guarded, bomb4[:4_000_000], "gzip", token)
        assert status == 401 and seconds < 1.5, (status, seconds)
    status, _, seconds = post(guarded, json.dumps([event("after-bomb")]).encode(), None)
    assert status == 202 and seconds < 1.5, seconds  # the next valid request does not wait


def test_a_decompression_bomb_with_a_valid_token_stops_at_the_body_limit(guarded: IngestServer) -> None:
    began = time.process_time()
    status, body, seconds = post(guarded, BOMB, "gzip")
    assert status == 413 and body["error"].startswith("the body is larger than 5000000 bytes once decompressed;")
    assert seconds < 2 and time.process_time() - began < 2  # the first 5 MB inflated, not 300 MB


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as HTTP means it
        ("deflate", lambda data: zlib.compressobj(wbits=-15).compress(data) + zlib.compressobj(wbits=-15).flush()),
    ],
)
def test_gzip_and_deflate_bodies_are_read(
    guarded: IngestServer, settings: Settings, encoding: str, compress: Any
) -> None:
    if encoding == "deflate" and compress is not zlib.compress:
        c = zlib.compressobj(wbits=-15)
        compress = lambda data: c.compress(data) + c.flush()  # noqa: E731  raw deflate, as some clients send it
    events = [event(f"{encoding}-{i}") for i in range(3)]
    status, body, _ = post(guarded, compress(json.dumps(events).encode()), encoding)
    assert (status, body) == (202, {"accepted": 3, "rejected": []})
    assert len(read_topic(settings, 3)["183"][0]["events"]) == 3


def deflate_garbage() -> bytes:
    return bytes(range(256)) * 40


@pytest.mark.parametrize(
    ("encoding", "body", "status"),
    [
        ("deflate", deflate_garbage(), 400),  # the trial: 500
        ("deflate", b"x", 400),
        ("deflate", b"", 400),
        ("gzip", deflate_garbage(), 400),
        ("gzip", gzip.compress(b'[{"a": 1}]')[:-6], 400),  # cut short
        ("gzip", gzip.compress(b"[]") + b"trailing garbage", 400),
        ("gzip", gzip.compress(b"\xff\xfe not utf-8"), 400),
        ("br", b"whatever", 415),
        ("gzip, deflate", gzip.compress(b"[]"), 415),
    ],
    ids=[  # gzip bodies hold the time they were made: ids of their own keep every pytest-xdist worker's alike
        "deflate-garbage",
        "deflate-one-byte",
        "deflate-empty",
        "gzip-garbage",
        "gzip-cut-short",
        "gzip-trailing-garbage",
        "gzip-not-utf-8",
        "br",
        "gzip-then-deflate",
    ],
)
def test_any_body_that_cannot_be_decoded_is_4xx_never_500(
    guarded: IngestServer, encoding: str, body: bytes, status: int
) -> None:
    got, answer, _ = post(guarded, body, encoding)
    assert got == status, answer
    assert isinstance(answer, dict) and "error" in answer


def raise_fd_limit(n: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n and (hard == resource.RLIM_INFINITY or hard >= n):
        resource.setrlimit(resource.RLIMIT_NOFILE, (n, hard))


def test_unfinished_requests_are_bounded_by_the_connection_limit_and_closed_by_the_header_timeout(
    settings: Settings,
) -> None:
    raise_fd_limit(4096)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RateLimit())  # as `komhen ingest` has on its handlers
    logging.getLogger("streams.ingress").addHandler(handler)
    limits = Limits(header_timeout_s=5.0, body_timeout_s=1.0, max_connections=256)  # time to open 1,100
    sockets: list[socket.socket] = []
    try:
        with serve(settings, limits=limits) as server:
            for i in range(1_100):  # the trial's 1,100 unfinished requests, no token needed
                sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                sock.sendall(b"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + str(i).encode())
                sockets.append(sock)
            refused = [s for s in sockets[256:] if s.recv(200).startswith(b"HTTP/1.1 503")]
            assert len(refused) == 1_100 - 256  # answered at once, then closed
            assert server.app[GUARD].open == 256  # (a scrape now would be refused too: every slot is taken)
            for sock in sockets[:256]:
                sock.settimeout(limits.header_timeout_s + 2)
            closed = sum(1 for s in sockets[:256] if s.recv(200) == b"")
            assert closed == 256  # the header timeout closed every unfinished one
            status, _, seconds = post(server, json.dumps([event("after-flood")]).encode(), None)
            assert status == 202 and seconds < 1.5
            assert _gauge(server, "komhen_ingest_connections_open") == 1  # the scrape's own
            metrics = server.metrics()
            assert metrics[("komhen_ingest_connections_closed_total", frozenset({("why", "refused")}))] == 844
            assert metrics[("komhen_ingest_connections_closed_total", frozenset({("why", "header_timeout")}))] == 256
    finally:
        for sock in sockets:
            sock.close()
        logging.getLogger("streams.ingress").removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert 2 <= len(lines) <= 2 * 5, lines  # 1,100 events, at most five lines of each kind


def _gauge(server: IngestServer, name: str) -> float:
    text = server.request("GET", "/metrics").body
    return next(float(line.split()[-1]) for line in text.splitlines() if line.startswith(name + " "))


def test_a_body_that_does_not_arrive_is_408_after_the_body_timeout(guarded: IngestServer) -> None:
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as sock:
        sock.sendall(
            f"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TEL}\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{".encode()
        )
        began = time.monotonic()
        answer = sock.recv(1000)
        assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - began < 3, answer
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as sock:  # one byte a second
        sock.sendall(
            f"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TEL}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        for _ in range(3):
            time.sleep(0.5)
            with _ignore_reset():
                sock.sendall(b"1\r\n \r\n")
        assert sock.recv(1000).startswith(b"HTTP/1.1 408")


class _ignore_reset:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> bool:
        return kind is not None and issubclass(kind, (BrokenPipeError, ConnectionResetError))
