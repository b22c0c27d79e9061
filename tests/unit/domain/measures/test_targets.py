"""Target files: the good ones load into the frozen model, each bad one is refused with its exact message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from streams.contract.texts import speaking
from streams.documents.targets import TargetFileError, load_target_file, load_target_files
from streams.domain.measures.measures import Measure, Selector
from streams.domain.measures.targets import (
    DEFAULT_MIN_INQUIRIES,
    Baseline,
    BaselineVolume,
    Owner,
    Target,
    scope_matches,
)
from tests.fixtures.factories import REPO_ROOT


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """These tests read the English lines (the Danish ones: tests/unit/documents/test_document_language)."""
    with speaking("en"):
        yield


HERE = REPO_ROOT / "tests/data/targets"
BAD = sorted((HERE / "bad").glob("*.yaml"))
SHIPPED = sorted((REPO_ROOT / "deploy" / "targets").glob("*.yaml"))


def expected_error(path: Path) -> str:
    """The first line of a bad file: '# error: <field>: <what is wrong>'."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# error: "), f"{path.name} must start with '# error: ...'"
    return first.removeprefix("# error: ")


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_a_bad_file_is_refused_naming_the_file_the_field_and_the_problem(path: Path) -> None:
    with pytest.raises(TargetFileError, match=re.escape(f"{path}: {expected_error(path)}")):
        load_target_file(path)


def test_a_glide_path_file_becomes_the_frozen_model() -> None:
    f = load_target_file(HERE / "good" / "glide-path.yaml")
    assert f.municipality == "259"
    assert f.targets == (
        Target(
            id="selvbetjening",
            title="40 % via selvbetjening",
            measure=Measure.CHANNEL_SHARE,
            numerator=Selector(channels=frozenset({"self_service"})),
            denominator=Selector(direction="in"),
            scope=("_all",),
            comparator=">=",
            threshold=0.4,
            window="28d",
            deadline=date(2015, 12, 31),
            baseline=Baseline(0.3, date(2013, 12, 31)),
            severity="warning",
            owner=Owner(team="koege-digitalisering", email=None),
        ),
    )


def test_every_measure_loads_with_its_default_selectors_resolved() -> None:
    f = load_target_file(HERE / "good" / "every-measure.yaml")
    by_id = {t.id: t for t in f.targets}
    assert [t.measure.value for t in f.targets] == [
        "digital_share",
        "first_contact_resolution",
        "digital_post_out_share",
        "paper_share",
        "cost_per_inquiry",
        "self_service_rate",
    ]
    assert by_id["digital"].scope == ("_all", "boern-unge")
    assert by_id["digital"].numerator.channels == frozenset(
        {"self_service", "email", "digital_post", "sms", "chat", "social_media", "web", "system"}
    )
    assert by_id["straks"].denominator == Selector(
        channels=frozenset({"phone", "personal"}), completions=frozenset({"immediate", "forwarded"})
    )
    assert by_id["papir"].numerator.channels == frozenset({"letter", "remote_print"})
    assert by_id["papir"].denominator == Selector()
    assert by_id["pris"].threshold == 30.0
    assert by_id["pris"].baseline == Baseline(45.5, date(2025, 1, 1))
    assert by_id["flytning"].denominator == Selector(inquiry_types=frozenset({"OPRET", "STATUS"}), kle=("23.05",))
    assert by_id["straks"].owner.label == "borgerservice"
    assert by_id["digital"].owner.label == "boern-unge@odense.example"
    assert by_id["digital"].deadline is None


def test_a_target_is_met_on_the_right_side_of_its_comparator_including_equality() -> None:
    f = load_target_file(HERE / "good" / "every-measure.yaml")
    by_id = {t.id: t for t in f.targets}
    assert by_id["digital"].meets(0.63, 0.63) and not by_id["digital"].meets(0.62, 0.63)
    assert by_id["papir"].meets(0.04, 0.04) and not by_id["papir"].meets(0.05, 0.04)


def test_the_shipped_examples_load() -> None:
    files = load_target_files(SHIPPED)
    assert {(Path(f.path).name, f.municipality): [t.id for t in f.targets] for f in files} == {
        ("albertslund.yaml", "165"): [
            "digitale-henvendelser",
            "selvbetjening-hvor-loesning-findes",
            "digitale-byggesager",
        ],
        ("ishoej.yaml", "183"): ["selvbetjening", "personligt-fremmoede", "papirpost"],
        ("komhen2-national.yaml", "_national"): ["komhen2-information", "komhen2-transaktion"],
        ("national-mandatory-selfservice.yaml", "751"): ["obligatorisk-selvbetjening", "flytning"],
    }


def test_a_target_id_of_one_municipality_may_be_defined_in_one_file_only(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text((HERE / "good" / "glide-path.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(
        TargetFileError, match=re.escape(f"{copy}: targets[0].id: 'selvbetjening' of municipality 259 is also in ")
    ):
        load_target_files([HERE / "good" / "glide-path.yaml", copy])


def test_a_missing_file_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(TargetFileError, match=re.escape(f"{tmp_path / 'nope.yaml'}: (file): cannot be read")):
        load_target_file(tmp_path / "nope.yaml")


def test_every_problem_of_a_file_is_reported_not_only_the_first(tmp_path: Path) -> None:
    text = (HERE / "good" / "glide-path.yaml").read_text(encoding="utf-8")
    path = tmp_path / "two.yaml"
    path.write_text(text.replace("threshold: 0.4", "threshold: 4").replace("[self_service]", "[fax]"), "utf-8")
    with pytest.raises(TargetFileError) as info:
        load_target_file(path)
    assert [field for field, _ in info.value.problems] == ["targets[0].numerator.channels[0]", "targets[0].threshold"]


def test_a_volume_target_counts_its_selection_against_the_baseline_volume_with_a_glide_path_from_one() -> None:
    f = load_target_file(HERE / "good" / "volume-and-patterns.yaml")
    volume, pattern = f.targets
    assert volume.measure is Measure.VOLUME and not volume.measure.is_rate and volume.measure.in_percent
    assert volume.selection == Selector(
        channels=frozenset({"phone", "personal", "letter"}),
        direction="in",
        inquiry_types=frozenset({"INFO", "VEJL", "SLVBTJN", "FEJL"}),
        kle=("23.05",),
    )
    assert volume.baseline_volume == BaselineVolume(2100, date(2013, 9, 16), date(2013, 10, 6))
    assert volume.baseline_volume.days == 21 and volume.baseline_volume.per_day == 100.0
    assert volume.baseline == Baseline(1.0, date(2013, 10, 6))  # 100 % of the baseline at its last day
    assert (f.min_inquiries, volume.min_inquiries, pattern.min_inquiries) == (50, 50, 200)
    assert pattern.scope == ("*",)


def test_without_a_minimum_in_the_file_a_target_needs_30_inquiries() -> None:
    f = load_target_file(HERE / "good" / "glide-path.yaml")
    assert f.min_inquiries == 30 and f.targets[0].min_inquiries == 30 == DEFAULT_MIN_INQUIRIES


@pytest.mark.parametrize(
    ("scope", "department", "covered"),
    [
        ("*", "borgerservice", True),
        ("*", "_all", False),
        ("skole-*", "skole-vest", True),
        ("skole-*", "skolevest", False),
        ("borgerservice", "borgerservice", True),
        ("_all", "_all", True),
        ("_all", "borgerservice", False),
    ],
)
def test_a_scope_pattern_covers_departments_but_never_the_whole_municipality(
    scope: str, department: str, covered: bool
) -> None:
    assert scope_matches(scope, department) is covered
