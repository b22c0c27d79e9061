"""`komhen rules generate`: Prometheus recording rules and alerts from target files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from streams.cli.common import TARGETS, input_file, output_folder, shipped_or_path
from streams.contract.texts import text
from streams.documents.settings import Settings


def register(sub: Any) -> None:
    rules = sub.add_parser("rules", help=text("help.rules"), description=text("help.rules"))
    actions = rules.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=type(rules))
    generate = actions.add_parser(
        "generate",
        help=text("help.rules.generate"),
        description=text("help.rules.generate.about"),
    )
    generate.add_argument(
        "target_files",
        nargs="+",
        type=shipped_or_path(TARGETS),
        metavar="TARGET_FILE",
        help=text("help.target_files"),
    )
    generate.add_argument("--out", type=Path, default=Path("deploy/prometheus/rules"), help=text("help.rules.out"))
    generate.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from streams.generators.rules import generate_rule_files, rule_settings

    target_files = [input_file(p, shipped=TARGETS) for p in args.target_files]
    for path in generate_rule_files(target_files, output_folder(args.out), settings=rule_settings(settings)):
        print(text("output.wrote", path=path))
    return 0
