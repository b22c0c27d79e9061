"""What keeps the HTTP ingest from being starved: a connection limit, a header timeout, bounded bodies.

aiohttp has no timeout for request headers (a client that sends one byte at a time holds its
connection for ever) and no limit on connections, and it decompresses a gzip body in full as it
arrives, token or not. Here:

- `ConnectionGuard` wraps the server's protocol: beyond `max_connections` a new connection gets
  `503` and is closed at once; a connection whose request headers are not complete within
  `header_timeout_s` of its start (or of the end of its previous request) is closed. The app's
  middleware tells the guard when a request starts and ends (`request_started`/`_finished`).
- `read_body` reads a body after the token was checked, within `body_timeout_s`, at most
  `max_body_bytes` as sent and at most `max_body_bytes` once decompressed, decompressing chunk by
  chunk with a bound on each step (a gzip bomb costs what its first megabytes cost); a body that
  is not valid gzip or deflate is `400`, an unknown encoding `415`.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import hdrs, web

from streams.contract.texts import Line
from streams.domain.events.privacy import shown

log = logging.getLogger(__name__)
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """The ingest's bounds; `komhen ingest` has a flag for each."""

    max_body_bytes: int = 5_000_000
    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0
    max_connections: int = 256


class BodyError(Exception):
    """A body that cannot be read: answered with `status` and the message (one line, what to do)."""

    def __init__(self, status: int, message: str, *, close: bool = False, decompressed: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.close = close  # the connection cannot be trusted to be at a request boundary
        self.decompressed = decompressed  # a 413 for the size once decompressed


def _refusal(max_connections: int) -> bytes:
    body = (
        b'{"error": "the ingest is serving its limit of '
        + str(max_connections).encode()
        + b' connections; send again in a second"}'
    )
    head = (
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
        f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class ConnectionGuard:
    """Counts the ingest's connections, refuses beyond the limit and times out unfinished headers."""

    def __init__(self, limits: Limits, on_event: Callable[[str], None] = lambda kind: None) -> None:
        self.limits = limits
        self.open = 0
        self._on_event = on_event  # "refused" | "header_timeout": for metrics
        self._connections: dict[Any, _GuardedProtocol] = {}
        self._refusal = _refusal(limits.max_connections)

    def protocol_factory(self, inner: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        return lambda: _GuardedProtocol(self, inner)

    def request_started(self, transport: Any) -> None:
        """The request's headers are complete: no header timeout while it is handled."""
        connection = self._connections.get(transport)
        if connection is not None:
            connection.disarm()

    def request_finished(self, transport: Any) -> None:
        """The next request's headers must be complete within the header timeout (or the connection closes)."""
        connection = self._connections.get(transport)
        if connection is not None:
            connection.arm()

    def _event(self, kind: str) -> None:
        self._on_event(kind)


class _GuardedProtocol(asyncio.Protocol):
    """aiohttp's protocol for one connection, inside the guard's limit and header timeout."""

    def __init__(self, guard: ConnectionGuard, inner: Callable[[], asyncio.Protocol]) -> None:
        self.guard = guard
        self._make_inner = inner
        self.inner: asyncio.Protocol | None = None
        self.transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        guard = self.guard
        if guard.open >= guard.limits.max_connections:
            guard._event("refused")
            log.warning(Line("log.connection_refused", n=guard.open))
            self.transport.write(guard._refusal)  # type: ignore[union-attr]
            transport.close()
            return
        guard.open += 1
        guard._connections[transport] = self
        self.inner = self._make_inner()
        self.arm()
        self.inner.connection_made(transport)

    def arm(self) -> None:
        self.disarm()
        if self.transport is not None and not self.transport.is_closing():
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.guard.limits.header_timeout_s, self._expired)

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expired(self) -> None:
        self._timer = None
        self.guard._event("header_timeout")
        log.warning(Line("log.header_timeout", seconds=round(self.guard.limits.header_timeout_s)))
        if self.transport is not None:
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.inner is not None else None

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        if self.inner is None:
            return
        self.guard.open -= 1
        self.guard._connections.pop(self.transport, None)
        self.inner.connection_lost(exc)


class GuardedSite(web.TCPSite):
    """aiohttp's TCP site, its connections handed to a ConnectionGuard."""

    __slots__ = ("_guard",)

    def __init__(self, runner: web.BaseRunner, host: str, port: int, guard: ConnectionGuard) -> None:
        super().__init__(runner, host, port, backlog=min(1024, max(128, guard.limits.max_connections)))
        self._guard = guard

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with its runner
        server = self._runner.server
        assert server is not None
        self._server = await asyncio.get_running_loop().create_server(
            self._guard.protocol_factory(server),
            self._host,
            self._port,
            ssl=self._ssl_context,
            backlog=self._backlog,
            reuse_address=self._reuse_address,
            reuse_port=self._reuse_port,
        )


_ENCODINGS = {"": None, "identity": None, "gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}


async def read_body(request: web.Request, limits: Limits) -> bytes:
    """The request body, decompressed; raise BodyError (413, 408, 415, 400) rather than read without bound."""
    name = request.headers.get(hdrs.CONTENT_ENCODING, "").strip().lower()
    if name not in _ENCODINGS:
        raise BodyError(
            415, f"Content-Encoding {shown(name)} is not supported: send the body as it is, gzip or deflate"
        )
    encoding = _ENCODINGS[name]
    inflater = _Inflater(encoding, limits.max_body_bytes) if encoding else None
    out = bytearray()
    received = 0
    try:
        async with asyncio.timeout(limits.body_timeout_s):
            async for chunk in request.content.iter_chunked(READ_CHUNK):
                received += len(chunk)
                if received > limits.max_body_bytes:
                    raise BodyError(413, _too_large(limits.max_body_bytes), close=True)
                if inflater is None:
                    out += chunk
                else:
                    inflater.feed(chunk, out)
    except TimeoutError:
        message = f"the body did not arrive within {limits.body_timeout_s:g} s; send it again"
        raise BodyError(408, message, close=True) from None
    if inflater is not None:
        inflater.finish(out)
    return bytes(out)


def _too_large(limit: int) -> str:
    return f"the body is larger than {limit} bytes; split it into requests of at most {limit} bytes"


class _Inflater:
    """Decompresses gzip or deflate (zlib-wrapped or raw) chunk by chunk, never beyond `limit` bytes out."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self._head = b""  # deflate: the first two bytes tell a zlib header from raw deflate
        self._d: Any = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None

    def _bad(self, why: object) -> BodyError:
        return BodyError(400, f"the body is not valid {self.encoding} data ({why}); send it compressed as it says")

    def feed(self, data: bytes, out: bytearray) -> None:
        if self._d is None:
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            zlib_header = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        if self._d.eof:
            if data.strip(b"\0"):
                raise self._bad("data after the end of the compressed stream")
            return
        try:
            while data:
                out += self._d.decompress(data, self.limit - len(out) + 1)
                if len(out) > self.limit:
                    raise BodyError(413, _too_large(self.limit), close=True, decompressed=True)
                data = self._d.unconsumed_tail
            if self._d.eof and self._d.unused_data.strip(b"\0"):
                raise self._bad("data after the end of the compressed stream")
        except zlib.error as exc:
            raise self._bad(exc) from None

    def finish(self, out: bytearray) -> None:
        if self._d is None:
            raise self._bad("it is shorter than a compressed stream can be")
        if not self._d.eof:
            raise self._bad("it ends before the compressed stream does")
