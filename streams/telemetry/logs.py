"""What every process writes for people: log records and command output, redacted and rate-limited.

`install()` makes every log record of the process, at every level and from every library
(Faust, aiokafka, aiohttp, kafka-python), carry no CPR-like number: the message, its arguments
and a traceback are formatted and redacted when the record is made, so no handler or formatter
installed later can print the clear text. It also adds `RateLimit` to the root handlers, so one
error repeated by a flood of bad input is written a few times a minute, not thousands of times
a second. `RedactedStream` does the same for what a command prints.

Logging never raises: a record whose arguments do not fit its format is written as the format and
the arguments side by side, and a record once formatted keeps no arguments (an empty tuple, not
None: mode's formatter, which Faust installs, turns None into `(None,)` and then fails to format
the message, which printed a `--- Logging error ---` traceback for every held-back repeat).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import Any, TextIO

from streams.contract.texts import Line, text
from streams.domain.events.privacy import redact

_installed = False
_lock = threading.Lock()


def message_of(record: logging.LogRecord) -> str:
    """The record's message; one whose arguments do not fit its format as the format and the arguments."""
    try:
        return record.getMessage()
    except Exception:
        try:
            return f"{record.msg} {record.args!r}"
        except Exception:
            return f"a log record of {record.name} that cannot be shown as text"


def _redacting_factory(base: Any) -> Any:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = base(*args, **kwargs)
        try:
            record.msg, record.args = redact(message_of(record)), ()  # formatted once, here
            if record.exc_info and not record.exc_text:
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            if record.stack_info:
                record.stack_info = redact(record.stack_info)
        except Exception:  # whatever goes wrong, the caller's logging call must not raise
            record.msg, record.args = f"a log record of {record.name} that could not be redacted", ()
            record.exc_info = record.exc_text = record.stack_info = None
        return record

    make.redacting = True  # type: ignore[attr-defined]
    return make


class RateLimit(logging.Filter):
    """Lets through at most `burst` records of the same logger, level and message format (or catalogue
    line) per `period_s`; then one line saying how many were held back when the period ends."""

    def __init__(self, burst: int = 5, period_s: float = 60.0, clock: Any = time.monotonic) -> None:
        super().__init__()
        self.burst = burst
        self.period_s = period_s
        self._clock = clock
        self._seen: dict[tuple[str, int, str], list[float | int]] = {}  # key -> [period start, count]

    def filter(self, record: logging.LogRecord) -> bool:
        template = getattr(record, "template", record.msg)
        key = (record.name, record.levelno, template.key if isinstance(template, Line) else str(template)[:200])
        now = self._clock()
        with _lock:
            entry = self._seen.get(key)
            if entry is None or now - entry[0] >= self.period_s:
                held = int(entry[1]) - self.burst if entry is not None and entry[1] > self.burst else 0
                if len(self._seen) > 10_000:
                    self._seen.clear()
                self._seen[key] = [now, 1]
                if held:
                    record.msg = text("log.held_back", line=message_of(record), held=held, seconds=round(self.period_s))
                    record.args = ()
                return True
            entry[1] += 1
            return entry[1] <= self.burst


def _template_factory(base: Any) -> Any:
    """Keeps the unformatted message on the record, so RateLimit groups by it after redaction."""

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = base(*args, **kwargs)
        record.template = record.msg
        return record

    return make


def install(rate_limit: bool = True) -> None:
    """Redact every log record of this process from now on; rate-limit repeats at the root handlers."""
    global _installed
    with _lock:
        if not _installed:
            factory = logging.getLogRecordFactory()
            logging.setLogRecordFactory(_redacting_factory(_template_factory(factory)))
            _installed = True
    if rate_limit:
        limit_handlers()


def limit_handlers(logger: logging.Logger | None = None) -> None:
    """Add one RateLimit to each handler of `logger` (the root by default) that has none yet."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RateLimit) for f in handler.filters):
            handler.addFilter(RateLimit())


class RedactedStream:
    """A text stream that writes whole lines, each redacted: what a command prints for people.

    Lines are held until their end ("\\n", or "\\r" for a progress bar) or a flush, so a number
    printed in two pieces is still seen whole.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        cut = max(self._pending.rfind("\n"), self._pending.rfind("\r"))
        if cut >= 0:
            whole, self._pending = self._pending[: cut + 1], self._pending[cut + 1 :]
            self._stream.write(redact(whole))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, ""
            self._stream.write(redact(pending))
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def redact_output() -> None:
    """Wrap standard output and standard error of this process in RedactedStream (once)."""
    if not isinstance(sys.stdout, RedactedStream):
        sys.stdout = RedactedStream(sys.stdout)
    if not isinstance(sys.stderr, RedactedStream):
        sys.stderr = RedactedStream(sys.stderr)
