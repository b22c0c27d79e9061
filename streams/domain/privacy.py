"""Personal data: CPR numbers are found and never kept or shown in clear."""

from __future__ import annotations

import re

# Danish personal id (CPR): DDMMYY-XXXX or ten digits whose first six are a day and month.
CPR_RE = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)")


def redact(text: str) -> str:
    """Replace CPR-like numbers so a dead letter or log never holds one in clear."""
    return CPR_RE.sub("[CPR fjernet]", text)
