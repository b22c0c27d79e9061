"""`komhen grafana push`: put the dashboards into an existing Grafana."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from streams.cli.common import input_folder
from streams.contract.errors import UnusableInput
from streams.contract.texts import text
from streams.documents.settings import Settings


def register(sub: Any) -> None:
    grafana = sub.add_parser("grafana", help="put the dashboards into an existing Grafana")
    actions = grafana.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=type(grafana))
    push = actions.add_parser(
        "push",
        help="create or update the folder, the datasource (optional) and every dashboard",
        description="Idempotent: compares with what Grafana has and writes only what differs; a second run "
        "changes nothing and says so. Needs a service-account token with the Editor role (Admin to create "
        "the datasource).",
    )
    push.add_argument("--url", required=True, help="Grafana's base URL, e.g. https://grafana.kommune.dk")
    push.add_argument("--token", required=True, help="service-account token (or set it in a file and use $(cat …))")
    push.add_argument("--folder", default="Kanalstrategi", help="folder name (default Kanalstrategi)")
    push.add_argument("--datasource-url", help="also create/update the Prometheus datasource pointing here")
    push.add_argument("--dashboards", type=Path, default=Path("dashboards"), help="folder of dashboard JSON")
    push.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.generators.grafana_push import push

    if not any(input_folder(args.dashboards).glob("*.json")):  # a wrong folder, not Grafana's fault: status 2
        raise UnusableInput(text("grafana.no_dashboards", folder=args.dashboards))
    report = push(args.url, args.token, args.folder, args.dashboards, datasource_url=args.datasource_url)
    print(report.summary())
    return 0
