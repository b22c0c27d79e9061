"""What several commands share: a parser whose errors are one line, Kafka options and checks, input files."""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import NoReturn

from streams.broker.clients import require_broker
from streams.contract.errors import UnusableInput
from streams.documents.settings import ConfigError, Settings


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that points to --help (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def finite(text: str) -> float:
    """A flag's number: NaN and infinities are no amount of seconds or events (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a finite number")
    return value


def add_topic(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", help="input topic (env KOMHEN_TOPIC, default inquiries)")


def require_kafka(settings: Settings, timeout_s: float = 3.0) -> Settings:
    """The settings, once a broker answers at KAFKA_BOOTSTRAP_SERVERS; else one line that says what to do."""
    if not settings.bootstrap_servers:
        raise ConfigError(
            "KAFKA_BOOTSTRAP_SERVERS is not set; point it at your Kafka (e.g. KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092) "
            "or run `komhen demo`, which starts a broker of its own"
        )
    require_broker(settings.bootstrap_servers, timeout_s)
    return settings


def input_file(path: Path) -> Path:
    """A file to read, or one line naming it and why it cannot be read."""
    if str(path) == "-":
        return path
    if not path.exists():
        raise UnusableInput(f"{path}: no such file")
    if path.is_dir():
        raise UnusableInput(f"{path}: is a folder, not a file")
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))  # without blocking: a FIFO would wait for a writer
    except OSError as exc:
        raise UnusableInput(f"{path}: cannot be read ({exc.strerror})") from None
    return path


def say(line: str) -> None:
    """A line for the person at the terminal (stderr: stdout may be a file being written)."""
    print(line, file=sys.stderr, flush=True)
