"""One vocabulary: every command says its lines in Danish by default and in English with --language en
(or KOMHEN_LANGUAGE=en), each from one catalogue per language (streams/contract/texts), never mixed.

Each command runs in this process in a situation a newcomer meets; the exact lines are compared in both
languages. The catalogues hold the same keys with the same placeholders, and every key is used.
"""

from __future__ import annotations

import os
import re
import string
from datetime import date
from pathlib import Path

import pytest

from streams.cli import main
from streams.cli.exit import ExitCode
from streams.contract.texts import CATALOGUES, speaking, text
from streams.dev.demo import guide
from streams.dev.live_table import Snapshot, render
from streams.documents.settings import Settings
from tests.fixtures.factories import REPO_ROOT, SAMPLES

KOMHEN = SAMPLES / "komhen-tracetool-export.csv"


@pytest.fixture(autouse=True)
def newcomer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings as a newcomer has them: none (a Kafka address, where a case needs one, is given by the case)."""
    for name in [n for n in os.environ if n.startswith(("KAFKA_", "KOMHEN_"))]:
        monkeypatch.delenv(name)


def said(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """The exit status and every line the command said (standard output, then standard error)."""
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out.splitlines() + err.splitlines()


# (what the case is, its arguments, a Kafka address or None, the exit status, the lines in Danish, in English)
CASES = [
    (
        "a required flag left out",
        ["export", "--from", "2026-01-01"],
        None,
        ExitCode.UNUSABLE,
        ["komhen export: disse argumenter mangler: --to (se komhen export --help)"],
        ["komhen export: the following arguments are required: --to (see komhen export --help)"],
    ),
    (
        "a date that is no date",
        ["report", "selfservice", "--from", "1.12.2026", "--to", "2026-12-07"],
        None,
        ExitCode.UNUSABLE,
        [
            "komhen report selfservice: argumentet --from: '1.12.2026' er ikke en dato ÅÅÅÅ-MM-DD, fx 2015-11-02 "
            "(se komhen report selfservice --help)"
        ],
        [
            "komhen report selfservice: argument --from: '1.12.2026' is not a date YYYY-MM-DD, e.g. 2015-11-02 "
            "(see komhen report selfservice --help)"
        ],
    ),
    (
        "a choice that is not one",
        ["demo", "--window", "30d"],
        None,
        ExitCode.UNUSABLE,
        [
            "komhen demo: argumentet --window: ugyldigt valg: '30d' (vælg mellem '7d', '28d', '365d', 'ytd') "
            "(se komhen demo --help)"
        ],
        [
            "komhen demo: argument --window: invalid choice: '30d' (choose from '7d', '28d', '365d', 'ytd') "
            "(see komhen demo --help)"
        ],
    ),
    (
        "publishing with no Kafka named",
        ["publish", str(SAMPLES / "inquiry-events.ndjson")],
        None,
        ExitCode.UNUSABLE,
        [
            "komhen publish: KAFKA_BOOTSTRAP_SERVERS er ikke sat; peg den på jeres Kafka (fx "
            "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092), eller kør `komhen demo`, som starter sin egen broker"
        ],
        [
            "komhen publish: KAFKA_BOOTSTRAP_SERVERS is not set; point it at your Kafka (e.g. "
            "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092) or run `komhen demo`, which starts a broker of its own"
        ],
    ),
    (
        "a Kafka that does not answer",
        ["report", "selfservice", "--from", "2026-12-01", "--to", "2026-12-07"],
        "127.0.0.1:9",
        ExitCode.SERVICE,
        [
            "komhen report: ingen Kafka svarer på 127.0.0.1:9 (KAFKA_BOOTSTRAP_SERVERS): start Kafka, eller tjek "
            "adressen og porten"
        ],
        [
            "komhen report: no Kafka broker answers at 127.0.0.1:9 (KAFKA_BOOTSTRAP_SERVERS): start Kafka, or check "
            "the address and port"
        ],
    ),
    (
        "an import with no Kafka named",
        ["import", str(KOMHEN)],
        None,
        ExitCode.UNUSABLE,
        [
            "komhen import: KAFKA_BOOTSTRAP_SERVERS er ikke sat; peg den på jeres Kafka (fx "
            "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092), eller prøv først med --dry-run"
        ],
        [
            "komhen import: KAFKA_BOOTSTRAP_SERVERS is not set; point it at your Kafka (e.g. "
            "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092), or try --dry-run first"
        ],
    ),
    (
        "a dry run of an old counting week",
        ["import", "--dry-run", "--clock", "event", str(KOMHEN)],
        None,
        ExitCode.OK,
        ["Læst 1 fil, 30 rækker: 30 henvendelser, 0 afvist."],
        ["Read 1 file, 30 rows: 30 events, 0 rejected."],
    ),
    (
        "a source with nothing to read",
        ["source", "telephony"],
        "127.0.0.1:9",
        ExitCode.UNUSABLE,
        ["komhen source: komhen source skal have FIL-argumenter eller --follow MAPPE"],
        ["komhen source: komhen source needs FILE arguments or --follow DIR"],
    ),
    (
        "a source without its mapping",
        ["source", "telephony", str(SAMPLES / "telephony-cdr.csv")],
        "127.0.0.1:9",
        ExitCode.UNUSABLE,
        [
            "komhen source: telephony skal have --mapping FIL: jeres kommune, og hvilken afdeling hver enhedsnøgle "
            "hører til (se docs/sources.md)"
        ],
        [
            "komhen source: telephony needs --mapping FILE: your municipality and which department each unit key "
            "belongs to (see docs/sources.md)"
        ],
    ),
    (
        "an ingest limit of nothing",
        ["ingest", "--tokens", str(SAMPLES / "telephony-queues.yaml"), "--max-connections", "0"],
        "127.0.0.1:9",
        ExitCode.UNUSABLE,
        ["komhen ingest: --max-connections skal være over 0, men er 0"],
        ["komhen ingest: --max-connections must be above 0, got 0"],
    ),
    (
        "an export in an encoding that is none",
        ["export", "--from", "2026-12-01", "--to", "2026-12-07", "--encoding", "latin-9x"],
        "127.0.0.1:9",
        ExitCode.UNUSABLE,
        ["komhen export: --encoding 'latin-9x' er ikke en tegnkodning; brug latin-1, utf-8 eller utf-8-sig"],
        ["komhen export: --encoding 'latin-9x' is not an encoding; use latin-1, utf-8 or utf-8-sig"],
    ),
    (
        "an export for a municipality that is none",
        ["export", "--from", "2026-12-01", "--to", "2026-12-07", "--municipality", "Atlantis"],
        "127.0.0.1:9",
        ExitCode.UNUSABLE,
        [
            "komhen export: --municipality 'Atlantis' er ikke en dansk kommune; angiv dens nummer eller navn, fx 183 "
            "eller Ishøj"
        ],
        [
            "komhen export: --municipality 'Atlantis' is no Danish municipality; give its number or name, e.g. 183 "
            "or Ishøj"
        ],
    ),
    (
        "a report of a group without the units file",
        ["report", "status", "--from-file", str(KOMHEN), "--group", "teknik", "-o", "{tmp}"],
        None,
        ExitCode.UNUSABLE,
        [
            "Læst 1 fil, 30 rækker: 30 henvendelser, 0 afvist.",
            "Periode: filernes første til sidste dag med henvendelser fra Køge (259), 3.–5. november 2014 (vælg en "
            "anden med --from/--to eller --counting-weeks)",
            "komhen report: --group teknik kræver --units FIL, filen der definerer gruppen",
        ],
        [
            "Read 1 file, 30 rows: 30 events, 0 rejected.",
            "Period: the files' first to last day with inquiries of Køge (259), 2014-11-03 – 2014-11-05 (choose "
            "another with --from/--to or --counting-weeks)",
            "komhen report: --group teknik needs --units FILE, the file that defines the group",
        ],
    ),
    (
        "counting weeks written another way",
        ["report", "status", "--from-file", str(KOMHEN), "--counting-weeks", "uge 45"],
        None,
        ExitCode.UNUSABLE,
        ["komhen report: tælleugerne 'uge 45' er ikke ÅR-WNN:WNN; skriv fx 2015-W45:W47 (ISO-uge 45 til 47 i 2015)"],
        [
            "komhen report: counting weeks 'uge 45' are not YEAR-WNN:WNN; write e.g. 2015-W45:W47 (ISO weeks 45 to 47 "
            "of 2015)"
        ],
    ),
    (
        "rules from a shipped target file",
        ["rules", "generate", "ishoej", "--out", "{tmp}"],
        None,
        ExitCode.OK,
        ["skrev {tmp}/targets-ishoej.rules.yml", "skrev {tmp}/komhen-operations.rules.yml"],
        ["wrote {tmp}/targets-ishoej.rules.yml", "wrote {tmp}/komhen-operations.rules.yml"],
    ),
    (
        "manifests from standard input",
        ["kubernetes", "-", "--sources-registry", str(REPO_ROOT / "deploy" / "sources-registry.yaml")],
        None,
        ExitCode.UNUSABLE,
        ["komhen kubernetes: målfiler læses ved navn: workeren får dem fra et ConfigMap"],
        ["komhen kubernetes: target files are read by name: the worker mounts them from a ConfigMap"],
    ),
    (
        "a push of a folder without dashboards",
        ["grafana", "push", "--url", "http://127.0.0.1:9", "--token", "t", "--dashboards", "{tmp}"],
        None,
        ExitCode.UNUSABLE,
        ["komhen grafana: {tmp}: ingen dashboards (*.json) i mappen; kør først `komhen dashboards build`"],
        ["komhen grafana: {tmp}: no dashboards (*.json) in the folder; run `komhen dashboards build` first"],
    ),
    (
        "a simulator profile by a name that is not shipped",
        ["simulate", "--rate", "1", "--profile", "odense"],
        None,
        ExitCode.UNUSABLE,
        [
            "komhen simulate: odense: ingen sådan fil, og ingen medfølgende trafikprofil af det navn; de medfølgende "
            "er ishoej, national"
        ],
        [
            "komhen simulate: odense: no such file, and no shipped traffic profile of that name; the shipped are "
            "ishoej, national"
        ],
    ),
    (
        "the worker on a port that is no port",
        ["worker", "--web-port", "http"],
        None,
        ExitCode.UNUSABLE,
        ["komhen worker: argumentet --web-port: 'http' er ikke et helt tal (se komhen worker --help)"],
        ["komhen worker: argument --web-port: 'http' is not a whole number (see komhen worker --help)"],
    ),
    (
        "the demo with a profile that is a folder",
        ["demo", "--profile", "{tmp}"],
        None,
        ExitCode.UNUSABLE,
        ["komhen demo: {tmp}: er en mappe, ikke en fil; angiv filerne i den"],
        ["komhen demo: {tmp}: is a folder, not a file; name the files in it"],
    ),
]


@pytest.mark.parametrize(("case", "args", "kafka", "code", "danish", "english"), CASES, ids=[c[0] for c in CASES])
def test_each_command_says_its_lines_in_danish_by_default_and_in_english_when_asked(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    case: str,
    args: list[str],
    kafka: str | None,
    code: int,
    danish: list[str],
    english: list[str],
) -> None:
    if kafka is not None:
        monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka)
    run = [a.replace("{tmp}", str(tmp_path)) for a in args]

    def lines(expected: list[str]) -> list[str]:
        return [line.replace("{tmp}", str(tmp_path)) for line in expected]

    assert said(capsys, *run) == (code, lines(danish))
    assert said(capsys, "--language", "en", *run) == (code, lines(english))
    assert said(capsys, *run, "--language", "en") == (code, lines(english))  # after the command, as import had it
    monkeypatch.setenv("KOMHEN_LANGUAGE", "en")
    assert said(capsys, *run) == (code, lines(english))
    assert said(capsys, "--language", "da", *run) == (code, lines(danish))  # the flag over the environment


def test_a_language_that_is_neither_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert said(capsys, "--language", "fr", "rules", "generate", "ishoej") == (
        ExitCode.UNUSABLE,
        ["komhen: argumentet --language: ugyldigt valg: 'fr' (vælg mellem 'da', 'en') (se komhen --help)"],
    )
    monkeypatch.setenv("KOMHEN_LANGUAGE", "fr")
    assert said(capsys, "rules", "generate", "ishoej") == (
        ExitCode.UNUSABLE,
        ["komhen: KOMHEN_LANGUAGE=fr kan ikke bruges; vælg da eller en"],
    )


def test_the_demo_guide_and_its_table_speak_one_language(tmp_path: Path) -> None:
    settings = Settings(bootstrap_servers="127.0.0.1:9092", web_port=6066)
    snapshot = Snapshot({("_all", "phone", "in"): 0.25}, {"_all": 1234.0}, rejected=0.0, counted=1234.0)
    with speaking("da"):
        head = guide(settings, tmp_path, 0).splitlines()[:2]
        table = render(snapshot, "28d").splitlines()
    assert head == [
        f"komhen demo · Kafka 127.0.0.1:9092 · metrics http://127.0.0.1:6066/metrics · logs {tmp_path}/",
        "Ingen simulator (--rate 0). Send jeres egne hændelser fra en anden terminal, fx:",
    ]
    assert table == [
        "Kanalfordeling, 28 dage (andel af samme retning)",
        "Afdeling                Selvbetj.    Telefon Personligt  Papir ind  D.Post ud    Henv.",
        "-" * 86,
        "Hele kommunen                   -     25,0 %          -          -          -    1.234",
        "Talt siden start: 1.234   Afvist (dead letter): 0",
    ]
    with speaking("en"):
        head = guide(settings, tmp_path, 2.5).splitlines()[:2]
        table = render(snapshot, "28d").splitlines()
    assert head == [
        f"komhen demo · Kafka 127.0.0.1:9092 · metrics http://127.0.0.1:6066/metrics · logs {tmp_path}/",
        "Simulated traffic: 2.5 inquiries/s. Send your own events too, e.g.:",
    ]
    assert table == [
        "Channel mix, 28 days (share of the same direction)",
        "Department             Self-serv.      Phone   Personal  Letter in D.Post out     Inq.",
        "-" * 86,
        "Whole municipality              -     25.0 %          -          -          -    1,234",
        "Counted since start: 1,234   Rejected (dead letter): 0",
    ]


def placeholders(template: str | tuple[str, str]) -> set[str]:
    parts = template if isinstance(template, tuple) else (template,)
    return {name for part in parts for _, name, _, _ in string.Formatter().parse(part) if name}


def test_both_catalogues_hold_the_same_keys_with_the_same_placeholders() -> None:
    danish, english = CATALOGUES["da"], CATALOGUES["en"]
    assert sorted(danish) == sorted(english)
    assert {k: placeholders(v) for k, v in danish.items()} == {k: placeholders(v) for k, v in english.items()}
    assert [k for k, v in danish.items() if isinstance(v, tuple)] == [
        k for k, v in english.items() if isinstance(v, tuple)
    ]


def test_every_key_of_the_catalogue_is_said_somewhere() -> None:
    """No dead texts: each key stands in the code, whole or as the stem of a key made from a value."""
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (REPO_ROOT / "streams").rglob("*.py")
        if "texts" not in p.parts or p.name == "__init__.py"  # the catalogues themselves do not count
    )
    literal = set(re.findall(r"[\"']([a-z_]+\.[a-z0-9_.]+)[\"']", code))
    stems = {m.rstrip(".") for m in re.findall(r"f[\"']([a-z_.]+\.)\{", code)}
    unused = [k for k in CATALOGUES["da"] if k not in literal and k.rsplit(".", 1)[0] not in stems]
    assert unused == []


def test_a_number_and_a_date_are_written_as_each_language_writes_them() -> None:
    with speaking("da"):
        assert text("export.wrote", rows=12345, first=date(2026, 12, 1), last=date(2026, 12, 7)) == (
            "skrev 12.345 rækker (1.12.2026 til 7.12.2026)"
        )
    with speaking("en"):
        assert text("export.wrote", rows=12345, first=date(2026, 12, 1), last=date(2026, 12, 7)) == (
            "wrote 12,345 rows (2026-12-01 to 2026-12-07)"
        )
