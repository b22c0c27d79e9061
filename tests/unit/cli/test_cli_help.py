"""`komhen --help` speaks the operator's language: every help line of every command (descriptions, command
summaries, group titles, every flag's help, argparse's own words) comes from the catalogue of the chosen
language (streams/contract/texts/help_da.py, help_en.py): Danish by default, English with --language en
or KOMHEN_LANGUAGE=en.

The parser tree is walked for every command in both languages, and each text is matched against the
catalogue's templates; each command's --help runs in this process; a few Danish lines are compared exactly.
"""

from __future__ import annotations

import argparse
import os
import re
import string
from collections.abc import Iterator

import pytest

from streams.cli import build_parser, main
from streams.cli.common import speak_argparse
from streams.contract.texts import CATALOGUES, LANGUAGES, speaking


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No language chosen by the environment, and a terminal wide enough that argparse wraps no help line."""
    for name in [n for n in os.environ if n.startswith(("KAFKA_", "KOMHEN_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COLUMNS", "250")


def parser_in(language: str) -> argparse.ArgumentParser:
    with speaking(language):
        speak_argparse()
        return build_parser()


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the tree with the words that reach it: (), ("demo",), ("report", "status") …"""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*path, name))


def help_texts(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str | None]]:
    """(what it is, its text) for every text the parser's --help shows in words: description, epilog,
    group titles, each flag's help and each sub-command's summary."""
    yield "description", parser.description
    if parser.epilog is not None:
        yield "epilog", parser.epilog
    for group in parser._action_groups:
        if group._group_actions:
            yield "group", group.title
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield f"summary of {choice.dest}", choice.help
        else:
            yield f"help of {'/'.join(action.option_strings) or action.dest}", action.help


def templates(language: str) -> list[re.Pattern[str]]:
    """The catalogue's help texts (and argparse's words) as patterns, a placeholder matching any words."""
    patterns = []
    for key, template in CATALOGUES[language].items():  # type: ignore[index]
        if key.startswith(("help.", "argparse.")) and isinstance(template, str):
            parts = [
                re.escape(literal) + (".+" if name else "")
                for literal, name, _, _ in string.Formatter().parse(template)
            ]
            patterns.append(re.compile("".join(parts)))
    return patterns


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_help_text_of_every_command_comes_from_the_catalogue(language: str) -> None:
    patterns = templates(language)
    foreign = []
    for path, parser in commands(parser_in(language)):
        for what, words in help_texts(parser):
            if words is None or not any(p.fullmatch(words) for p in patterns):
                foreign.append((" ".join(("komhen", *path)), what, words))
    assert foreign == []


def test_the_tree_has_every_command_and_action() -> None:
    paths = [" ".join(path) for path, _ in commands(parser_in("da"))]
    assert paths == [
        "",
        "demo",
        "worker",
        "simulate",
        "publish",
        "source",
        "ingest",
        "import",
        "export",
        "report",
        "report selfservice",
        "report status",
        "rules",
        "rules generate",
        "dashboards",
        "dashboards build",
        "grafana",
        "grafana push",
        "kubernetes",
    ]


def test_both_languages_hold_the_same_help_keys_and_every_danish_one_is_translated() -> None:
    danish = {k: v for k, v in CATALOGUES["da"].items() if k.startswith(("help.", "argparse."))}
    english = {k: v for k, v in CATALOGUES["en"].items() if k.startswith(("help.", "argparse."))}
    assert sorted(danish) == sorted(english)
    assert [k for k in danish if danish[k] == english[k]] == []


def helped(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    """The lines of a --help run in this process (argparse ends it with SystemExit 0)."""
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--help"])
    assert exit_.value.code == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out.splitlines()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_command_answers_help_in_the_chosen_language(
    language: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = {"da": "brug: komhen", "en": "usage: komhen"}[language]
    for path, _ in commands(parser_in(language)):
        by_flag = helped(capsys, "--language", language, *path)
        monkeypatch.setenv("KOMHEN_LANGUAGE", language)
        by_env = helped(capsys, *path)
        monkeypatch.delenv("KOMHEN_LANGUAGE")
        assert by_flag == by_env
        assert by_flag[0].startswith(usage)


def test_danish_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    lines = helped(capsys)
    assert lines[0] == "brug: komhen [-h] [--language {da,en}] [--version] COMMAND ..."
    assert "komhen-live: tæl en kommunes henvendelser pr. kanal og afdeling, løbende (KOMHEN)." in lines
    assert "flag:" in lines
    assert "  -h, --help          vis denne hjælp og afslut" in lines
    assert "    export            skriv KL's KOMHEN-uploadfil ud fra det talte" in lines


def test_the_danish_help_of_a_few_commands(capsys: pytest.CaptureFixture[str]) -> None:
    demo = helped(capsys, "demo")
    assert "  --rate RATE           simulerede hændelser pr. sekund; 0 kører ingen simulator (standard 20)" in demo
    status = helped(capsys, "report", "status")
    assert "periode (en af dem; fra filer er standard filernes første til sidste dag):" in status
    assert (
        "  --min-inquiries N     ingen vurdering af et mål eller et andelsbaseret fund under N henvendelser "
        "(standard 30)"
    ) in status
    export = helped(capsys, "export")
    assert "  --from YYYY-MM-DD     første dag (ÅÅÅÅ-MM-DD)" in export


def test_the_english_help_of_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    demo = helped(capsys, "--language", "en", "demo")
    assert demo[0].startswith("usage: komhen demo [-h]")
    assert "options:" in demo
    assert "  --rate RATE           simulated events per second; 0 runs no simulator (default 20)" in demo
