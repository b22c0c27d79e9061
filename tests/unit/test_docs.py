"""The documentation a newcomer reads: a README that leads, links that resolve, a site that builds strictly.

The site is MkDocs with the Material theme (`mkdocs.yml`, the pages in `docs/`); `mkdocs build
--strict` fails on any warning: a link to a page or an anchor that does not exist, a page left out
of the navigation. Figures say when they were measured, never "this session".
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import yaml

REPO_ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"
FIGURE_PAGES = ("reliability.md", "performance.md", "scale.md")
DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
LINK = re.compile(r"\]\(([^)\s]+)\)")  # [text](target) and ![image](target)
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def prose(markdown: str) -> str:
    """The text without code blocks and code spans, where a `](…)` is no link."""
    return CODE_SPAN.sub("", FENCE.sub("", markdown))


def github_anchor(heading: str) -> str:
    """The anchor GitHub (and MkDocs' toc, for these headings) gives a heading."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    headings = re.findall(r"^#{1,6} (.+)$", FENCE.sub("", page.read_text(encoding="utf-8")), re.M)
    return {github_anchor(CODE_SPAN.sub(lambda m: m.group(0).strip("`"), h)) for h in headings}


def nav_pages(nav: list[object]) -> list[str]:
    pages: list[str] = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages.extend(nav_pages(value) if isinstance(value, list) else [str(value)])
    return pages


def test_the_site_builds_strictly_with_every_page_of_docs_in_the_navigation(tmp_path: Path) -> None:
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = nav_pages(config["nav"])
    assert sorted(pages) == sorted(p.name for p in DOCS.iterdir())  # every file a page, every page once
    site = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO_ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},  # Material's notice about its successor, not a warning
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    assert [line for line in built.stderr.splitlines() if not line.startswith("INFO")] == [], built.stderr
    for page in pages:
        html = site / ("index.html" if page == "index.md" else f"{page.removesuffix('.md')}/index.html")
        assert html.is_file(), page


def test_every_relative_link_of_the_readme_resolves_and_it_links_every_page_of_the_site() -> None:
    broken, linked = [], set()
    for target in LINK.findall(prose(README.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (REPO_ROOT / path).resolve() if path else README
        missing = not file.exists() or REPO_ROOT not in file.parents
        if missing or (anchor and (file.suffix != ".md" or anchor not in anchors(file))):
            broken.append(target)
        elif file.parent == DOCS:
            linked.add(file.name)
    assert broken == []
    assert linked == {p.name for p in DOCS.glob("*.md")}


def test_the_readme_leads_with_the_two_commands_and_the_first_hour_and_stays_short() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    first_block = re.search(r"^```sh\n(.*?)^```", text, re.M | re.S)
    assert first_block is not None
    assert [line.split()[:2] for line in first_block.group(1).splitlines()] == [["make", "demo"], ["make", "test"]]
    sections = re.findall(r"^## (.+)$", FENCE.sub("", text), re.M)
    assert sections[0] == "The first hour"
    steps = re.findall(r"^### \d\. (.+)$", text, re.M)
    assert steps == [
        "See it count",
        "Connect a system",
        "Import KOMHEN counting weeks",
        "The committee's report",
        "Production",
    ]


def test_every_figure_says_when_it_was_measured() -> None:
    for page in [README, *sorted(DOCS.glob("*.md"))]:
        assert "this session" not in page.read_text(encoding="utf-8").lower(), page.name
    undated = []
    for name in FIGURE_PAGES:
        intro, table = "", []  # the text since the last heading, and the table being read
        for line in [*(DOCS / name).read_text(encoding="utf-8").splitlines(), ""]:
            if line.startswith("|"):
                table.append(line)
                continue
            rows = table[2:]  # below the header and its rule
            if rows and not DATE.search(intro) and not all(DATE.search(row) for row in rows):
                undated.append((name, rows[0][:60]))
            if table:
                intro, table = "", []
            intro = "" if line.startswith("#") else f"{intro} {line}"
    assert undated == []


def test_the_readme_sets_up_production_with_the_block_of_the_production_guide() -> None:
    """One block in two places, so the first hour and the guide (checked by test_compose) never drift apart."""
    readme = README.read_text(encoding="utf-8")
    guide = (DOCS / "production.md").read_text(encoding="utf-8")
    in_readme = re.findall(r"^```sh\n(cp \.env\.example .*?)^```", readme, re.M | re.S)
    in_guide = re.findall(r"^```sh\n(cp \.env\.example .*?)^```", guide, re.M | re.S)
    assert len(in_guide) == 1
    assert in_readme == in_guide
