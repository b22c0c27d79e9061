"""Every path and port a person names, through every command that takes one, with every kind of mistake.

One rule (streams/cli/common.py): a file or folder to read, a file or folder to write and a port to
listen on are checked before any work, and a problem is one line in Danish (the default) that names
the path and what to do, exit status 2. The commands run in this process (no broker is needed: each
problem is found before Kafka is asked); test_cli_errors runs a few as real processes, as another user.
The tests run as root, who may read and write anything on a disk: /sys and /proc stand for the places
nobody may write, and a write-only file of /sys for one nobody may read.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.cli import main
from streams.cli.exit import ExitCode
from tests.fixtures.factories import REPO_ROOT, SAMPLES, free_port

MAPPING = str(SAMPLES / "telephony-queues.yaml")
TARGET = str(REPO_ROOT / "deploy" / "targets" / "ishoej.yaml")
REGISTRY = str(REPO_ROOT / "deploy" / "sources-registry.yaml")
KOMHEN = str(SAMPLES / "komhen-tracetool-export.csv")
UNREADABLE = next(
    (p for p in (Path("/sys/bus/pci/rescan"), Path("/sys/class/zram-control/hot_remove")) if p.exists()), None
)

# (the command's name in its lines, its arguments with {path} where the bad path goes, what the path is)
INPUTS = [
    ("publish", ["publish", "{path}"], "stdin"),
    ("import", ["import", "--dry-run", "{path}"], "file"),
    ("source", ["source", "telephony", "{path}", "--mapping", MAPPING], "file or folder"),
    ("source", ["source", "telephony", KOMHEN, "--mapping", "{path}"], "file"),
    ("ingest", ["ingest", "--tokens", "{path}"], "file"),
    ("ingest", ["ingest", "--tokens", MAPPING, "--source", "telephony={path}"], "file"),
    ("ingest", ["ingest", "--tokens", MAPPING, "--metrics-token", "{path}"], "file"),
    ("report", ["report", "status", "--from-file", "{path}"], "file"),
    ("report", ["report", "status", "--from-file", KOMHEN, "--units", "{path}"], "file"),
    ("report", ["report", "status", "--from-file", KOMHEN, "--targets", "{path}"], "file"),
    ("report", ["report", "status", "--from-file", KOMHEN, "--reference", "{path}"], "file"),
    ("rules", ["rules", "generate", "{path}"], "file"),
    ("dashboards", ["dashboards", "build", "{path}"], "file"),
    ("kubernetes", ["kubernetes", "{path}", "--sources-registry", REGISTRY], "file"),
    ("kubernetes", ["kubernetes", TARGET, "--sources-registry", "{path}"], "file"),
    ("demo", ["demo", "--profile", "{path}"], "file"),
    ("demo", ["demo", "--targets", "{path}"], "file"),
    ("simulate", ["simulate", "--rate", "1", "--profile", "{path}"], "file"),
    ("worker", ["worker", "--targets", "{path}"], "file"),
]
FOLDERS_TO_READ = [
    ("grafana", ["grafana", "push", "--url", "http://127.0.0.1:9", "--token", "t", "--dashboards", "{path}"]),
    ("source", ["source", "telephony", "--mapping", MAPPING, "--follow", "{path}"]),
]
FILES_TO_WRITE = [("export", ["export", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "{path}"])]
FOLDERS_TO_WRITE = [
    ("report", ["report", "status", "--from-file", KOMHEN, "-o", "{path}"]),
    ("rules", ["rules", "generate", TARGET, "--out", "{path}"]),
    ("dashboards", ["dashboards", "build", "--out", "{path}"]),
    ("kubernetes", ["kubernetes", TARGET, "--sources-registry", REGISTRY, "--out", "{path}"]),
]
PORTS = [
    ("demo", ["demo", "--web-port", "{port}"], "--web-port"),
    ("demo", ["demo", "--web-port", "{free}", "--broker-port", "{port}"], "--broker-port"),
    ("worker", ["worker", "--web-port", "{port}"], "--web-port"),
    ("ingest", ["ingest", "--tokens", MAPPING, "--port", "{port}"], "--port"),
]


@pytest.fixture(autouse=True)
def no_kafka(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings as a newcomer has them, and a Kafka address nothing answers at (no problem may wait for it)."""
    for name in [n for n in os.environ if n.startswith(("KAFKA_", "KOMHEN_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9")


def said(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
    """The exit status and everything the command said (stdout and stderr)."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, out + err


def filled(args: list[str], path: Path | str) -> list[str]:
    return [a.replace("{path}", str(path)) for a in args]


@pytest.fixture
def places(tmp_path: Path) -> Iterator[dict[str, Path]]:
    folder = tmp_path / "mappe"
    folder.mkdir()
    file = tmp_path / "fil.txt"
    file.write_text("x\n", encoding="utf-8")
    fifo = tmp_path / "rør"
    os.mkfifo(fifo)
    yield {"folder": folder, "file": file, "fifo": fifo, "missing": tmp_path / "findes-ikke.yaml"}


def input_cases(kind: str, places: dict[str, Path]) -> dict[str, tuple[Path, str]]:
    """Each bad path for a file to read, and the line it must give."""
    regular = "angiv en almindelig fil" + (", eller - for standard input" if kind == "stdin" else "")
    cases = {
        "missing": (places["missing"], f"{places['missing']}: filen findes ikke; tjek navnet og mappen"),
        "fifo": (places["fifo"], f"{places['fifo']}: er en FIFO (navngivet rør); {regular}"),
        "device": (Path("/dev/zero"), f"/dev/zero: er en tegnenhed (character device); {regular}"),
    }
    if kind != "file or folder":
        cases["folder"] = (places["folder"], f"{places['folder']}: er en mappe, ikke en fil; angiv filerne i den")
    if UNREADABLE is not None:
        cases["no permission"] = (UNREADABLE, f"{UNREADABLE}: kan ikke læses (ingen adgang); tjek rettighederne")
    return cases


@pytest.mark.parametrize(("name", "args", "kind"), INPUTS, ids=[" ".join(a) for _, a, _ in INPUTS])
def test_a_file_to_read_that_cannot_be_read_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], places: dict[str, Path], name: str, args: list[str], kind: str
) -> None:
    cases = input_cases(kind, places)
    assert len(cases) >= 4
    for case, (path, line) in cases.items():
        assert said(capsys, filled(args, path)) == (ExitCode.UNUSABLE, f"komhen {name}: {line}\n"), case


@pytest.mark.parametrize(("name", "args"), FOLDERS_TO_READ, ids=[" ".join(a) for _, a in FOLDERS_TO_READ])
def test_a_folder_to_read_that_is_missing_or_a_file_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], places: dict[str, Path], name: str, args: list[str]
) -> None:
    missing, file = places["missing"], places["file"]
    assert said(capsys, filled(args, missing)) == (
        ExitCode.UNUSABLE,
        f"komhen {name}: {missing}: mappen findes ikke; tjek navnet\n",
    )
    assert said(capsys, filled(args, file)) == (
        ExitCode.UNUSABLE,
        f"komhen {name}: {file}: er en fil, ikke en mappe; angiv mappen\n",
    )


def test_grafana_push_of_a_folder_without_dashboards_says_build_them_first_and_status_2(
    capsys: pytest.CaptureFixture[str], places: dict[str, Path]
) -> None:
    assert said(capsys, filled(FOLDERS_TO_READ[0][1], places["folder"])) == (
        ExitCode.UNUSABLE,
        f"komhen grafana: {places['folder']}: ingen dashboards (*.json) i mappen; kør først `komhen dashboards "
        "build`\n",
    )


@pytest.mark.parametrize(("name", "args"), FILES_TO_WRITE, ids=[" ".join(a) for _, a in FILES_TO_WRITE])
def test_a_file_to_write_that_cannot_be_written_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], places: dict[str, Path], name: str, args: list[str]
) -> None:
    folder, file = places["folder"], places["file"]
    cases = {
        "missing folder": (
            folder / "nej" / "x.csv",
            f"{folder}/nej/x.csv: mappen {folder}/nej findes ikke; opret den først, eller vælg en anden mappe",
        ),
        "a folder": (folder, f"{folder}: er en mappe; angiv et filnavn i den, fx {folder}/komhen.csv"),
        "in a file": (file / "x.csv", f"{file}/x.csv: {file} er en fil, ikke en mappe; vælg en anden sti"),
        "no permission": (
            Path("/sys/komhen.csv"),
            "/sys/komhen.csv: kan ikke skrives (ingen adgang); vælg en mappe, du må skrive i",
        ),
        "nothing can be created": (
            Path("/proc/komhen.csv"),
            "/proc/komhen.csv: kan ikke skrives (der kan ikke oprettes filer der); vælg en mappe, du må skrive i",
        ),
    }
    for case, (path, line) in cases.items():
        assert said(capsys, filled(args, path)) == (ExitCode.UNUSABLE, f"komhen {name}: {line}\n"), case
    assert sorted(p.name for p in folder.iterdir()) == []  # nothing was left behind by the checks


@pytest.mark.parametrize(("name", "args"), FOLDERS_TO_WRITE, ids=[" ".join(a) for _, a in FOLDERS_TO_WRITE])
def test_a_folder_to_write_that_cannot_be_written_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], places: dict[str, Path], name: str, args: list[str]
) -> None:
    file = places["file"]
    cases = {
        "a file": (file, f"{file}: er en fil, ikke en mappe; angiv en mappe at skrive i"),
        "in a file": (file / "ud", f"{file}/ud: {file} er en fil, ikke en mappe; angiv en mappe at skrive i"),
        "no permission": (
            Path("/sys/komhen"),
            "/sys/komhen: kan ikke skrives (ingen adgang); vælg en mappe, du må skrive i",
        ),
        "nothing can be created": (
            Path("/proc/nope"),
            "/proc/nope: kan ikke skrives (der kan ikke oprettes filer der); vælg en mappe, du må skrive i",
        ),
    }
    for case, (path, line) in cases.items():
        assert said(capsys, filled(args, path)) == (ExitCode.UNUSABLE, f"komhen {name}: {line}\n"), case


def test_a_path_the_system_refuses_after_the_checks_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A file that went away, or a disk that filled, between the check and the writing: still no traceback."""
    import streams.generators.rules as rules

    def refused(*_: object, **__: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", str(tmp_path / "gone.yml"))

    monkeypatch.setattr(rules, "generate_rule_files", refused)
    assert said(capsys, ["rules", "generate", "ishoej", "--out", str(tmp_path)]) == (
        ExitCode.UNUSABLE,
        f"komhen rules: {tmp_path}/gone.yml: findes ikke; tjek stien og rettighederne\n",
    )
    assert said(capsys, ["--language", "en", "rules", "generate", "ishoej", "--out", str(tmp_path)]) == (
        ExitCode.UNUSABLE,
        f"komhen rules: {tmp_path}/gone.yml: does not exist; check the path and the permissions\n",
    )


def test_what_the_system_says_of_a_path_is_said_in_the_persons_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A refusal the checks cannot foresee (a symbolic link that points at itself, a name longer than the file
    system allows) keeps the line's form, with the system's reason in words of the catalogue."""
    loop = tmp_path / "løkke.csv"
    loop.symlink_to(loop)
    long = tmp_path / ("a" * 300)
    for path, da, en in (
        (loop, "for mange symbolske links, måske en løkke", "too many symbolic links, perhaps a loop"),
        (long, "navnet er for langt", "the name is too long"),
    ):
        assert said(capsys, ["import", "--dry-run", str(path)]) == (
            ExitCode.UNUSABLE,
            f"komhen import: {path}: kan ikke læses ({da}); tjek rettighederne\n",
        )
        assert said(capsys, ["--language", "en", "import", "--dry-run", str(path)]) == (
            ExitCode.UNUSABLE,
            f"komhen import: {path}: cannot be read ({en}); check the permissions\n",
        )


def test_a_folder_to_write_is_made_with_its_parents_like_mkdir_p(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "ny" / "mappe"
    code, lines = said(capsys, ["rules", "generate", "ishoej", "--out", str(out)])
    assert code == ExitCode.OK, lines
    assert lines.splitlines() == [f"skrev {out}/targets-ishoej.rules.yml", f"skrev {out}/komhen-operations.rules.yml"]


@pytest.mark.parametrize(("name", "args", "flag"), PORTS, ids=[" ".join(a) for _, a, _ in PORTS])
def test_a_busy_port_is_one_line_and_status_2_before_anything_starts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str, args: list[str], flag: str
) -> None:
    if name == "demo":
        monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS")  # the demo's own broker, on --broker-port
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        code, lines = said(capsys, [a.replace("{port}", port).replace("{free}", str(free_port())) for a in args])
    assert (code, lines) == (
        ExitCode.UNUSABLE,
        f"komhen {name}: port {port} på 127.0.0.1 er optaget af et andet program; vælg en anden med {flag}\n",
    )
