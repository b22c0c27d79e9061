"""`komhen report status` from KOMHEN files, in-process (no broker): what it writes and the lines it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.cli import main
from streams.cli.exit import ExitCode
from tests.fixtures.factories import REPO_ROOT, SAMPLES
from tests.fixtures.status import KOMHEN_FILE, TARGETS_FILE, UNITS_FILE


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
        (
            ["--from", "2015-11-02"],
            "angiv perioden: --from ÅÅÅÅ-MM-DD --to ÅÅÅÅ-MM-DD, eller --counting-weeks 2015-W45:W47",
        ),
        (
            ["--counting-weeks", "45-47"],
            "tælleugerne '45-47' er ikke ÅR-WNN:WNN; skriv fx 2015-W45:W47 (ISO-uge 45 til 47 i 2015)",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--baseline-from", "2015-01-01"],
            "angiv både --baseline-from og --baseline-to",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--group", "x"],
            "--group x kræver --units FIL, filen der definerer gruppen",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--pdf", "--chromium", "/no/such/chromium"],
            "--chromium /no/such/chromium: intet sådant program; angiv stien til Chromium, eller udelad --chromium",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--reference", "landsgennemsnit"],
            "--reference landsgennemsnit: ingen sådan fil, og ingen reference af det navn; referencerne ved navn er "
            "landsgennemsnit-2013, landet, gennemsnitskommunen, mediankommunen",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--reference", "mine.yaml"],
            "mine.yaml: filen findes ikke; tjek navnet og mappen",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--municipality", "999"],
            "--municipality 999: ikke en af de 98 kommuner; angiv dens nummer eller navn, fx 183 eller Ishøj",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--reference", "landet"],
            "--reference landet sammenligner med de andre kommuner, men filerne indeholder kun Ishøj (183); angiv en "
            "referencefil eller landsgennemsnit-2013",
        ),
        (
            ["--counting-weeks", "2015-W45:W47", "--reference", "landet", "--language", "en"],
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


def test_a_date_that_is_no_date_is_a_usage_line_in_danish(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["report", "status", "--from", "2015-11-31", "--to", "2015-12-01"])
    assert exit_.value.code == ExitCode.UNUSABLE
    assert capsys.readouterr().err == (
        "komhen report status: argumentet --from: '2015-11-31' er ikke en dato ÅÅÅÅ-MM-DD, fx 2015-11-02 "
        "(se komhen report status --help)\n"
    )


def test_from_kafka_the_period_must_be_given_before_anything_is_read(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "status", "--municipality", "183"]) == ExitCode.UNUSABLE
    assert capsys.readouterr().err == (
        "komhen report: angiv perioden: --from ÅÅÅÅ-MM-DD --to ÅÅÅÅ-MM-DD, eller --counting-weeks 2015-W45:W47\n"
    )


def test_from_files_without_a_period_the_files_own_days_are_the_period_and_it_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, said = run(capsys, "--from-file", str(KOMHEN_FILE), "-o", str(tmp_path))
    assert code == ExitCode.OK, said
    assert said.splitlines() == [
        "Læst 1 fil, 417 rækker: 417 henvendelser, 0 afvist.",
        "Periode: filernes første til sidste dag med henvendelser fra Ishøj (183), 12. oktober – 20. november 2015 "
        "(vælg en anden med --from/--to eller --counting-weeks)",
        f"Statusrapport for Ishøj Kommune (183), 12. oktober – 20. november 2015: 5 enheder, 0 mål, 10 fund. Skrev "
        f"{tmp_path}/status.html, 12 CSV-filer i {tmp_path}/csv.",
    ]
    html = (tmp_path / "status.html").read_text(encoding="utf-8")
    assert "12. oktober – 20. november 2015" in html


def test_from_files_in_english_the_lines_are_english_and_the_report_danish(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, said = run(capsys, "--from-file", str(KOMHEN_FILE), "-o", str(tmp_path), "--language", "en")
    assert code == ExitCode.OK, said
    assert said.splitlines() == [
        "Read 1 file, 417 rows: 417 events, 0 rejected.",
        "Period: the files' first to last day with inquiries of Ishøj (183), 2015-10-12 – 2015-11-20 "
        "(choose another with --from/--to or --counting-weeks)",
        f"Status report for Ishøj Kommune (183), 2015-10-12 – 2015-11-20: 5 units, 0 targets, 10 findings. Wrote "
        f"{tmp_path}/status.html, 12 CSV files in {tmp_path}/csv.",
    ]


def test_files_of_several_municipalities_need_one_chosen(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ["--from-file", str(KOMHEN_FILE), str(SAMPLES / "komhen-tracetool-export.csv"), "--from", "2014-11-03"]
    code, said = run(capsys, *args, "--to", "2014-11-07", "-o", str(tmp_path))
    assert code == ExitCode.UNUSABLE
    assert said.splitlines()[-1] == (
        "komhen report: filerne indeholder flere kommuner (183, 259); vælg en med --municipality"
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


def test_shipped_target_files_by_name_in_the_flag_and_in_komhen_targets_are_the_files_themselves(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    args = ["--from-file", str(KOMHEN_FILE), "--counting-weeks", "2015-W45:W47", "-o", str(tmp_path)]
    code, by_path = run(capsys, *args, "--targets", str(REPO_ROOT / "deploy" / "targets" / "ishoej.yaml"))
    assert code == ExitCode.OK, by_path
    assert ", 3 mål, " in by_path.splitlines()[-1]  # the three targets of Ishøj's file
    code, by_name = run(capsys, *args, "--targets", "ishoej")
    assert (code, by_name) == (ExitCode.OK, by_path)
    monkeypatch.setenv("KOMHEN_TARGETS", "ishoej")
    code, from_environment = run(capsys, *args)
    assert (code, from_environment) == (ExitCode.OK, by_path)
