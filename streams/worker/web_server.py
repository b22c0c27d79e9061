"""The worker's web server: Faust's aiohttp server with the ingest's connection guard and safe headers.

Every page the worker serves (`/`, `/metrics`, `/health`) is text a browser or a scraper reads, so
each response says what it is and may never become more: `X-Content-Type-Options: nosniff`, and a
Content-Security-Policy that allows the report page its inline styles and nothing else (no script,
no fetch, no frame, no form). A client that opens a connection and never finishes its headers, or
keeps an idle connection, is closed after the same header timeout as the ingest's; connections beyond
the limit are refused at once (streams/ingress/http/limits.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from faust.web.drivers.aiohttp import Web

from streams.ingress.http.limits import ConnectionGuard, GuardedSite, Limits

# The report is one self-contained page: inline CSS and inline SVG, nothing fetched, no script.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
SAFE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
LIMITS = Limits(header_timeout_s=10.0, max_connections=64)


def guarded_web(limits: Limits = LIMITS) -> Callable[[Any], Web]:
    """A Faust web driver factory (`App._new_web`): the aiohttp driver behind a ConnectionGuard."""

    def driver(app: Any) -> Web:
        guard = ConnectionGuard(limits)

        @web.middleware
        async def guarded(
            request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
        ) -> web.StreamResponse:
            guard.request_started(request.transport)
            try:
                response = await handler(request)
                response.headers.update(SAFE_HEADERS)
                return response
            finally:
                guard.request_finished(request.transport)

        class GuardedWeb(Web):
            def _new_transport_tcp(self) -> web.BaseSite:
                return GuardedSite(self._runner, self.app.conf.web_bind, self.app.conf.web_port, guard)

        server = GuardedWeb(app)
        server.web_app.middlewares.append(guarded)
        return server

    return driver
