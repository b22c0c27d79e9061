"""`komhen dashboards build`: Grafana dashboards from code and target files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from streams.cli.common import TARGETS, input_file, output_folder, shipped_or_path
from streams.contract.texts import text
from streams.documents.settings import Settings


def register(sub: Any) -> None:
    dashboards = sub.add_parser("dashboards", help=text("help.dashboards"), description=text("help.dashboards"))
    actions = dashboards.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=type(dashboards))
    build = actions.add_parser(
        "build",
        help=text("help.dashboards.build"),
        description=text("help.dashboards.build.about"),
    )
    build.add_argument(
        "target_files",
        nargs="*",
        type=shipped_or_path(TARGETS),
        metavar="TARGET_FILE",
        help=text("help.dashboards.target_files"),
    )
    build.add_argument("--out", type=Path, default=Path("dashboards"), help=text("help.dashboards.out"))
    build.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.documents.shipped import shipped_targets
    from streams.generators.dashboards.build import build_dashboards

    target_files = [input_file(p, shipped=TARGETS) for p in args.target_files] or shipped_targets()
    for path in build_dashboards(target_files, output_folder(args.out)):
        print(text("output.wrote", path=path))
    return 0
