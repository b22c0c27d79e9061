"""The `komhen` command: one module per sub-command (its options and its run), gathered here.

Settings come from the environment and KOMHEN_CONFIG, flags override them. Everything it says is
in Danish, or in English with `--language en` (or KOMHEN_LANGUAGE=en): streams.contract.texts.
Whatever goes wrong, a person sees one line that says what to do, and the exit status says which
kind it was (streams.cli.exit); a traceback only with KOMHEN_DEBUG=1. A path the system refuses
anywhere (a file that went away, a folder that cannot be written) is such a line too, status 2.
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
from streams.cli.common import TARGETS, Parser, chosen_language, input_file, speak_argparse
from streams.cli.exit import ExitCode
from streams.contract import texts
from streams.contract.errors import ServiceUnavailable, UnusableInput
from streams.contract.texts import os_reason, text
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
    """The command's parser, its help in the language spoken when it is built (main chooses it first)."""
    parser = Parser(
        prog="komhen",
        description=text("help.komhen"),
        epilog=text("help.komhen.epilog"),
    )
    parser.add_argument("--version", action="version", version=f"komhen-live {__version__}", help=text("help.version"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C works even if started with it ignored
    logs.redact_output()  # whatever a command prints, and every log record, carries no CPR number
    logs.install(rate_limit=False)  # the long-running commands add the rate limit once logging is set up
    argv = sys.argv[1:] if argv is None else list(argv)
    wanted = chosen_language(argv, os.environ)
    if wanted not in texts.LANGUAGES and wanted == os.environ.get(texts.LANGUAGE_VARIABLE):
        print(f"komhen: {text('language.unknown', value=wanted)}", file=sys.stderr)  # a bad --language: argparse's
        return ExitCode.UNUSABLE
    with texts.speaking(wanted if wanted in texts.LANGUAGES else "da"):
        speak_argparse()
        return _run(build_parser().parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    """The command's run, with every way it can end as one line and its exit status."""
    name = f"komhen {args.command}"
    try:
        targets = [input_file(p, shipped=TARGETS) for p in getattr(args, "targets", None) or []]
        settings = load_settings().with_overrides(
            topic=getattr(args, "topic", None),
            web_port=getattr(args, "web_port", None),
            web_host=getattr(args, "web_host", None),
            clock=getattr(args, "clock", None),
            targets=",".join(str(p) for p in targets) or None,
        )
        return int(args.run(settings, args))
    except UnusableInput as exc:
        return _fail(name, exc, ExitCode.UNUSABLE)
    except ServiceUnavailable as exc:
        return _fail(name, exc, ExitCode.SERVICE)
    except KeyboardInterrupt:
        print(text("command.interrupted", command=name), file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:  # a bug: still one line, and the way to the details
        if os.environ.get("KOMHEN_DEBUG"):
            raise
        if isinstance(exc, OSError) and exc.filename is not None:  # a path refused after the checks: gone, full …
            refused = text("path.refused", path=exc.filename, reason=os_reason(exc))
            return _fail(name, UnusableInput(refused), ExitCode.UNUSABLE)
        detail = redact(str(exc).splitlines()[0] if str(exc) else "")
        print(text("command.bug", command=name, error=f"{type(exc).__name__}: {detail[:200]}"), file=sys.stderr)
        return ExitCode.BUG


def _fail(name: str, exc: Exception, code: ExitCode) -> int:
    print(f"{name}: {redact(str(exc))}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
