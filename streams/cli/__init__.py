"""The `komhen` command: one module per sub-command (its options and its run), gathered here.

Settings come from the environment and KOMHEN_CONFIG, flags override them. Whatever goes wrong,
a person sees one line that says what to do, and the exit status says which kind it was
(streams.cli.exit); a traceback only with KOMHEN_DEBUG=1.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence

from streams import __version__
from streams.cli import (
    dashboards,
    demo,
    export,
    grafana,
    import_,
    ingest,
    kubernetes,
    publish,
    report,
    rules,
    simulate,
    source,
    worker,
)
from streams.cli.common import Parser
from streams.cli.exit import EPILOG, ExitCode
from streams.contract.errors import ServiceUnavailable, UnusableInput
from streams.documents.settings import load_settings
from streams.domain.events.privacy import redact
from streams.telemetry import logs

COMMANDS = (
    demo,
    worker,
    simulate,
    publish,
    source,
    ingest,
    import_,
    export,
    report,
    rules,
    dashboards,
    grafana,
    kubernetes,
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="komhen",
        description="komhen-live: count a municipality's inquiries per channel and department, live (KOMHEN).",
        epilog="Settings come from environment variables (KAFKA_BOOTSTRAP_SERVERS, KOMHEN_*) and an optional "
        "YAML file named by KOMHEN_CONFIG; flags override both. " + EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"komhen-live {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C works even if started with it ignored
    logs.redact_output()  # whatever a command prints, and every log record, carries no CPR number
    logs.install(rate_limit=False)  # the long-running commands add the rate limit once logging is set up
    args = build_parser().parse_args(argv)
    name = f"komhen {args.command}"
    try:
        settings = load_settings().with_overrides(
            topic=getattr(args, "topic", None),
            web_port=getattr(args, "web_port", None),
            web_host=getattr(args, "web_host", None),
            clock=getattr(args, "clock", None),
            targets=",".join(str(p) for p in args.targets) if getattr(args, "targets", None) else None,
        )
        return int(args.run(settings, args))
    except UnusableInput as exc:
        return _fail(name, exc, ExitCode.UNUSABLE)
    except ServiceUnavailable as exc:
        return _fail(name, exc, ExitCode.SERVICE)
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:  # a bug: still one line, and the way to the details
        if os.environ.get("KOMHEN_DEBUG"):
            raise
        detail = redact(str(exc).splitlines()[0] if str(exc) else "")
        print(
            f"{name}: unexpected error ({type(exc).__name__}: {detail[:200]}); run it again with KOMHEN_DEBUG=1 "
            "for the details, and please report it",
            file=sys.stderr,
        )
        return ExitCode.BUG


def _fail(name: str, exc: Exception, code: ExitCode) -> int:
    print(f"{name}: {redact(str(exc))}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
