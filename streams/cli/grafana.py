"""`komhen grafana push`: put the dashboards into an existing Grafana."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from streams.cli.common import input_folder
from streams.contract.errors import UnusableInput
from streams.contract.texts import text
from streams.documents.settings import Settings


def register(sub: Any) -> None:
    grafana = sub.add_parser("grafana", help=text("help.grafana"), description=text("help.grafana"))
    actions = grafana.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=type(grafana))
    push = actions.add_parser(
        "push",
        help=text("help.grafana.push"),
        description=text("help.grafana.push.about"),
    )
    push.add_argument("--url", required=True, type=grafana_url, help=text("help.grafana.url"))
    push.add_argument("--token", required=True, help=text("help.grafana.token"))
    push.add_argument("--folder", default="Kanalstrategi", help=text("help.grafana.folder"))
    push.add_argument("--datasource-url", help=text("help.grafana.datasource_url"))
    push.add_argument("--dashboards", type=Path, default=Path("dashboards"), help=text("help.grafana.dashboards"))
    push.set_defaults(run=run)


def grafana_url(value: str) -> str:
    """An http(s) address with a host: anything else is a mistyped flag (status 2), not a Grafana that is down."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(text("type.not_a_url", value=value[:80]))
    return value


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.generators.grafana_push import push

    if not any(input_folder(args.dashboards).glob("*.json")):  # a wrong folder, not Grafana's fault: status 2
        raise UnusableInput(text("grafana.no_dashboards", folder=args.dashboards))
    report = push(args.url, args.token, args.folder, args.dashboards, datasource_url=args.datasource_url)
    print(report.summary())
    return 0
