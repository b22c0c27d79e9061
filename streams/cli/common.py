"""What several commands share: a parser whose errors are one line, the flags' types, Kafka, and one rule
for every path and port a person names.

The rule: a file to read, a folder to read, a file to write, a folder to write and a port to listen
on are each checked by one function here before the command starts its work; a problem is one line
in the person's language (streams.contract.texts) that names the path and what to do, and exit
status 2. A shipped file (targets, reference, simulator profile) may be named instead of a path.
"""

from __future__ import annotations

import argparse
import errno
import math
import os
import socket
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from streams.broker.clients import require_broker
from streams.contract.errors import UnusableInput
from streams.contract.texts import LANGUAGE_VARIABLE, LANGUAGES, os_reason, text
from streams.documents.settings import ConfigError, Settings
from streams.documents.shipped import shipped_document, shipped_names

# The kinds of shipped file a flag may name (streams.documents.shipped): targets, references, profiles.
TARGETS, REFERENCE, PROFILE = "targets", "reference", "simulator"

# argparse's own messages and help words (gettext templates) in the catalogue's words; the rest pass unchanged.
_ARGPARSE = {
    "the following arguments are required: %s": "argparse.required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.choice",
    "expected one argument": "argparse.one",
    "expected at least one argument": "argparse.at_least_one",
    "expected at most one argument": "argparse.at_most_one",
    "invalid %(type)s value: %(value)r": "argparse.invalid",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "not allowed with argument %s": "argparse.not_allowed_with",
    "one of the arguments %s is required": "argparse.one_of",
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positionals",
    "options": "argparse.options",
    "show this help message and exit": "argparse.help",
}


def _argparse_words(message: str) -> str:
    key = _ARGPARSE.get(message)
    return message if key is None else text(key)


def speak_argparse() -> None:
    """Have argparse word its usage errors in the chosen language (it looks its templates up through
    gettext's `_` at the moment it raises, so its module's `_` is the one place to give them)."""
    argparse._ = _argparse_words  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that points to --help (exit status 2), and every
    command takes --language (the same as `komhen --language`, which the command reads first)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.add_argument(
            "--language",
            choices=LANGUAGES,
            default=argparse.SUPPRESS,
            help=text("help.language"),
        )

    def error(self, message: str) -> NoReturn:
        self.exit(2, text("usage.error", prog=self.prog, message=message) + "\n")


def chosen_language(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language asked for: the last --language of the command line, else KOMHEN_LANGUAGE, else da.
    Read before parsing, so argparse's own errors and the flags' types already speak it."""
    chosen = environ.get(LANGUAGE_VARIABLE) or "da"
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--language" and index + 1 < len(argv):
            chosen = argv[index + 1]
        elif arg.startswith("--language="):
            chosen = arg.partition("=")[2]
    return chosen


# ---- the flags' types (argparse calls them; ArgumentTypeError becomes a one-line usage error)


def finite(value: str) -> float:
    """A flag's number: NaN and infinities are no amount of seconds or events."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text("type.not_a_number", value=value[:40])) from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(text("type.not_finite", value=value[:40]))
    return number


def whole_number(value: str) -> int:
    """A flag's whole number (days, a seed, a count)."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text("type.not_whole", value=value[:40])) from None


def port_number(value: str) -> int:
    """A TCP port, 1 to 65535."""
    port = whole_number(value)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(text("type.not_a_port", value=value[:40]))
    return port


def day(value: str) -> date:
    """A date YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text("type.not_a_date", value=value[:40])) from None


def in_order(first: date, last: date) -> None:
    """--from and --to as a period, said before Kafka is read (the report's line: one vocabulary)."""
    if first > last:
        raise UnusableInput(text("period.reversed", first=first, last=last))


def shipped_or_path(kind: str) -> Callable[[str], Path]:
    """A flag's file that may also be a shipped one by name (`albertslund`, `landsgennemsnit-2013`):
    the path if something is there, else the shipped file of that name, else the path (which
    input_file then refuses, listing the shipped names)."""

    def resolve(value: str) -> Path:
        path = Path(value)
        if path.exists() or str(path) == "-":
            return path
        return shipped_document(kind, value) or path

    resolve.__name__ = kind  # argparse names the type in its messages
    return resolve


def add_topic(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", help=text("help.topic"))


def require_kafka(settings: Settings, timeout_s: float = 3.0) -> Settings:
    """The settings, once a broker answers at KAFKA_BOOTSTRAP_SERVERS; else one line that says what to do."""
    if not settings.bootstrap_servers:
        raise ConfigError(text("kafka.not_set"))
    require_broker(settings.bootstrap_servers, timeout_s)
    return settings


# ---- the one rule for paths and ports


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return text("kind.fifo")
    if stat.S_ISCHR(mode):
        return text("kind.character_device")
    if stat.S_ISBLK(mode):
        return text("kind.block_device")
    if stat.S_ISSOCK(mode):
        return text("kind.socket")
    return text("kind.special")


def _missing(path: Path, shipped: str | None) -> UnusableInput:
    if shipped is not None and path.suffix == "" and len(path.parts) == 1:  # a name, not a path
        return UnusableInput(
            text(f"shipped.unknown.{shipped}", name=path, names=", ".join(shipped_names(shipped)) or "-")
        )
    return UnusableInput(text("input.missing", path=path))


def input_file(path: Path, *, shipped: str | None = None, stdin: bool = False) -> Path:
    """A regular file to read, or one line naming it and what to do. `shipped` (a kind of
    streams.documents.shipped) lists that kind's shipped names when no such file exists; `stdin`
    admits `-`. A FIFO, a device or a socket is refused before a byte is read: reading one would
    wait for a writer, or never end."""
    if stdin and str(path) == "-":
        return path
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise _missing(path, shipped) from None
    except OSError as exc:
        raise UnusableInput(text("input.unreadable", path=path, reason=os_reason(exc))) from None
    if stat.S_ISDIR(mode):
        raise UnusableInput(text("input.is_folder", path=path))
    if not stat.S_ISREG(mode):
        key = "input.not_regular_stdin" if stdin else "input.not_regular"
        raise UnusableInput(text(key, path=path, kind=_kind(mode)))
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except OSError as exc:
        raise UnusableInput(text("input.unreadable", path=path, reason=os_reason(exc))) from None
    return path


def input_folder(path: Path) -> Path:
    """A folder to read files from, or one line naming it and what to do."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise UnusableInput(text("input.folder_missing", path=path)) from None
    except OSError as exc:
        raise UnusableInput(text("input.unreadable", path=path, reason=os_reason(exc))) from None
    if not stat.S_ISDIR(mode):
        raise UnusableInput(text("input.not_a_folder", path=path))
    if not os.access(path, os.R_OK | os.X_OK):
        raise UnusableInput(text("input.unreadable", path=path, reason=text("reason.permission")))
    return path


def _can_write_in(folder: Path, path: Path) -> None:
    """Create and remove a file in `folder`: the one test that also knows /proc, /sys and read-only disks."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".komhen-"):
            pass
    except OSError as exc:  # in an existing folder, "no such file" means none can be made there (/proc)
        gone = exc.errno in (errno.ENOENT, errno.EOPNOTSUPP)
        reason = text("reason.cannot_create") if gone else os_reason(exc)
        raise UnusableInput(text("output.cannot_write", path=path, reason=reason)) from None


def output_file(path: Path, example: str) -> Path:
    """A file to write (created or replaced), checked before any work: its folder exists and takes a
    new file, and it is no folder itself (`example` is a file name to suggest inside one)."""
    if path.is_dir():
        raise UnusableInput(text("output.file_is_folder", path=path, example=path / example))
    folder = path.parent
    if not folder.exists():
        raise UnusableInput(text("output.no_folder", path=path, folder=folder))
    if not folder.is_dir():
        raise UnusableInput(text("output.not_a_folder", path=path, folder=folder))
    if path.exists() and not os.access(path, os.W_OK):
        raise UnusableInput(text("output.cannot_write", path=path, reason=text("reason.permission")))
    _can_write_in(folder, path)
    return path


def output_folder(path: Path) -> Path:
    """A folder to write files into, checked before any work: an existing folder that takes files, or
    one that can be created (with its parents, as `mkdir -p`) below a folder that takes them."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        key = "output.is_file" if existing == path else "output.folder_is_file"
        raise UnusableInput(text(key, path=path, file=existing))
    _can_write_in(existing, path)
    return path


def free_port(port: int, host: str, flag: str) -> int:
    """`port` if a server can listen on it at `host`, else one line that says why and names the flag that
    chooses another. Checked before anything starts, so nothing half-starts."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise UnusableInput(text("port.no_address", host=host, port=str(port), flag=flag)) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is no owner
        try:
            probe.bind(address)
        except OSError as exc:
            key = {errno.EADDRINUSE: "port.busy", errno.EACCES: "port.no_permission"}.get(exc.errno or 0)
            raise UnusableInput(text(key or "port.no_address", host=host, port=str(port), flag=flag)) from None
    return port


def say(line: str) -> None:
    """A line for the person at the terminal (stderr: stdout may be a file being written)."""
    print(line, file=sys.stderr, flush=True)
