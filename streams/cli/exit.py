"""Exit statuses of the `komhen` command, documented in docs/commands.md and in `komhen --help`
(the catalogue's help.komhen.epilog, streams.contract.texts)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    REJECTED = 1  # some events or rows were rejected (each listed); the rest were published
    UNUSABLE = 2  # a setting, flag or file cannot be used (streams.contract.errors.UnusableInput)
    SERVICE = 3  # Kafka or Grafana did not answer or confirm: run the same command again, it is safe
    BUG = 70  # an error the program did not expect (EX_SOFTWARE): please report it
    INTERRUPTED = 130  # Ctrl-C
