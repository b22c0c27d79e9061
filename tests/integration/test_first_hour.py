"""The README's first hour as printed: every `console` block's commands run, and print what it shows.

Each block is run as a newcomer pastes it, in a folder of its own that holds the repository's
`schemas/` and the `.venv` the tests run in, against the session's embedded broker in place of the
demo's 127.0.0.1:9092 (on a topic of this test's own). Output is compared exactly, stdout and
stderr in the order a terminal shows them. The quick start's `sh` block (publish and curl into a
running demo) is run by tests/integration/dev/test_quick_start.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from streams.dev.embedded import EmbeddedBroker

pytestmark = pytest.mark.integration

REPO_ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
DEMO_KAFKA = "127.0.0.1:9092"


def console_blocks() -> list[tuple[list[str], list[str]]]:
    """The README's console blocks as (command lines without `$ `, the lines they print)."""
    blocks = re.findall(r"^```console\n(.*?)^```", (REPO_ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)
    parsed = []
    for block in blocks:
        lines = block.splitlines()
        parsed.append(([c[2:] for c in lines if c.startswith("$ ")], [o for o in lines if not o.startswith("$ ")]))
    return parsed


def test_every_command_of_the_first_hour_runs_as_printed_and_prints_what_the_readme_shows(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    blocks = console_blocks()
    assert [re.findall(r"\.venv/bin/komhen (\w+)", "\n".join(commands)) for commands, _ in blocks] == [
        ["source"],
        ["import"],
        ["report"],
    ]
    (tmp_path / "schemas").symlink_to(REPO_ROOT / "schemas")
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    env |= {"PYTHONUNBUFFERED": "1", "KOMHEN_TOPIC": f"first-hour-{uuid.uuid4().hex[:8]}"}
    for commands, printed in blocks:
        script = "\n".join(c.replace(DEMO_KAFKA, broker.bootstrap_servers) for c in commands)
        ran = subprocess.run(
            ["bash", "-c", script], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120
        )
        assert (ran.returncode, ran.stdout.decode().splitlines()) == (0, printed), script
    report = tmp_path / "status-koege"
    assert (report / "status.html").is_file()
    assert len(list((report / "csv").glob("*.csv"))) == 12
