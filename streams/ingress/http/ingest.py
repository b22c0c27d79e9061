"""HTTP ingest for source systems that cannot speak Kafka: `POST /v1/events`, `/health`, `/metrics`.

Each source has its own bearer token and the municipalities it may write for (the tokens file,
streams/documents/tokens.py) and may only publish events whose `source` is its own and whose
`municipality` is one of its own: anything else is 403 and publishes nothing. Events are
validated as the SDK does; the valid ones are published with the SDK and `202` is answered
only after Kafka acknowledged all of them. When the broker cannot confirm, the answer is `503`
and nothing is reported as accepted: the client sends the same events again, and (municipality,
source, event_id) deduplication counts them once.
The contract is schemas/ingest-openapi.v1.yaml. Tokens and payloads are never logged.
`/metrics` (source names and their counts) is read with the metrics token (`--metrics-token`,
Prometheus's); without one it answers loopback clients only.

This module is the app: its handlers, wiring and server. What they use has a module each:
documents/tokens.py (the bearer tokens), payload.py (a body read as events), delivery.py (publishing and
Kafka's acknowledgement), metrics.py (the counters), limits.py (what keeps it from being starved) and
sources.py (systems that post their own records).
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import signal
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_urldispatcher import _default_expect_handler
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from streams.broker.clients import broker_reachable
from streams.contract.texts import Line, text
from streams.documents.reference import event_contract
from streams.documents.settings import ConfigError, Settings, env_name
from streams.documents.source_registry import source_registry
from streams.documents.tokens import MetricsToken, TokenFileError, Tokens, load_metrics_token, load_tokens
from streams.domain.events.inquiry import EventParser
from streams.domain.events.privacy import truncated
from streams.ingress.http.delivery import Delivery, PublisherFactory
from streams.ingress.http.limits import BodyError, ConnectionGuard, GuardedSite, Limits, read_body
from streams.ingress.http.metrics import IngestMetrics
from streams.ingress.http.payload import MAX_EVENTS, BadRequest, decode_body, forbidden, validate_with_warnings
from streams.ingress.http.sources import RECORDS_PATH, SOURCES_PREFIX, PushedSource, add_source_routes
from streams.ingress.publisher import Publisher, PublishError
from streams.telemetry import logs

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY_BYTES = 5_000_000
RETRY_AFTER_S = 30
EVENTS_PATH = "/v1/events"
ACCESS_LOGGER = "streams.ingress.access"


class AccessLog(AbstractAccessLogger):
    """One line per request: client address, method, path (redacted, never the query string), status,
    bytes and seconds. Never a header: no token, no User-Agent."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %d %d %.3fs",
            request.remote,
            request.method,
            truncated(request.path, 200),
            response.status,
            response.body_length,
            time,
        )


def _loopback(remote: str | None) -> bool:
    """Whether a client address is this host's loopback (127.0.0.0/8, ::1, or 127.x mapped into IPv6)."""
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def _error(status: int, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": message, **extra}, status=status)


def _unauthorized(message: str, invalid: bool) -> web.Response:
    challenge = 'Bearer realm="komhen-ingest"' + (', error="invalid_token"' if invalid else "")
    response = _error(401, message)
    response.headers["WWW-Authenticate"] = challenge
    return response


class IngestService:
    """The request handlers; state is the Delivery and the metrics."""

    def __init__(
        self,
        settings: Settings,
        tokens: Tokens,
        delivery: Delivery,
        metrics: IngestMetrics,
        limits: Limits,
        metrics_token: MetricsToken | None = None,
    ) -> None:
        self.settings = settings
        self.tokens = tokens
        self.metrics_token = metrics_token
        self.delivery = delivery
        self.metrics = metrics
        self.limits = limits
        self.max_body_bytes = limits.max_body_bytes
        self.parser = EventParser(event_contract())  # remembers the valid values it has seen, for this ingest

    def _too_large(self, decompressed: bool = False) -> web.Response:
        return _error(
            413,
            f"the body is larger than {self.max_body_bytes} bytes{' once decompressed' if decompressed else ''}; "
            f"split it into requests of at most {self.max_body_bytes} bytes and {MAX_EVENTS} events",
        )

    def refuse_before_body(self, request: web.Request) -> web.Response | str:
        """The token's source, or the 401/413 answer that needs no body."""
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            return _unauthorized("an Authorization: Bearer <token> header is required", invalid=False)
        source = self.tokens.source_for(presented.strip())
        if source is None:
            return _unauthorized("the bearer token is not known", invalid=True)
        if request.content_length is not None and request.content_length > self.max_body_bytes:
            return self._too_large()
        return source

    async def expect_continue(self, request: web.Request) -> web.StreamResponse | None:
        """With `Expect: 100-continue`, refuse a bad token or size before the client sends the body."""
        refusal = self.refuse_before_body(request)
        if isinstance(refusal, str):
            await _default_expect_handler(request)  # aiohttp's own: answers 100 Continue
            return None
        self.metrics.requests.labels(str(refusal.status)).inc()
        refusal.force_close()  # the client holds its body back: nothing to drain, close
        return refusal

    async def post_events(self, request: web.Request) -> web.Response:
        """Authenticate before reading the body, then decode, check sources, validate, publish, confirm."""
        source = self.refuse_before_body(request)
        if not isinstance(source, str):
            return source
        try:
            body = await read_body(request, self.limits)  # bounded as sent and as decompressed, within a time
        except BodyError as exc:
            response = self._too_large(exc.decompressed) if exc.status == 413 else _error(exc.status, str(exc))
            if exc.close:
                response.force_close()
            return response
        try:
            items = decode_body(body, request.content_type)
        except BadRequest as exc:
            return _error(exc.status, str(exc))

        refused = forbidden(items, source, self.tokens.registry)
        if refused:
            self.metrics.rejected.labels(source, refused[0].reason).inc(len(refused))
            own = sorted(self.tokens.registry.municipalities(source) or ())
            which = f"municipality {own[0]}" if len(own) == 1 else f"municipalities {', '.join(own)}"
            return _error(
                403,
                f"the token of source {source!r} publishes only events of source {source!r} for {which}; "
                "nothing was published",
                indexes=[e.index for e in refused],
                rejected=[e.to_json() for e in refused],
            )

        valid, errors, warnings = validate_with_warnings(items, self.settings, self.parser)
        for error in errors:
            self.metrics.rejected.labels(source, error.reason).inc()
        rejected = [e.to_json() for e in errors]
        warned = {"warnings": [w.to_json() for w in warnings]} if warnings else {}
        if not valid:
            log.info(Line("log.ingest_all_rejected", source=source, n=len(errors)))
            return web.json_response({"accepted": 0, "rejected": rejected}, status=422)
        try:
            await self.delivery.send(valid)
        except PublishError as exc:
            self.metrics.unconfirmed.labels(source).inc(len(valid))
            log.warning(Line("log.ingest_unconfirmed", source=source, n=len(valid), problem=str(exc)))
            return web.json_response(
                {
                    "accepted": 0,
                    "rejected": rejected,
                    "error": "Kafka did not confirm delivery; nothing was accepted. Send the same events again "
                    "later: events already delivered are counted once.",
                },
                status=503,
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        self.metrics.accepted.labels(source).inc(len(valid))
        log.info(Line("log.ingest_accepted", source=source, accepted=len(valid), rejected=len(errors)))
        return web.json_response({"accepted": len(valid), "rejected": rejected, **warned}, status=202)

    async def health(self, request: web.Request) -> web.Response:
        """ok, or degraded when the last publish failed or no broker answers; no event content."""
        reachable = await broker_reachable(self.settings.bootstrap_servers)
        degraded = self.delivery.last_publish == "failed" or not reachable
        body = {
            "status": "degraded" if degraded else "ok",
            "broker": "reachable" if reachable else "unreachable",
            "publisher": self.delivery.state,
            "last_publish": self.delivery.last_publish,
        }
        return web.json_response(body)

    async def metrics_page(self, request: web.Request) -> web.Response:
        """The counters (every source's name and counts): to the metrics token's bearer, or, without a metrics
        token, to a loopback client only."""
        if self.metrics_token is not None:
            scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not presented.strip():
                return _unauthorized("the metrics need an Authorization: Bearer <metrics token> header", invalid=False)
            if not self.metrics_token.matches(presented.strip()):
                return _unauthorized("the bearer token is not the metrics token", invalid=True)
        elif not _loopback(request.remote):
            return _error(
                403,
                "the metrics are served to this host's loopback only; start the ingest with --metrics-token FILE "
                "to let Prometheus read them with that bearer token",
            )
        return web.Response(body=generate_latest(self.metrics.registry), content_type=CONTENT_TYPE_LATEST.split(";")[0])


GUARD = web.AppKey("connection_guard", ConnectionGuard)


def create_ingest_app(
    settings: Settings,
    tokens: Tokens,
    publisher_factory: PublisherFactory = Publisher,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    limits: Limits | None = None,
    confirm_timeout_s: float = 30.0,
    registry: CollectorRegistry | None = None,
    sources: Mapping[str, PushedSource] | None = None,
    metrics_token: MetricsToken | None = None,
) -> web.Application:
    """The ingest web app; the publisher is created at start-up in a thread (again later if that fails).

    `sources` may also post their own records (streams.ingress.http.sources). `/metrics` is read with
    `metrics_token`; without one, from loopback only.

    Serve it with `serve_ingest` (or a GuardedSite): the connection limit and header timeout live there.
    """
    limits = limits if limits is not None else Limits(max_body_bytes=max_body_bytes)
    metrics = IngestMetrics(registry or CollectorRegistry())
    delivery = Delivery(settings, publisher_factory, confirm_timeout_s)
    service = IngestService(settings, tokens, delivery, metrics, limits, metrics_token)

    def on_connection_event(kind: str) -> None:
        metrics.connections.labels(kind).inc()

    guard = ConnectionGuard(limits, on_connection_event)
    metrics.open.set_function(lambda: guard.open)

    @web.middleware
    async def count_requests(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        guard.request_started(request.transport)
        try:
            if request.path != EVENTS_PATH and not request.path.startswith(SOURCES_PREFIX):
                return await handler(request)
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                metrics.requests.labels(str(exc.status)).inc()
                raise
            metrics.requests.labels(str(response.status)).inc()
            return response
        finally:
            guard.request_finished(request.transport)

    app = web.Application(
        client_max_size=limits.max_body_bytes,
        middlewares=[count_requests],
        # For every server of this app: the redacting access log; bodies as sent (read_body decompresses
        # within bounds, after the token was checked); an idle kept-alive connection closes like one that
        # never finishes its headers.
        handler_args={
            "access_log_class": AccessLog,
            "access_log": logging.getLogger(ACCESS_LOGGER),
            "auto_decompress": False,
            "keepalive_timeout": limits.header_timeout_s,
        },
    )
    app[GUARD] = guard
    app.router.add_post(EVENTS_PATH, service.post_events, expect_handler=service.expect_continue)
    app.router.add_get("/health", service.health)
    app.router.add_get("/metrics", service.metrics_page)
    if sources:
        add_source_routes(app, service, sources)

    async def start(_: web.Application) -> None:
        delivery.connect()

    async def stop(_: web.Application) -> None:
        await delivery.close()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    return app


async def serve_ingest(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start serving `app` on host:port within its connection guard; `await runner.cleanup()` stops it."""
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    await GuardedSite(runner, host, port, app[GUARD]).start()
    return runner


def checked_tokens(settings: Settings, path: Path, sources: Mapping[str, PushedSource]) -> Tokens:
    """The tokens file, checked against what the workers let through and against the sources that post records:
    a token that grants what the workers would dead-letter is refused before the ingest listens."""
    tokens = load_tokens(path, settings.municipality)
    untokened = sorted(set(sources) - set(tokens.sources))
    if untokened:
        raise TokenFileError(text("ingest.no_token", path=path, source=repr(untokened[0])))
    workers = source_registry(settings)
    beyond = workers.covers(tokens.registry)
    if beyond:
        source, municipality = beyond[0]
        where = settings.source_registry or f"{env_name('municipality')}={settings.municipality}"
        raise TokenFileError(
            text("ingest.beyond_workers", path=path, source=repr(source), municipality=municipality, where=where)
        )
    for name, pushed in sorted(sources.items()):
        municipality = pushed.mapping.municipality
        if not tokens.registry.allows(name, municipality):  # every source here has a token, so its municipalities
            allowed = sorted(tokens.registry.municipalities(name) or ())
            raise TokenFileError(
                text(
                    "ingest.elsewhere",
                    path=path,
                    source=name,
                    municipality=municipality,
                    n=len(allowed),
                    allowed=", ".join(allowed),
                )
            )
    return tokens


def run_ingest(
    settings: Settings,
    *,
    host: str,
    port: int,
    tokens_path: Path,
    limits: Limits | None = None,
    sources: Mapping[str, PushedSource] | None = None,
    metrics_token_path: Path | None = None,
) -> int:
    """Serve the ingest endpoint until SIGINT or SIGTERM; a bad tokens file stops it before it listens."""
    tokens = checked_tokens(settings, tokens_path, sources or {})
    metrics_token = load_metrics_token(metrics_token_path, tokens) if metrics_token_path is not None else None
    limits = limits or Limits()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logs.install()  # redacted records, and the same error at most a few times a minute
    # kafka-python logs record values at DEBUG: keep its loggers above that so payloads never reach a log.
    logging.getLogger("kafka").setLevel(logging.WARNING)
    log.info(
        Line(
            "log.ingest_listening",
            sources=", ".join(tokens.sources),
            url=f"http://{host}:{port}{EVENTS_PATH}",
            connections=limits.max_connections,
            header_s=limits.header_timeout_s,
            body_s=limits.body_timeout_s,
        )
    )
    if sources:
        log.info(Line("log.ingest_record_sources", path=RECORDS_PATH, sources=", ".join(sorted(sources))))
    log.info(Line("log.metrics_token" if metrics_token is not None else "log.metrics_loopback"))
    app = create_ingest_app(settings, tokens, limits=limits, sources=sources, metrics_token=metrics_token)

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            runner = await serve_ingest(app, host, port)
        except OSError as exc:  # taken since the check before Kafka (cli.common.free_port): the same line
            key = {errno.EADDRINUSE: "port.busy", errno.EACCES: "port.no_permission"}.get(exc.errno or 0)
            raise ConfigError(text(key or "port.no_address", host=host, port=str(port), flag="--port")) from None
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    asyncio.run(serve())
    return 0
