"""The one bounded reader: every document is a regular file within a size, value, depth and time
bound, holds no NaN or infinity, and its errors are one line that quotes nothing but a short excerpt."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.contract.texts import speaking
from streams.documents.reading import DocumentError, Limits, read_document
from streams.documents.targets import TargetFileError, load_target_file
from tests.fixtures.factories import TEST_DATA


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """These tests are about the bounds, so they read the English lines (Danish: test_document_language)."""
    with speaking("en"):
        yield


KIND = "target file"
MEMORY_LIMIT = 256 << 20  # address space of a process that reads an alias bomb


def refused(path: Path, **options: object) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(path, KIND, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message
    return message


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def billion_laughs() -> str:
    """The classic: nine lists of nine aliases of the one before, 10⁹ values in a few hundred bytes."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in itertools.pairwise("abcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


# --- what a document may be ------------------------------------------------------------------


def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "targets.yaml"
    os.mkfifo(fifo)
    assert refused(fifo) == f"{fifo}: (file): is a FIFO (named pipe); a target file must be a regular file"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_before_a_byte_is_read(device: str) -> None:
    assert refused(Path(device)) == f"{device}: (file): is a character device; a target file must be a regular file"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    assert refused(tmp_path) == f"{tmp_path}: (file): is a directory; a target file must be a regular file"


def test_a_missing_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert refused(missing) == f"{missing}: (file): cannot be read: does not exist"


def test_a_regular_file_behind_a_symbolic_link_is_read(tmp_path: Path) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(write(tmp_path, "a: 1\n"))
    assert read_document(link, KIND) == {"a": 1}


def test_a_file_up_to_the_size_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    limits = Limits(max_bytes=100)
    exact = write(tmp_path, "a: " + "x" * 96 + "\n")
    assert os.path.getsize(exact) == 100
    assert read_document(exact, KIND, limits=limits) == {"a": "x" * 96}
    over = write(tmp_path, "a: " + "x" * 97 + "\n", "over.yaml")
    assert refused(over, limits=limits) == f"{over}: (file): is larger than 100 bytes, more than a target file may have"


def test_the_default_size_limit_is_a_mebibyte(tmp_path: Path) -> None:
    big = write(tmp_path, "# " + "x" * (1 << 20) + "\n")
    assert refused(big) == f"{big}: (file): is larger than 1,048,576 bytes, more than a target file may have"


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("navn: Ishøj\n".encode("latin-1"))
    assert refused(path) == f"{path}: (file): is not UTF-8 text"


# --- aliases, values, depth and time -----------------------------------------------------------


def test_a_billion_laughs_is_refused_before_any_value_is_built(tmp_path: Path) -> None:
    bomb = write(tmp_path, billion_laughs())
    assert refused(bomb) == f"{bomb}: (file): has more than 100,000 values once its aliases are expanded"


def test_a_billion_laughs_is_refused_within_a_small_memory_bound(tmp_path: Path) -> None:
    """In a process of at most 256 MiB of address space: the old reader grew past 2 GB on this file."""
    bomb = write(tmp_path, billion_laughs())
    script = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
        from pathlib import Path
        from streams.documents.reading import DocumentError, read_document
        try:
            read_document(Path({str(bomb)!r}), "target file")
        except DocumentError as exc:
            print(exc)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        f"{bomb}: (filen): har mere end 100.000 værdier, når dens aliaser er foldet ud\n",
        "",
    )


def test_aliases_within_the_bound_are_read_as_yaml_reads_them(tmp_path: Path) -> None:
    path = write(tmp_path, "base: &base {weight: 1, kle: [23.05.10]}\ncopy: *base\n")
    assert read_document(path, KIND) == {
        "base": {"weight": 1, "kle": ["23.05.10"]},
        "copy": {"weight": 1, "kle": ["23.05.10"]},
    }


def test_a_value_that_contains_itself_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a: &a [1, *a]\n")
    assert refused(path) == f"{path}: line 1, column 4: is a value that contains itself"


def test_too_many_values_are_refused_even_without_aliases(tmp_path: Path) -> None:
    path = write(tmp_path, "".join(f"- {i}\n" for i in range(11)))
    assert refused(path, limits=Limits(max_values=10)) == f"{path}: (file): has more than 10 values"


def test_too_many_values_in_json_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[" + ", ".join(["0"] * 10) + "]", "doc.json")
    assert refused(path, limits=Limits(max_values=10)) == f"{path}: (file): has more than 10 values"


def test_nesting_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[" * 65 + "]" * 65 + "\n")
    assert refused(path) == f"{path}: line 1, column 65: is nested more than 64 levels deep"


def test_aliases_that_stack_deeper_than_the_limit_are_refused(tmp_path: Path) -> None:
    """Each line is one level deep as written; through its aliases the 64th is 65 levels deep."""
    chain = ["a0: &a0 [1]", *(f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 200))]
    path = write(tmp_path, "\n".join(chain) + "\n")
    assert (
        refused(path) == f"{path}: line 64, column 6: is nested more than 64 levels deep once its aliases are expanded"
    )


def test_reading_longer_than_the_time_bound_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "".join(f"- {i}\n" for i in range(100)))
    limits = Limits(max_seconds=1e-9)
    assert refused(path, limits=limits) == f"{path}: (file): took more than 1e-09 seconds to read"


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [".nan", ".NaN", ".inf", "-.inf", "+.Inf"])
def test_nan_and_infinities_are_refused_naming_the_key(tmp_path: Path, written: str) -> None:
    path = write(tmp_path, f"targets:\n  - id: a\n    threshold: {written}\n")
    assert refused(path) == f"{path}: targets[0].threshold: is NaN or infinite; write a finite number"


@pytest.mark.parametrize("written", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinities_are_refused_in_json_too(tmp_path: Path, written: str) -> None:
    path = write(tmp_path, f'{{"prices": {{"phone": {{"dkk": {written}}}}}}}', "doc.json")
    assert refused(path) == f"{path}: prices.phone.dkk: is NaN or infinite; write a finite number"


def test_a_target_file_with_a_nan_threshold_is_refused_naming_the_key(tmp_path: Path) -> None:
    good = (TEST_DATA / "targets" / "good" / "glide-path.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, good.replace("threshold: 0.4", "threshold: .nan"))
    with pytest.raises(TargetFileError) as caught:
        load_target_file(path)
    assert str(caught.value) == f"{path}: targets[0].threshold: is NaN or infinite; write a finite number"


# --- strict YAML -------------------------------------------------------------------------------


def test_a_key_given_twice_is_refused_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert refused(path) == f"{path}: line 3, column 1: is not valid YAML: duplicate key 'a'"


def test_dates_stay_text_and_as_text_keeps_every_scalar_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, "day: 2026-12-01\nqueue: 0701\nshare: 0.5\n")
    assert read_document(path, KIND) == {"day": "2026-12-01", "queue": 449, "share": 0.5}
    assert read_document(path, KIND, as_text=True) == {"day": "2026-12-01", "queue": "0701", "share": "0.5"}


def test_a_control_character_yaml_forbids_is_refused_by_position(tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"a: \x00\n")
    assert refused(path) == f"{path}: (file): is not valid YAML: it holds a character YAML does not allow (character 4)"


# --- what errors quote -------------------------------------------------------------------------

SHADOW = (
    "root:$6$Qx3nZ1bD$8mYV0hQm2yR5k9pL0wT7uE4sN1cF6gH3jA2bX5zV8nM1qW4eR7tY0uI3oP6aS9dF2gH5jK8lZ1xC4vB7nM0q:19700:0:99999:7:::\n"
    "daemon:*:19700:0:99999:7:::\n"
    "komhen:$y$j9T$abcdefghijklmnopqrstuv$ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg:19700:0:99999:7:::\n"
)


def test_a_shadow_file_given_as_a_target_file_is_refused_without_echoing_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, SHADOW, "shadow")
    with pytest.raises(TargetFileError) as caught:
        load_target_file(path)
    message = str(caught.value)
    assert message == (
        f"{path}: <a name of 119 characters>: unknown field; allowed: schema_version, municipality, min_inquiries, "
        f"targets; {path}: <a name of 26 characters>: unknown field; allowed: schema_version, municipality, "
        f"min_inquiries, targets; {path}: <a name of 98 characters>: unknown field; allowed: schema_version, "
        f"municipality, min_inquiries, targets; {path}: municipality: is required; {path}: schema_version: is "
        f"required; {path}: targets: is required"
    )
    for line in SHADOW.splitlines():
        assert line.split(":")[1] not in message


def test_a_long_value_is_named_by_what_it_is_and_a_short_one_quoted_redacted(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version: 1\nmunicipality: 'borger 010190-1234'\ntargets: '" + "x" * 200 + "'\n")
    with pytest.raises(TargetFileError) as caught:
        load_target_file(path)
    assert str(caught.value) == (
        f"{path}: municipality: 'borger [CPR fjernet]' is not a municipality number of 3 digits in quotes, e.g. "
        f'"183", or _national; {path}: targets: a text of 200 characters is not of type ' + "'array'"
    )


def test_more_than_ten_problems_are_counted_on_the_same_line(tmp_path: Path) -> None:
    path = write(tmp_path, "".join(f"field{i}: {i}\n" for i in range(14)))
    with pytest.raises(TargetFileError) as caught:
        load_target_file(path)
    message = str(caught.value)
    assert message.count(f"{path}: ") == 10 and message.endswith("; and 7 more problems")
    assert len(caught.value.problems) == 17
