"""`push` against a local HTTP server that implements the Grafana API endpoints grafana-client calls.

A real Grafana is not available on these machines; the fake keeps folders, datasources and
dashboards the way Grafana's API returns them (dashboards get an id and a version, reads wrap
them in {"dashboard", "meta"}), checks the bearer token and the role, and records every request.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from streams.contract.errors import UnusableInput
from streams.contract.texts import speaking
from streams.generators.grafana_push import GrafanaPushError, push
from tests.fixtures.factories import REPO_ROOT, free_port

DASHBOARDS = REPO_ROOT / "dashboards"
UIDS = sorted(p.stem for p in DASHBOARDS.glob("*.json"))
TOKENS = {"editor-token": "Editor", "viewer-token": "Viewer"}


class FakeGrafana:
    def __init__(self) -> None:
        self.folders: dict[str, dict[str, Any]] = {}
        self.datasources: dict[str, dict[str, Any]] = {}
        self.dashboards: dict[str, dict[str, Any]] = {}  # uid -> {"dashboard", "folderUid"}
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                fake.requests.append((self.command, self.path))
                role = TOKENS.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
                if role is None:
                    return self._answer(401, {"message": "invalid API key"})
                if self.command != "GET" and role != "Editor":
                    return self._answer(403, {"message": "Access denied"})
                status, answer = fake.route(self.command, self.path, body)
                self._answer(status, answer)

            do_GET = do_POST = do_PUT = _handle

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        """The handful of endpoints push uses, with Grafana's answers."""
        parts = path.split("?")[0].strip("/").split("/")
        match method, parts:
            case "GET", ["api", "folders"]:
                return 200, list(self.folders.values())
            case "POST", ["api", "folders"]:
                self.folders[body["uid"]] = {"uid": body["uid"], "title": body["title"], "id": len(self.folders) + 1}
                return 200, self.folders[body["uid"]]
            case "PUT", ["api", "folders", uid] if uid in self.folders:
                self.folders[uid]["title"] = body["title"]
                return 200, self.folders[uid]
            case "GET", ["api", "datasources", "uid", uid]:
                found = self.datasources.get(uid)
                return (200, found) if found else (404, {"message": "Data source not found"})
            case "POST", ["api", "datasources"]:
                self.datasources[body["uid"]] = {**body, "id": 1, "orgId": 1, "readOnly": False}
                return 200, {"message": "Datasource added", "id": 1}
            case "PUT", ["api", "datasources", "uid", uid] if uid in self.datasources:
                self.datasources[uid].update(body)
                return 200, {"message": "Datasource updated"}
            case "GET", ["api", "dashboards", "uid", uid]:
                stored = self.dashboards.get(uid)
                if stored is None:
                    return 404, {"message": "Dashboard not found"}
                return 200, {"dashboard": stored["dashboard"], "meta": {"folderUid": stored["folderUid"]}}
            case "POST", ["api", "dashboards", "db"]:
                dashboard = body["dashboard"]
                assert body["overwrite"] is True and dashboard["id"] is None
                if body["folderUid"] not in self.folders:
                    return 400, {"message": "folder not found"}
                previous = self.dashboards.get(dashboard["uid"])
                version = previous["dashboard"]["version"] + 1 if previous else 1
                stored = {**dashboard, "id": len(self.dashboards) + 1, "version": version}
                self.dashboards[dashboard["uid"]] = {"dashboard": stored, "folderUid": body["folderUid"]}
                return 200, {"status": "success", "uid": dashboard["uid"], "version": version}
        return 404, {"message": "Not found"}

    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] != "GET"]

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def grafana() -> Iterator[FakeGrafana]:
    fake = FakeGrafana()
    yield fake
    fake.close()


def test_first_push_creates_folder_datasource_and_every_dashboard(grafana: FakeGrafana) -> None:
    report = push(grafana.url, "editor-token", "Kanalstrategi", DASHBOARDS, datasource_url="http://prometheus:9090")
    assert report.folder == "created" and report.datasource == "created"
    assert report.dashboards == dict.fromkeys(UIDS, "created")
    assert grafana.folders == {
        "komhen-kanalstrategi": {"uid": "komhen-kanalstrategi", "title": "Kanalstrategi", "id": 1}
    }
    assert grafana.datasources["komhen-prometheus"]["url"] == "http://prometheus:9090"
    assert {uid: d["folderUid"] for uid, d in grafana.dashboards.items()} == dict.fromkeys(UIDS, "komhen-kanalstrategi")
    assert grafana.writes() == [
        ("POST", "/api/folders"),
        ("POST", "/api/datasources"),
        *[("POST", "/api/dashboards/db")] * len(UIDS),
    ]
    assert report.summary().endswith("ændringerne er lavet")  # Danish, the command's default


def test_a_second_push_changes_nothing_and_says_so(grafana: FakeGrafana) -> None:
    push(grafana.url, "editor-token", "Kanalstrategi", DASHBOARDS, datasource_url="http://prometheus:9090")
    grafana.requests.clear()
    report = push(grafana.url, "editor-token", "Kanalstrategi", DASHBOARDS, datasource_url="http://prometheus:9090")
    assert grafana.writes() == []
    assert report.changed is False
    assert report.summary().splitlines()[-1] == "intet at ændre: Grafana har allerede disse"
    assert report.dashboards == dict.fromkeys(UIDS, "unchanged")


def test_a_dashboard_edited_in_grafana_is_put_back_and_only_that_one(grafana: FakeGrafana) -> None:
    push(grafana.url, "editor-token", "Kanalstrategi", DASHBOARDS)
    grafana.dashboards["komhen-drift"]["dashboard"]["title"] = "edited by hand"
    grafana.requests.clear()
    report = push(grafana.url, "editor-token", "Kanalstrategi", DASHBOARDS)
    assert report.datasource is None
    assert {uid for uid, outcome in report.dashboards.items() if outcome != "unchanged"} == {"komhen-drift"}
    assert grafana.writes() == [("POST", "/api/dashboards/db")]
    assert grafana.dashboards["komhen-drift"]["dashboard"]["title"] == "Datakilder og drift"
    assert grafana.dashboards["komhen-drift"]["dashboard"]["version"] == 2


def test_a_bad_token_is_named_as_such(grafana: FakeGrafana) -> None:
    with pytest.raises(
        GrafanaPushError, match=r"afviste tokenet \(401 Unauthorized\) under forsøget på at liste mapperne"
    ):
        push(grafana.url, "wrong", "Kanalstrategi", DASHBOARDS)
    with (
        speaking("en"),
        pytest.raises(GrafanaPushError, match=r"refused the token \(401 Unauthorized\) while trying to list folders"),
    ):
        push(grafana.url, "wrong", "Kanalstrategi", DASHBOARDS)


def test_a_token_without_the_role_says_which_role_is_needed(grafana: FakeGrafana) -> None:
    expected = (
        r"tokenet må ikke oprette mappen 'Kanalstrategi' \(403 Forbidden\): giv dets service account rollen Editor"
    )
    with pytest.raises(GrafanaPushError, match=expected):
        push(grafana.url, "viewer-token", "Kanalstrategi", DASHBOARDS)


def test_an_address_where_nothing_listens_says_cannot_reach() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(GrafanaPushError) as caught:
        push(url, "editor-token", "Kanalstrategi", DASHBOARDS)
    assert str(caught.value) == f"Grafana på {url} kan ikke nås (ingen forbindelse): tjek --url"


def test_an_address_that_is_not_grafana_says_check_the_url(grafana: FakeGrafana) -> None:
    with pytest.raises(GrafanaPushError, match=r"svarede 404 på forsøget på at liste mapperne: tjek --url"):
        push(grafana.url + "/not-grafana", "editor-token", "Kanalstrategi", DASHBOARDS)


def test_no_dashboards_to_push_says_build_them_first(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput) as caught:
        push("http://127.0.0.1:1", "editor-token", "Kanalstrategi", tmp_path)
    assert str(caught.value) == f"{tmp_path}: ingen dashboards (*.json) i mappen; kør først `komhen dashboards build`"
