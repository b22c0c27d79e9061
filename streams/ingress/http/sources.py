"""Systems that push their own records: `POST /v1/sources/<source>/records` on the HTTP ingest.

A Drupal Webform "Remote post" handler, or any system that can call a URL, posts its records as it
writes them (one record, an array, JSON lines or CSV: whatever the source's definition reads). The
ingest maps them with the same adapter and mapping file as `komhen source`, publishes the events
with the SDK and answers `202` with what each record became, only after Kafka acknowledged them.
Each source has its own token (the tokens file of `/v1/events`), and a token posts only its own
source's records. Bodies hold citizens' data: they are never logged, and an answer names only the
record's line and the values the mapping reads.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from streams.contract.texts import Line
from streams.domain.events.privacy import redact
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters.base import Adapter, Inquiry, RejectedRow, ServiceMeasure, Skipped
from streams.ingress.http.limits import BodyError, read_body
from streams.ingress.publisher import PublishError

if TYPE_CHECKING:
    from streams.ingress.http.ingest import IngestService

log = logging.getLogger(__name__)

SOURCES_PREFIX = "/v1/sources/"
RECORDS_PATH = SOURCES_PREFIX + "{source}/records"


@dataclass(frozen=True)
class PushedSource:
    """A source that may post its records: how to read them and the municipality's mapping."""

    adapter: Adapter
    mapping: SourceMapping


class SourceRecords:
    """The handler of `POST /v1/sources/<source>/records`; authentication and delivery are the ingest's."""

    def __init__(self, service: IngestService, sources: Mapping[str, PushedSource]) -> None:
        self.service = service
        self.sources = sources

    async def post(self, request: web.Request) -> web.Response:
        name = request.match_info["source"]
        pushed = self.sources.get(name)
        if pushed is None:
            known = ", ".join(sorted(self.sources)) or "none"
            return web.json_response(
                {"error": f"no source {name!r} posts records here (configured: {known})"}, status=404
            )
        refusal = self.service.refuse_before_body(request)
        if not isinstance(refusal, str):
            return refusal
        if refusal != name:
            return web.json_response(
                {"error": f"the token of source {refusal!r} can only post records of source {refusal!r}"}, status=403
            )
        try:
            body = await read_body(request, self.service.limits)
        except BodyError as exc:
            response = web.json_response({"error": str(exc)}, status=exc.status)
            if exc.close:
                response.force_close()
            return response
        results = list(pushed.adapter.read_content(f"{name} request", body, pushed.mapping))
        answer = _answer(results)
        metrics = self.service.metrics
        for rejection in (r for r in results if isinstance(r, RejectedRow)):
            metrics.rejected.labels(name, rejection.reason.value).inc()
        ready = [
            r.event if isinstance(r, Inquiry) else r.measure for r in results if isinstance(r, Inquiry | ServiceMeasure)
        ]
        if not ready and answer["rejected"]:
            log.info(Line("log.records_all_rejected", source=name, n=answer["records"]))
            return web.json_response(answer, status=422)
        if ready:
            try:
                await self.service.delivery.send(ready)
            except PublishError as exc:
                metrics.unconfirmed.labels(name).inc(len(ready))
                log.warning(Line("log.ingest_unconfirmed", source=name, n=len(ready), problem=str(exc)))
                return web.json_response(
                    {
                        "error": "Kafka did not confirm delivery; nothing was accepted. Post the same records again "
                        "later: records already delivered are counted once."
                    },
                    status=503,
                    headers={"Retry-After": "30"},
                )
            metrics.accepted.labels(name).inc(len(ready))
        log.info(
            Line(
                "log.records_read",
                source=name,
                records=answer["records"],
                inquiries=answer["inquiries"],
                service=answer["service_events"],
                skipped=sum(answer["skipped"].values()),
                rejected=len(answer["rejected"]),
            )
        )
        return web.json_response(answer, status=202)


def _answer(results: list[Any]) -> dict[str, Any]:
    """What the posted records became: counts, skips by reason, and each rejection with its line and reason."""
    skipped: Counter[str] = Counter(r.reason for r in results if isinstance(r, Skipped))
    return {
        "records": len({(r.file, r.line) for r in results}),
        "inquiries": sum(isinstance(r, Inquiry) for r in results),
        "service_events": sum(isinstance(r, ServiceMeasure) for r in results),
        "skipped": dict(sorted(skipped.items())),
        "rejected": [
            {"line": r.line, "reason": r.reason.value, "field": r.field, "detail": redact(r.detail)}
            for r in results
            if isinstance(r, RejectedRow)
        ],
    }


def add_source_routes(app: web.Application, service: IngestService, sources: Mapping[str, PushedSource]) -> None:
    """Serve `POST /v1/sources/<source>/records` for `sources` on the ingest app."""
    app.router.add_post(RECORDS_PATH, SourceRecords(service, sources).post)
