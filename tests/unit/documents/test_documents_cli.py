"""Hostile documents through the `komhen` command: a device, a FIFO, an alias bomb, a file that is no
document at all. Each is one line and exit status 2, in a process held to 256 MiB of address space
(a hang or a runaway would end in the timeout or a MemoryError, exit 70, instead)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from streams.cli.exit import ExitCode
from tests.unit.documents.test_bounded_documents import SHADOW, billion_laughs

MEMORY_LIMIT = 256 << 20


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def komhen(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    done = subprocess.run(
        [sys.executable, "-m", "streams", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, **(env or {})},
        preexec_fn=limited,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_rules_generate_refuses_dev_zero(tmp_path: Path) -> None:
    assert komhen("rules", "generate", "/dev/zero", "--out", str(tmp_path)) == (
        ExitCode.UNUSABLE,
        "",
        "komhen rules: /dev/zero: er en tegnenhed (character device); angiv en almindelig fil\n",
    )


def test_rules_generate_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "targets.yaml"
    os.mkfifo(fifo)
    assert komhen("rules", "generate", str(fifo), "--out", str(tmp_path)) == (
        ExitCode.UNUSABLE,
        "",
        f"komhen rules: {fifo}: er en FIFO (navngivet rør); angiv en almindelig fil\n",
    )


def test_rules_generate_refuses_an_alias_bomb(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    assert komhen("rules", "generate", str(bomb), "--out", str(tmp_path)) == (
        ExitCode.UNUSABLE,
        "",
        f"komhen rules: {bomb}: (filen): har mere end 100.000 værdier, når dens aliaser er foldet ud\n",
    )


def test_rules_generate_does_not_echo_a_shadow_file(tmp_path: Path) -> None:
    shadow = tmp_path / "shadow"
    shadow.write_text(SHADOW, encoding="utf-8")
    code, out, err = komhen("rules", "generate", str(shadow), "--out", str(tmp_path / "rules"))
    assert (code, out, err.count("\n")) == (ExitCode.UNUSABLE, "", 1)
    assert err.startswith(f"komhen rules: {shadow}: <et navn på 119 tegn>: ukendt felt;")
    assert "$6$" not in err and "$y$" not in err and "19700" not in err
    assert not (tmp_path / "rules").exists()


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_ingest_refuses_a_tokens_file_that_is_a_device_before_it_listens(device: str) -> None:
    code, out, err = komhen("ingest", "--tokens", device, env={"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9"})
    assert (code, out) == (ExitCode.UNUSABLE, "")
    assert (
        err.splitlines()[-1] == f"komhen ingest: {device}: er en tegnenhed (character device); angiv en almindelig fil"
    )


def test_every_command_refuses_a_settings_file_that_is_a_device(tmp_path: Path) -> None:
    assert komhen("rules", "generate", "x.yaml", env={"KOMHEN_CONFIG": "/dev/zero"}) == (
        ExitCode.UNUSABLE,
        "",
        "komhen rules: KOMHEN_CONFIG=/dev/zero: (filen): er en tegnenhed (character device); en indstillingsfil "
        "skal være en almindelig fil\n",
    )


def test_a_flag_that_is_not_a_finite_number_is_refused() -> None:
    assert komhen("simulate", "--rate", "nan") == (
        2,
        "",
        "komhen simulate: argumentet --rate: 'nan' er ikke et endeligt tal (se komhen simulate --help)\n",
    )
