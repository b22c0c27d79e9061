"""The two kinds of error a person can fix, each with its own exit status (streams.cli.exit).

Every module raises a subclass with one sentence that says what is wrong and what to do; the
`komhen` command prints that sentence on one line. Anything else is a bug, and the command says
so in one line too (a traceback only with KOMHEN_DEBUG=1).
"""

from __future__ import annotations


class UnusableInput(ValueError):
    """A setting, flag or input file that cannot be used; the message names it and what is allowed."""


class ServiceUnavailable(RuntimeError):
    """Kafka or Grafana did not answer, refused, or did not confirm; running the same command again is safe."""
