"""HTTP ingest: real HTTP requests to a real server on loopback, publishing to the real embedded broker.

Each test has its own topic; what arrived is read back from Kafka with kafka-python.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from kafka import KafkaConsumer
from prometheus_client.parser import text_string_to_metric_families

from streams.broker.topics import ensure_topics
from streams.cli.ingest import pushed_sources
from streams.dev.embedded import EmbeddedBroker
from streams.documents.settings import Settings
from streams.documents.tokens import Tokens
from streams.domain.events.inquiry import Reason
from streams.ingress.http.ingest import create_ingest_app, serve_ingest
from streams.ingress.publisher import Publisher
from tests.fixtures.factories import REPO_ROOT, SCHEMAS, event_json, free_port
from tests.fixtures.workers import fresh_settings

pytestmark = pytest.mark.integration

OS2FORMS_UNITS = REPO_ROOT / "tests" / "data" / "sources" / "os2forms" / "mapping.yaml"
TEL = "tel-token-0123456789abcdef"
SELF = "self-token-0123456789abcdef"
TOKENS = Tokens({"telephony": (TEL, ["183"]), "selfservice": (SELF, ["183"])})
NOW = datetime.now(UTC).replace(microsecond=0)
MISSING = 'Bearer realm="komhen-ingest"'
INVALID = 'Bearer realm="komhen-ingest", error="invalid_token"'


def event(event_id: str, department: str = "borgerservice", **overrides: Any) -> dict[str, Any]:
    return event_json(event_id, **{"occurred_at": NOW - timedelta(hours=1), "department": department, **overrides})


@dataclass
class Reply:
    status: int
    headers: Message
    body: Any


class IngestServer:
    """The ingest app served by aiohttp on a free loopback port, in a thread with its own event loop."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        runner = self.loop.run_until_complete(serve_ingest(self.app, "127.0.0.1", self.port))
        self._ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())
        self.loop.close()

    def start(self) -> IngestServer:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(30)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=body, headers=headers or {}, method=method
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return Reply(response.status, response.headers, _decode(response.read(), response.headers))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, _decode(error.read(), error.headers))

    def post(self, payload: Any, token: str | None = TEL, content_type: str = "application/json") -> Reply:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": content_type}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.request("POST", "/v1/events", body, headers)

    def metrics(self) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
        text = self.request("GET", "/metrics").body
        return {
            (s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
            if s.name.endswith("_total")
        }


def _decode(raw: bytes, headers: Message) -> Any:
    return json.loads(raw) if headers.get_content_type() == "application/json" else raw.decode()


@contextmanager
def serve(settings: Settings, **options: Any) -> Iterator[IngestServer]:
    server = IngestServer(create_ingest_app(settings, TOKENS, **options)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(broker: EmbeddedBroker) -> Settings:
    s = fresh_settings(broker.bootstrap_servers)
    ensure_topics(s)
    return s


@pytest.fixture
def server(settings: Settings) -> Iterator[IngestServer]:
    with serve(settings, max_body_bytes=50_000) as running:
        yield running


def read_topic(settings: Settings, expected_events: int, timeout_s: float = 15) -> dict[str, list[Any]]:
    """Message values per key, in offset order; reads until `expected_events` arrived, then 2 s more."""
    consumer = KafkaConsumer(
        settings.topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=2000,
    )
    out: dict[str, list[Any]] = {}
    count = 0
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            for message in consumer:
                value = json.loads(message.value)
                out.setdefault(message.key.decode(), []).append(value)
                count += len(value["events"]) if "events" in value else 1
            if count >= expected_events:
                break
    finally:
        consumer.close()
    return out


def batch(*events: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "events": list(events)}


def labels(**kv: str) -> frozenset[tuple[str, str]]:
    return frozenset(kv.items())


def test_requests_without_a_known_token_or_with_another_sources_events_publish_nothing(
    server: IngestServer, settings: Settings
) -> None:
    one = [event("t-1")]
    missing = server.post(one, token=None)
    assert (missing.status, missing.headers["WWW-Authenticate"]) == (401, MISSING)
    assert missing.body == {"error": "an Authorization: Bearer <token> header is required"}

    basic = server.request("POST", "/v1/events", b"[]", {"Authorization": f"Basic {TEL}"})
    assert (basic.status, basic.headers["WWW-Authenticate"]) == (401, MISSING)

    unknown = server.post(one, token="not-a-token-0123456789")
    assert (unknown.status, unknown.headers["WWW-Authenticate"]) == (401, INVALID)
    assert unknown.body == {"error": "the bearer token is not known"}

    foreign = server.post(
        [event("t-2"), event("s-1", source="selfservice"), event("t-3"), event("s-2", source="selfservice")]
    )
    assert (foreign.status, foreign.body) == (
        403,
        {
            "error": "the token of source 'telephony' publishes only events of source 'telephony' for municipality "
            "183; nothing was published",
            "indexes": [1, 3],
            "rejected": [
                {
                    "index": i,
                    "reason": "source_not_allowed",
                    "field": "source",
                    "detail": "the token of source 'telephony' cannot publish events of source 'selfservice'",
                }
                for i in (1, 3)
            ],
        },
    )
    # The other source's own token may publish its events; only that reaches Kafka.
    own = server.post([event("s-3", source="selfservice")], token=SELF)
    assert (own.status, own.body) == (202, {"accepted": 1, "rejected": []})

    assert read_topic(settings, 1) == {"183": [event("s-3", source="selfservice")]}
    metrics = server.metrics()
    assert {k: v for k, v in metrics.items() if k[0] == "komhen_ingest_requests_total"} == {
        ("komhen_ingest_requests_total", labels(code="401")): 3.0,
        ("komhen_ingest_requests_total", labels(code="403")): 1.0,
        ("komhen_ingest_requests_total", labels(code="202")): 1.0,
    }


def test_a_mixed_batch_publishes_exactly_the_valid_events_batched_per_department(
    server: IngestServer, settings: Settings
) -> None:
    old = (NOW - timedelta(days=401)).isoformat()
    events = [
        event("m-0"),
        event("m-1", channel=None),
        event("m-2", department="byggeri"),
        event("m-3", channel="personal", direction="out"),
        event("m-4"),
        event("cpr-0101901234"),
        event("m-6", department="byggeri", channel="email", direction="out"),
        event("m-7", occurred_at=old),
        event("m-8", form="yes"),  # a descriptive value: normalised, accepted with a warning
        event("m-9"),
    ]
    reply = server.post(events)
    assert (reply.status, reply.body) == (
        202,
        {
            "accepted": 6,
            "rejected": [
                {"index": 1, "reason": "missing_field", "field": "channel", "detail": "channel is required"},
                {
                    "index": 3,
                    "reason": "direction_not_allowed",
                    "field": "direction",
                    "detail": "channel personal allows direction in, got out",
                },
                {
                    "index": 5,
                    "reason": "personal_data",
                    "field": "event_id",
                    "detail": "event_id contains a CPR-like number; events must not carry personal data",
                },
                {
                    "index": 7,
                    "reason": "too_old",
                    "field": "occurred_at",
                    "detail": f"occurred_at {old} is older than the retention of 400 days",
                },
            ],
            "warnings": [{"index": 8, "reason": "normalised", "field": "form", "detail": "form 'yes' read as True"}],
        },
    )
    assert read_topic(settings, 6) == {  # one municipality: one message, in the order received
        "183": [batch(events[0], events[2], events[4], events[6], events[8], events[9])],
    }
    metrics = server.metrics()
    assert {k: v for k, v in metrics.items() if k[0].startswith("komhen_ingest_events")} == {
        ("komhen_ingest_events_accepted_total", labels(source="telephony")): 6.0,
        ("komhen_ingest_events_rejected_total", labels(source="telephony", reason="missing_field")): 1.0,
        ("komhen_ingest_events_rejected_total", labels(source="telephony", reason="direction_not_allowed")): 1.0,
        ("komhen_ingest_events_rejected_total", labels(source="telephony", reason="personal_data")): 1.0,
        ("komhen_ingest_events_rejected_total", labels(source="telephony", reason="too_old")): 1.0,
    }


def test_a_request_whose_events_are_all_invalid_is_422_and_publishes_nothing(
    server: IngestServer, settings: Settings
) -> None:
    reply = server.post([event("i-0", channel="fax"), "not an event"])
    assert (reply.status, reply.body) == (
        422,
        {
            "accepted": 0,
            "rejected": [
                {
                    "index": 0,
                    "reason": "unknown_code",
                    "field": "channel",
                    "detail": "channel 'fax' is not one of chat, digital_post, email, letter, output_manager, "
                    "personal, phone, remote_print, self_service, sms, social_media, system, web",
                },
                {
                    "index": 1,
                    "reason": "wrong_type",
                    "field": None,
                    "detail": "an event must be a JSON object, got str",
                },
            ],
        },
    )
    valid = server.post(event("i-2"))
    assert (valid.status, valid.body) == (202, {"accepted": 1, "rejected": []})
    assert read_topic(settings, 1) == {"183": [event("i-2")]}


def test_ndjson_single_objects_and_sniffed_bodies_are_read_by_their_media_type_or_content(
    server: IngestServer, settings: Settings
) -> None:
    lines = [json.dumps(event("n-0")), "", "{not json", json.dumps(event("n-2", department="byggeri"))]
    ndjson = ("\n".join(lines) + "\n").encode()
    malformed = {"index": 1, "reason": "malformed_json", "field": None, "detail": "this line is not valid JSON"}

    declared = server.post(ndjson, content_type="application/x-ndjson")
    assert (declared.status, declared.body) == (202, {"accepted": 2, "rejected": [malformed]})
    sniffed = server.post(ndjson.replace(b'"n-', b'"p-'), content_type="text/plain")
    assert (sniffed.status, sniffed.body) == (202, {"accepted": 2, "rejected": [malformed]})
    single = server.post(event("o-0"))
    assert (single.status, single.body) == (202, {"accepted": 1, "rejected": []})
    sniffed_array = server.post([event("o-1")], content_type="application/octet-stream")
    assert (sniffed_array.status, sniffed_array.body) == (202, {"accepted": 1, "rejected": []})
    not_json = server.post(b'{"schema_version": 1,', content_type="application/json")
    assert (not_json.status, not_json.body) == (
        400,
        {
            "error": "the body is not valid JSON (line 1, column 22): send one event, an array, or NDJSON with "
            "Content-Type application/x-ndjson"
        },
    )

    assert read_topic(settings, 6) == {
        "183": [
            batch(event("n-0"), event("n-2", department="byggeri")),
            batch(event("p-0"), event("p-2", department="byggeri")),
            event("o-0"),
            event("o-1"),
        ]
    }


def test_bodies_over_the_byte_limit_or_the_event_limit_are_413_with_a_clear_message(server: IngestServer) -> None:
    too_large = {
        "error": "the body is larger than 50000 bytes; split it into requests of at most 50000 bytes and 10000 events"
    }
    big = json.dumps([event(f"b-{i}") for i in range(400)]).encode()
    assert len(big) > 50_000
    declared = server.post(big)
    assert (declared.status, declared.body) == (413, too_large)

    # Without Content-Length (chunked), the limit stops the read itself, not a check after buffering.
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(
        "POST",
        "/v1/events",
        body=iter([big[i : i + 4096] for i in range(0, len(big), 4096)]),
        headers={"Authorization": f"Bearer {TEL}", "Content-Type": "application/json"},
        encode_chunked=True,
    )
    chunked = connection.getresponse()
    assert (chunked.status, json.loads(chunked.read())) == (413, too_large)
    connection.close()

    many = server.post(b"[" + b",".join([b"{}"] * 10_001) + b"]")
    assert (many.status, many.body) == (
        413,
        {"error": "the body holds 10001 events, at most 10000 are allowed per request"},
    )
    many_lines = server.post(b"{}\n" * 10_001, content_type="application/x-ndjson")
    assert (many_lines.status, many_lines.body) == (
        413,
        {"error": "the body holds 10001 events, at most 10000 are allowed per request"},
    )


def expect_continue(server: IngestServer, token: str, length: int) -> bytes:
    """Send only the headers of a request with `Expect: 100-continue`; return the server's first answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            f"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\nExpect: 100-continue\r\n\r\n".encode()
        )
        return sock.recv(65536).split(b"\r\n", 1)[0]


def test_with_expect_100_continue_a_bad_token_or_size_is_refused_before_the_body_is_sent(server: IngestServer) -> None:
    assert expect_continue(server, TEL, 50_001) == b"HTTP/1.1 413 Request Entity Too Large"
    assert expect_continue(server, "not-a-token-0123456789", 10) == b"HTTP/1.1 401 Unauthorized"
    assert expect_continue(server, TEL, 10) == b"HTTP/1.1 100 Continue"


def test_the_default_body_limit_is_5_mb(settings: Settings) -> None:
    with serve(settings) as server:
        assert expect_continue(server, TEL, 5_000_001) == b"HTTP/1.1 413 Request Entity Too Large"
        assert expect_continue(server, TEL, 5_000_000) == b"HTTP/1.1 100 Continue"


def test_when_the_broker_cannot_confirm_the_answer_is_503_nothing_is_accepted_and_health_is_degraded(
    tmp_path: Path,
) -> None:
    own = EmbeddedBroker(port=free_port(), log_path=tmp_path / "broker.log").start()
    try:
        settings = fresh_settings(own.bootstrap_servers)
        ensure_topics(settings)
        with serve(settings, publisher_factory=partial(Publisher, timeout_s=2.0), confirm_timeout_s=4.0) as server:
            first = server.post([event("d-0")])
            assert (first.status, first.body) == (202, {"accepted": 1, "rejected": []})
            healthy = server.request("GET", "/health")
            assert (healthy.status, healthy.body) == (
                200,
                {"status": "ok", "broker": "reachable", "publisher": "connected", "last_publish": "ok"},
            )

            own.stop()
            started = time.monotonic()
            down = server.post([event("d-1"), event("d-2", channel="fax"), event("d-3", department="byggeri")])
            elapsed = time.monotonic() - started
            assert (down.status, down.headers["Retry-After"]) == (503, "30")
            assert down.body == {
                "accepted": 0,
                "rejected": [
                    {
                        "index": 1,
                        "reason": "unknown_code",
                        "field": "channel",
                        "detail": "channel 'fax' is not one of chat, digital_post, email, letter, output_manager, "
                        "personal, phone, remote_print, self_service, sms, social_media, system, web",
                    }
                ],
                "error": "Kafka did not confirm delivery; nothing was accepted. Send the same events again later: "
                "events already delivered are counted once.",
            }
            assert elapsed < 6, elapsed
            degraded = server.request("GET", "/health")
            assert (degraded.status, degraded.body) == (
                200,
                {"status": "degraded", "broker": "unreachable", "publisher": "connected", "last_publish": "failed"},
            )
            metrics = server.metrics()
            assert {k: v for k, v in metrics.items() if k[0].startswith("komhen_ingest")} == {
                ("komhen_ingest_requests_total", labels(code="202")): 1.0,
                ("komhen_ingest_requests_total", labels(code="503")): 1.0,
                ("komhen_ingest_events_accepted_total", labels(source="telephony")): 1.0,
                ("komhen_ingest_events_unconfirmed_total", labels(source="telephony")): 2.0,
                ("komhen_ingest_events_rejected_total", labels(source="telephony", reason="unknown_code")): 1.0,
            }

            # The broker comes back empty (the embedded broker keeps nothing). kafka-python's idempotent producer
            # may then fail for good: that request is a 503, the publisher is replaced, and the client's resend
            # is accepted.
            own.start()
            ensure_topics(settings)
            replies: list[Any] = []
            while not replies or (replies[-1].status != 202 and len(replies) < 3):
                replies.append(server.post([event("d-1"), event("d-3", department="byggeri")]))
            assert [r.status for r in replies] in ([202], [503, 202])
            assert replies[-1].body == {"accepted": 2, "rejected": []}
            recovered = server.request("GET", "/health")
            assert (recovered.status, recovered.body) == (
                200,
                {"status": "ok", "broker": "reachable", "publisher": "connected", "last_publish": "ok"},
            )
    finally:
        own.stop()


def test_the_openapi_description_matches_the_served_paths_and_status_codes(settings: Settings) -> None:
    from openapi_spec_validator import validate

    path = SCHEMAS / "ingest-openapi.v1.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    validate(spec, base_uri=path.as_uri())

    app = create_ingest_app(settings, TOKENS, sources=pushed_sources(["os2forms=" + str(OS2FORMS_UNITS)], settings))
    served = {(r.method.lower(), r.resource.canonical) for r in app.router.routes() if r.method != "HEAD"}  # type: ignore[union-attr]
    described = {(method, p) for p, item in spec["paths"].items() for method in item}
    assert (
        described
        == served
        == {
            ("post", "/v1/events"),
            ("post", "/v1/sources/{source}/records"),
            ("get", "/health"),
            ("get", "/metrics"),
        }
    )
    statuses = ["202", "400", "401", "403", "408", "413", "415", "422", "503"]
    assert sorted(spec["paths"]["/v1/events"]["post"]["responses"]) == statuses
    assert spec["components"]["securitySchemes"] == {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "The token of one source, from the tokens file given to `komhen ingest --tokens`.",
        },
        "metricsToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "The metrics token, from the file given to `komhen ingest --metrics-token`.",
        },
    }
    assert sorted(spec["paths"]["/metrics"]["get"]["responses"]) == ["200", "401", "403"]
    reasons = spec["components"]["schemas"]["EventError"]["properties"]["reason"]["enum"]
    assert set(reasons) == {r.value for r in Reason} - {"key_mismatch"}  # a key is Kafka's, never the ingest's
    # External references point at the event contract next to the description (the validator does not follow them).
    body = spec["paths"]["/v1/events"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["oneOf"] == [
        {"$ref": "inquiry-event.v1.json"},
        {"type": "array", "minItems": 1, "maxItems": 10000, "items": {"$ref": "inquiry-event.v1.json"}},
    ]
    assert json.loads((SCHEMAS / "inquiry-event.v1.json").read_text())["$id"].endswith("/inquiry-event.v1.json")


def test_an_odd_descriptive_value_is_accepted_with_a_warning_and_published_as_sent(
    server: IngestServer, settings: Settings
) -> None:
    events = [event("t-w1", form="J"), event("t-w2", inquiry_type="KLAGE", completion="immediate", channel="email")]
    reply = server.post(events)
    assert (reply.status, reply.body) == (
        202,
        {
            "accepted": 2,
            "rejected": [],
            "warnings": [
                {"index": 0, "reason": "normalised", "field": "form", "detail": "form 'J' read as True"},
                {
                    "index": 1,
                    "reason": "unknown_code",
                    "field": "inquiry_type",
                    "detail": "inquiry_type 'KLAGE' is not one of OPRET, STATUS, INFO, VEJL, SLVBTJN, FEJL; "
                    "left out, the inquiry is counted",
                },
            ],
        },
    )
    # Sent as given: the worker normalises it the same way and counts the finding in its metric.
    assert read_topic(settings, 2) == {"183": [batch(*events)]}


def test_json_nested_too_deeply_is_400_and_a_deep_ndjson_line_is_rejected_alone(
    server: IngestServer, settings: Settings
) -> None:
    """The trial's ~20 KB of nested arrays answered 500 and dropped the valid lines of the request."""
    deep = b"[" * 10_000 + b"]" * 10_000
    whole = server.post(deep)
    assert whole.status == 400
    assert whole.body == {
        "error": "the body is nested too deeply to be read as JSON (an event is a flat object): send one event, "
        "an array, or NDJSON"
    }
    assert server.post(b'{"a":' * 5_000 + b"}" * 5_000).status == 400
    lines = b"\n".join([json.dumps(event("deep-0")).encode(), deep, json.dumps(event("deep-2")).encode()])
    for content_type in ("application/x-ndjson", "text/plain"):  # declared, and sniffed
        reply = server.post(lines.replace(b"deep-", content_type[:4].encode() + b"-"), content_type=content_type)
        assert (reply.status, reply.body) == (
            202,
            {
                "accepted": 2,
                "rejected": [
                    {"index": 1, "reason": "malformed_json", "field": None, "detail": "this line is not valid JSON"}
                ],
            },
        )
    messages = read_topic(settings, 4)["183"]
    assert sorted(e["event_id"] for m in messages for e in m.get("events", [m])) == [
        "appl-0",
        "appl-2",
        "text-0",
        "text-2",
    ]
    assert not any(key[0] == "komhen_ingest_requests_total" and ("code", "500") in key[1] for key in server.metrics())
