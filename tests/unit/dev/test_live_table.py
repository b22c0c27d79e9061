"""The demo's live table reads department names from the worker's /metrics, not from the profile."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from streams.dev.live_table import Snapshot, render, scrape

SCOPE = 'municipality="183",department='
EXPOSITION = "\n".join(
    [
        "# TYPE komhen_channel_share gauge",
        f'komhen_channel_share{{{SCOPE}"boern-og-unge",channel="self_service",direction="in",window="7d"}} 0.5',
        f'komhen_channel_share{{{SCOPE}"boern-og-unge",channel="phone",direction="in",window="7d"}} 0.5',
        f'komhen_channel_share{{{SCOPE}"byggeri",channel="phone",direction="in",window="7d"}} 1.0',
        f'komhen_channel_share{{{SCOPE}"_all",channel="phone",direction="in",window="7d"}} 0.75',
        "# TYPE komhen_window_inquiries gauge",
        f'komhen_window_inquiries{{{SCOPE}"boern-og-unge",channel="self_service",direction="in",window="7d"}} 2',
        f'komhen_window_inquiries{{{SCOPE}"boern-og-unge",channel="phone",direction="in",window="7d"}} 2',
        f'komhen_window_inquiries{{{SCOPE}"byggeri",channel="phone",direction="in",window="7d"}} 4',
        f'komhen_window_inquiries{{{SCOPE}"_all",channel="phone",direction="in",window="7d"}} 8',
        "# TYPE komhen_department_info gauge",
        f'komhen_department_info{{{SCOPE}"boern-og-unge",department_name="Børn og Unge"}} 1',
        "# TYPE komhen_inquiries_total counter",
        f'komhen_inquiries_total{{{SCOPE}"byggeri",channel="phone",direction="in"}} 1234',
        "",
    ]
).encode()


class _Metrics(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()
        self.wfile.write(EXPOSITION)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def metrics_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Metrics)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/metrics"
    finally:
        server.shutdown()


def test_departments_are_shown_by_the_name_the_worker_exports_else_by_their_slug(metrics_url: str) -> None:
    snapshot = scrape(metrics_url, "7d")
    assert snapshot.names == {"boern-og-unge": "Børn og Unge"}
    lines = render(snapshot, "7d").splitlines()
    assert [line[:22].rstrip() for line in lines[3:6]] == ["Børn og Unge", "byggeri", "Hele kommunen"]
    assert lines[3].split()[3:5] == ["50,0", "%"]  # self-service share, the Danish way
    assert lines[-1] == "Talt siden start: 1.234   Afvist (dead letter): 0"


def test_a_table_of_old_counts_says_they_lie_before_the_window_and_how_a_sample_shows() -> None:
    """What a newcomer saw: '-' and 0 beside 'Talt siden start: 20', and no word why."""
    snapshot = Snapshot(shares={}, totals={"_all": 0.0, "borgerservice": 0.0}, rejected=0.0, counted=20.0)
    assert render(snapshot, "7d").splitlines()[-2:] == [
        "Talt siden start: 20   Afvist (dead letter): 0",
        "De talte henvendelser ligger alle før vinduet (7 dage). Et eksempel publiceret med --shift-to-today ender "
        "i går og vises her.",
    ]
    assert render(Snapshot({}, {}, 0.0, 0.0), "7d").splitlines()[-1] == "Talt siden start: 0   Afvist (dead letter): 0"
