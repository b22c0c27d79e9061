"""Push the generated dashboards into an existing Grafana: folder, optional datasource, dashboards.

Idempotent by comparison: each object is read first and written only if Grafana's copy
differs from ours (dashboard `id` and `version` are Grafana's bookkeeping and ignored), so a
second run writes nothing and says so. Errors name the cause an operator can act on: an
unreachable or wrong URL, a refused token (401), or a token without the role needed (403).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from json import JSONDecodeError
from pathlib import Path
from typing import Any

import niquests
from grafana_client import GrafanaApi
from grafana_client.client import GrafanaClientError, GrafanaException, GrafanaUnauthorizedError

from streams.contract.errors import ServiceUnavailable, UnusableInput
from streams.contract.texts import text
from streams.domain.organisation.departments import department_slug
from streams.generators.dashboards.defaults import DATASOURCE_NAME, DATASOURCE_UID, FOLDER

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
BOOKKEEPING = ("id", "version")


TIMEOUT_S = 10  # each request to Grafana


class GrafanaPushError(ServiceUnavailable):
    """Grafana could not be reached or refused a request; the message says what to change."""


@dataclass
class PushReport:
    """What one push did to each object: created, updated or unchanged."""

    folder: str
    datasource: str | None = None
    dashboards: dict[str, str] = field(default_factory=dict)  # uid -> outcome

    @property
    def changed(self) -> bool:
        outcomes = [self.folder, self.datasource or UNCHANGED, *self.dashboards.values()]
        return any(o != UNCHANGED for o in outcomes)

    def summary(self) -> str:
        """What was done to each object, in the person's language (streams.contract.texts)."""
        lines = [text("grafana.folder", outcome=text(f"grafana.{self.folder}"))]
        if self.datasource is not None:
            lines.append(text("grafana.datasource", uid=DATASOURCE_UID, outcome=text(f"grafana.{self.datasource}")))
        lines += [
            text("grafana.dashboard", uid=uid, outcome=text(f"grafana.{outcome}"))
            for uid, outcome in sorted(self.dashboards.items())
        ]
        lines.append(text("grafana.changed" if self.changed else "grafana.unchanged_all"))
        return "\n".join(lines)


def folder_uid(name: str) -> str:
    """A fixed uid per folder name, so a renamed default folder is not duplicated: 'komhen-kanalstrategi'."""
    return f"komhen-{department_slug(name)}"[:40]


def datasource_model(url: str) -> dict[str, Any]:
    """The Prometheus datasource the dashboards' default `datasource` variable points at."""
    return {
        "uid": DATASOURCE_UID,
        "name": DATASOURCE_NAME,
        "type": "prometheus",
        "access": "proxy",
        "url": url,
        "isDefault": False,
        "jsonData": {"httpMethod": "POST"},
    }


class _Grafana:
    """grafana-client calls with errors translated into GrafanaPushError."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.api = GrafanaApi.from_url(url, credential=token, timeout=float(TIMEOUT_S))

    def call(self, action: str, fn: Any, *args: Any, missing_ok: bool = False) -> Any:
        """fn(*args); with `missing_ok` a 404 returns None (the object does not exist yet)."""
        try:
            return fn(*args)
        except GrafanaUnauthorizedError:
            raise GrafanaPushError(text("grafana.refused_token", url=self.url, action=action)) from None
        except GrafanaClientError as exc:
            if exc.status_code == 404 and missing_ok:
                return None
            if exc.status_code == 403:
                raise GrafanaPushError(text("grafana.forbidden", action=action)) from None
            raise GrafanaPushError(
                text("grafana.answered", url=self.url, status=str(exc.status_code), action=action)
            ) from None
        except GrafanaException as exc:
            raise GrafanaPushError(text("grafana.unreachable", url=self.url, detail=exc.message)) from None
        except niquests.exceptions.Timeout:
            detail = text("grafana.timeout", seconds=str(TIMEOUT_S))
            raise GrafanaPushError(text("grafana.unreachable", url=self.url, detail=detail)) from None
        except niquests.exceptions.RequestException:
            detail = text("grafana.no_connection")
            raise GrafanaPushError(text("grafana.unreachable", url=self.url, detail=detail)) from None
        except (JSONDecodeError, UnicodeDecodeError):
            raise GrafanaPushError(text("grafana.not_grafana", url=self.url)) from None


def _push_folder(grafana: _Grafana, name: str) -> tuple[str, str]:
    folders = grafana.call(text("grafana.list_folders"), grafana.api.folder.get_all_folders)
    if not isinstance(folders, list):
        raise GrafanaPushError(text("grafana.not_grafana", url=grafana.url))
    uid = folder_uid(name)
    existing = next((f for f in folders if f.get("uid") == uid), None)
    if existing is None:
        grafana.call(text("grafana.create_folder", name=name), grafana.api.folder.create_folder, name, uid)
        return uid, CREATED
    if existing.get("title") != name:
        grafana.call(text("grafana.rename_folder", uid=uid), grafana.api.folder.update_folder, uid, name, None, True)
        return uid, UPDATED
    return uid, UNCHANGED


def _push_datasource(grafana: _Grafana, url: str) -> str:
    wanted = datasource_model(url)
    api = grafana.api.datasource
    existing = grafana.call(text("grafana.read_datasource"), api.get_datasource_by_uid, DATASOURCE_UID, missing_ok=True)
    if existing is None:
        grafana.call(text("grafana.create_datasource"), api.create_datasource, wanted)
        return CREATED
    if all(existing.get(k) == v for k, v in wanted.items()):
        return UNCHANGED
    grafana.call(text("grafana.update_datasource"), api.update_datasource_by_uid, DATASOURCE_UID, wanted)
    return UPDATED


def _push_dashboard(grafana: _Grafana, dashboard: dict[str, Any], folder: str) -> str:
    uid = dashboard["uid"]
    existing = grafana.call(
        text("grafana.read_dashboard", uid=uid), grafana.api.dashboard.get_dashboard, uid, missing_ok=True
    )
    ours = {k: v for k, v in dashboard.items() if k not in BOOKKEEPING}
    if existing is not None:
        theirs = {k: v for k, v in existing.get("dashboard", {}).items() if k not in BOOKKEEPING}
        if theirs == ours and existing.get("meta", {}).get("folderUid") == folder:
            return UNCHANGED
    payload = {"dashboard": {**ours, "id": None}, "folderUid": folder, "overwrite": True, "message": "komhen push"}
    grafana.call(text("grafana.save_dashboard", uid=uid), grafana.api.dashboard.update_dashboard, payload)
    return CREATED if existing is None else UPDATED


def push(
    url: str,
    token: str,
    folder: str = FOLDER,
    dashboards_dir: Path = Path("dashboards"),
    datasource_url: str | None = None,
) -> PushReport:
    """Create or update the folder, the datasource (if `datasource_url`) and every dashboard in `dashboards_dir`."""
    files = sorted(dashboards_dir.glob("*.json"))
    if not files:
        raise UnusableInput(text("grafana.no_dashboards", folder=dashboards_dir))
    dashboards = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    grafana = _Grafana(url.rstrip("/"), token)
    uid, folder_outcome = _push_folder(grafana, folder)
    report = PushReport(folder=folder_outcome)
    if datasource_url is not None:
        report.datasource = _push_datasource(grafana, datasource_url)
    for dashboard in dashboards:
        report.dashboards[dashboard["uid"]] = _push_dashboard(grafana, dashboard, uid)
    return report
