"""What many tests share: where the repository's files are, the time zone, and one event factory."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = REPO_ROOT / "schemas"
SAMPLES = SCHEMAS / "samples"
TZ = ZoneInfo("Europe/Copenhagen")
