"""Load target files → build every dashboard → validate → write sorted, indented JSON (one writer)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import jsonschema

from streams.documents.shipped import schema
from streams.documents.targets import load_target_files
from streams.domain.measures.targets import TargetFile
from streams.generators.dashboards.defaults import Dashboard
from streams.generators.dashboards.department import department
from streams.generators.dashboards.national_dashboard import national
from streams.generators.dashboards.operations import operations
from streams.generators.dashboards.overview import overview

SCHEMA_FILE = "grafana-dashboard.subset.json"
FILE_PREFIX = "komhen-"


class DashboardError(ValueError):
    """A generated dashboard that breaks the schema or another dashboard's uid: a bug in the generator."""


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(SCHEMA_FILE))


def validate(dashboard: Dashboard) -> None:
    """Raise DashboardError naming every place the dashboard breaks schemas/grafana-dashboard.subset.json."""
    errors = sorted(_validator().iter_errors(dashboard), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        where = dashboard.get("uid", "?")
        raise DashboardError(
            "\n".join(f"{where}: {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors)
        )
    ids = [p["id"] for p in dashboard["panels"]]
    if len(ids) != len(set(ids)):
        raise DashboardError(f"{dashboard['uid']}: panel ids are not unique")


def dashboards(target_files: Sequence[TargetFile]) -> list[Dashboard]:
    """All dashboards: the generic overview (any municipality), one per municipality with target files,
    Afdeling, the national overview (with the national target files) and drift."""
    municipalities = sorted({f.municipality for f in target_files if not f.national})
    overviews = [overview([f for f in target_files if f.municipality == m], m) for m in municipalities]
    out = [overview([], None), *overviews, department(), national(target_files), operations()]
    uids = [d["uid"] for d in out]
    if len(uids) != len(set(uids)):
        raise DashboardError(f"dashboard uids are not unique: {uids}")
    for d in out:
        validate(d)
    return out


def render(dashboard: Dashboard) -> str:
    """Stable bytes: sorted keys, two-space indent, UTF-8 Danish text, final newline."""
    return json.dumps(dashboard, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def build_dashboards(target_files: Iterable[Path], out_dir: Path) -> list[Path]:
    """Write every dashboard as `<uid>.json` into `out_dir`; remove stale generated ones; return the paths.

    Target files are loaded (ordered by file name, so argument order does not matter) and every
    dashboard validated before anything is written.
    """
    built = dashboards(load_target_files(sorted(target_files, key=lambda p: (p.name, str(p)))))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for d in built:
        path = out_dir / f"{d['uid']}.json"
        path.write_text(render(d), encoding="utf-8")
        written.append(path)
    for stale in sorted(set(out_dir.glob(f"{FILE_PREFIX}*.json")) - set(written)):
        stale.unlink()
    return written
