"""`komhen report status` from KOMHEN files, in-process (no broker): what it writes and the lines it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.cli import main
from streams.cli.exit import ExitCode
from tests.factories import SAMPLES
from tests.status_fixture import KOMHEN_FILE, TARGETS_FILE, UNITS_FILE


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["report", "status", *args])
    return code, capsys.readouterr().err


def test_from_files_writes_the_html_and_every_csv_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "rapport"
    code, said = run(
        capsys,
        "--from-file",
        str(KOMHEN_FILE),
        "--counting-weeks",
        "2015-W45:W47",
        "--units",
        str(UNITS_FILE),
        "--reference",
        "landsgennemsnit-2013",
        "--targets",
        str(TARGETS_FILE),
        "-o",
        str(out),
    )
    assert code == ExitCode.OK, said
    assert said.splitlines() == [
        "Læst 1 fil, 417 rækker: 417 henvendelser, 0 afvist.",
        f"Statusrapport for Ishøj Kommune (183), 2.–22. november 2015: 5 enheder, 2 mål, 9 fund. Skrev {out}/"
        f"status.html, 12 CSV-filer i {out}/csv.",
    ]
    assert sorted(p.name for p in (out / "csv").iterdir())[:3] == [
        "01-noegletal.csv",
        "02-kanalmiks-ind.csv",
        "03-kanalmiks-ud.csv",
    ]
    html = (out / "status.html").read_text(encoding="utf-8")
    assert "Datagrundlag: KOMHEN-fil ishoej-uge42-47.csv." in html
    assert not (out / "status.pdf").exists()


def test_from_and_to_with_a_baseline_period(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, said = run(
        capsys,
        "--from-file",
        str(KOMHEN_FILE),
        "--from",
        "2015-11-02",
        "--to",
        "2015-11-22",
        "--baseline-counting-weeks",
        "2015-W42:W44",
        "-o",
        str(tmp_path),
    )
    assert code == ExitCode.OK, said
    html = (tmp_path / "status.html").read_text(encoding="utf-8")
    assert (
        "<strong>Sammenlignet med</strong> basisperioden: tælleuge 42–44 2015 (12. oktober – 1. november 2015)" in html
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        ([], "give the period: --from YYYY-MM-DD --to YYYY-MM-DD, or --counting-weeks 2015-W45:W47"),
        (
            ["--counting-weeks", "45-47"],
            "counting weeks '45-47' are not YEAR-WNN:WNN; write e.g. 2015-W45:W47 (ISO weeks 45 to 47 of 2015)",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--baseline-from", "2015-01-01"],
            "give both --baseline-from and --baseline-to",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--group", "x"],
            "--group x needs --units FILE, the file that defines the group",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--pdf", "--chromium", "/no/such/chromium"],
            "--chromium /no/such/chromium: no such program; give the path of Chromium or leave --chromium out",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--reference", "landsgennemsnit"],
            "--reference landsgennemsnit: no such file or reference; the references by name are "
            "landsgennemsnit-2013, landet, gennemsnitskommunen, mediankommunen",
        ),
        (["--counting-weeks", "2015-W45:W47", "--reference", "mine.yaml"], "mine.yaml: no such file"),
        (
            ["--counting-weeks", "2015-W45:W47", "--municipality", "999"],
            "--municipality 999: not one of the 98 municipalities; give its number or name, e.g. 183 or Ishøj",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--reference", "landet"],
            "--reference landet compares with the other municipalities, but the files hold only Ishøj (183); give "
            "a reference file or landsgennemsnit-2013",
        ),
    ],
)
def test_an_unusable_flag_is_one_line_that_says_what_to_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], line: str
) -> None:
    code, said = run(capsys, "--from-file", str(KOMHEN_FILE), "-o", str(tmp_path), *args)
    assert code == ExitCode.UNUSABLE
    assert said.splitlines()[-1] == f"komhen report: {line}"


def test_files_of_several_municipalities_need_one_chosen(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ["--from-file", str(KOMHEN_FILE), str(SAMPLES / "komhen-tracetool-export.csv"), "--from", "2014-11-03"]
    code, said = run(capsys, *args, "--to", "2014-11-07", "-o", str(tmp_path))
    assert code == ExitCode.UNUSABLE
    assert said.splitlines()[-1] == (
        "komhen report: the files hold several municipalities (183, 259); choose one with --municipality"
    )
    code, said = run(capsys, *args, "--to", "2014-11-07", "--municipality", "259", "-o", str(tmp_path))
    assert code == ExitCode.OK, said
    assert (
        "Statusrapport for Køge Kommune (259), 3.–7. november 2014: 7 enheder" in said
    )  # 259borgerservice is Borgerservice
    assert not (tmp_path / "csv" / "01-placering.csv").exists()  # Ishøj counted nothing in these days: no league


def test_a_municipality_by_name_and_a_period_without_its_inquiries_says_which_days_have_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, said = run(
        capsys,
        *("--from-file", str(KOMHEN_FILE), "--municipality", "ishoej", "-o", str(tmp_path)),
        *("--from", "2016-01-04", "--to", "2016-01-10"),
    )
    assert code == ExitCode.OK, said
    assert said.splitlines()[1] == (
        "Advarsel: ingen henvendelser fra Ishøj Kommune (183) i perioden 4.–10. januar 2016; data har kommunens "
        "henvendelser fra 12. oktober – 20. november 2015. Rapporten er tom."
    )
