"""The dashboard generator: golden files, schema check, thresholds and queries from target files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from streams.documents.targets import load_target_file, load_target_files
from streams.generators.dashboards import DashboardError, build_dashboards, dashboards
from streams.generators.dashboards.build import validate
from streams.generators.dashboards.layout import assemble
from streams.generators.dashboards.panels import stat, text
from streams.generators.dashboards.queries import derive, saving_per_month, selector
from streams.generators.grafana_push import folder_uid
from tests.fixtures.factories import REPO_ROOT

TARGET_FILES = sorted((REPO_ROOT / "deploy" / "targets").glob("*.yaml"))
CHECKED_IN = REPO_ROOT / "dashboards"


def by_uid() -> dict[str, dict[str, Any]]:
    return {d["uid"]: d for d in dashboards(load_target_files(TARGET_FILES))}


def panel(dashboard: dict[str, Any], title: str) -> dict[str, Any]:
    (found,) = [p for p in dashboard["panels"] if p["title"] == title]
    return found


def test_rebuilding_gives_the_checked_in_files_byte_for_byte(tmp_path: Path) -> None:
    written = build_dashboards(TARGET_FILES, tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in CHECKED_IN.glob("*.json"))
    for path in written:
        assert path.read_bytes() == (CHECKED_IN / path.name).read_bytes(), f"{path.name}: run komhen dashboards build"


def test_the_order_of_target_files_on_the_command_line_does_not_matter(tmp_path: Path) -> None:
    build_dashboards(list(reversed(TARGET_FILES)), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        p.name: p.read_bytes() for p in CHECKED_IN.glob("*.json")
    }


def test_files_are_sorted_two_space_json_with_a_final_newline() -> None:
    raw = (CHECKED_IN / "komhen-drift.json").read_text(encoding="utf-8")
    assert raw == json.dumps(json.loads(raw), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_a_stale_generated_dashboard_is_removed_and_other_files_are_kept(tmp_path: Path) -> None:
    (tmp_path / "komhen-overblik-999.json").write_text("{}")
    (tmp_path / "README.md").write_text("kept")
    build_dashboards(TARGET_FILES[:1], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "README.md",
        "komhen-afdeling.json",
        "komhen-drift.json",
        "komhen-landsoversigt.json",
        "komhen-overblik-165.json",
        "komhen-overblik.json",
    ]


def test_without_target_files_there_is_one_overview_that_asks_for_the_municipality() -> None:
    built = {d["uid"]: d for d in dashboards([])}
    assert sorted(built) == ["komhen-afdeling", "komhen-drift", "komhen-landsoversigt", "komhen-overblik"]
    variables = {v["name"]: v for v in built["komhen-overblik"]["templating"]["list"]}
    assert variables["municipality"]["type"] == "query"
    assert [p["title"] for p in built["komhen-overblik"]["panels"] if p["type"] == "row"] == [
        "Kanalmiks for hele kommunen",
        "Kommunen og landet",
        "Service i hele kommunen",
        "Afdelinger",
        "Økonomi (KL's kanalpriser 2011)",
    ]


def test_each_overview_has_its_municipality_fixed_and_a_fixed_uid() -> None:
    built = by_uid()
    assert sorted(built) == [
        "komhen-afdeling",
        "komhen-drift",
        "komhen-landsoversigt",
        "komhen-overblik",  # any municipality: the national league table opens it
        "komhen-overblik-165",
        "komhen-overblik-183",
        "komhen-overblik-751",
    ]
    variables = {v["name"]: v for v in built["komhen-overblik-183"]["templating"]["list"]}
    assert variables["municipality"] == {
        "name": "municipality",
        "type": "constant",
        "query": "183",
        "current": {"text": "183", "value": "183"},
        "hide": 2,
        "options": [{"selected": True, "text": "183", "value": "183"}],
    }
    assert built["komhen-overblik-183"]["title"] == "Kanalstrategi – overblik, Ishøj (183)"


def test_gauge_thresholds_come_from_the_target_file() -> None:
    overview = by_uid()["komhen-overblik-183"]
    at_least = panel(overview, "40 % af henvendelserne via selvbetjening ved udgangen af 2015 (hele kommunen)")
    assert at_least["fieldConfig"]["defaults"]["thresholds"]["steps"] == [
        {"color": "red", "value": None},
        {"color": "green", "value": 0.4},
    ]
    at_most = panel(overview, "Papirpost ned til 4 % i 2015 (hele kommunen)")
    assert at_most["fieldConfig"]["defaults"]["thresholds"]["steps"] == [
        {"color": "green", "value": None},
        {"color": "red", "value": 0.04},
    ]
    assert at_most["fieldConfig"]["defaults"]["unit"] == "percentunit"


def test_plan_panel_shows_the_glide_path_and_the_projected_date() -> None:
    plan = panel(by_uid()["komhen-overblik-183"], "Plan og prognose: Papirpost ned til 4 % i 2015 (hele kommunen)")
    assert [t["expr"] for t in plan["targets"]] == [
        'max(komhen_target_expected{target="papirpost",municipality="183",department="_all"})',
        'max(komhen_target_projected_reach_timestamp_seconds{target="papirpost",municipality="183",department="_all"})'
        " * 1000",
    ]
    assert plan["fieldConfig"]["overrides"][0]["properties"] == [{"id": "unit", "value": "time:DD.MM.YYYY"}]


def test_targets_on_kle_tasks_are_not_derived_from_channel_counts() -> None:
    albertslund = load_target_file(REPO_ROOT / "deploy" / "targets" / "albertslund.yaml")
    derived = {t.id: derive(t) is not None for t in albertslund.targets}
    assert derived == {
        "digitale-henvendelser": True,
        "selvbetjening-hvor-loesning-findes": False,
        "digitale-byggesager": False,
    }
    overview = by_uid()["komhen-overblik-165"]
    note = panel(overview, "Mål, der ikke kan opgøres pr. afdeling")
    assert note["options"]["content"].endswith(
        "- 80 % af transaktionerne digitale, hvor der findes en selvbetjeningsløsning\n"
        "- 70 % af byggesagerne digitale i 2014"
    )


def test_a_share_target_on_unpriced_channels_has_no_saving() -> None:
    ishoej = load_target_file(REPO_ROOT / "deploy" / "targets" / "ishoej.yaml")
    digital_share = next(t for t in ishoej.targets if t.id == "selvbetjening")
    assert saving_per_month(digital_share, municipality="183", department="_all") is not None
    aarhus = load_target_file(REPO_ROOT / "deploy" / "targets" / "national-mandatory-selfservice.yaml")
    assert [saving_per_month(t, municipality="751", department="_all") for t in aarhus.targets] == [None, None]


def test_department_dashboard_has_its_variables_and_no_not_yet_measured_notes() -> None:
    department = by_uid()["komhen-afdeling"]
    assert not [p for p in department["panels"] if p["title"].startswith("Endnu ikke målt")]
    assert [v["name"] for v in department["templating"]["list"]] == [
        "datasource",
        "municipality",
        "department",
        "window",
    ]


@pytest.mark.parametrize(
    ("title", "metric", "no_value"),
    [
        ("Besvarelsesprocent, telefon", "komhen_answer_rate", "ingen opkald"),
        ("Gennemførelsesgrad for selvbetjening", "komhen_selfservice_completion_rate", "ingen påbegyndte forsøg"),
        ("Straksafklaringsgrad", "komhen_first_contact_resolution", "ingen henvendelser med afslutning"),
    ],
)
def test_department_service_rates_have_one_bar_per_window_for_the_chosen_department(
    title: str, metric: str, no_value: str
) -> None:
    rate = panel(by_uid()["komhen-afdeling"], title)
    assert [(t["refId"], t["legendFormat"], t["expr"]) for t in rate["targets"]] == [
        (ref, da, f'max({metric}{{municipality="$municipality",department="$department",window="{window}"}})')
        for ref, window, da in (
            ("A", "7d", "7 dage"),
            ("B", "28d", "28 dage"),
            ("C", "365d", "365 dage"),
            ("D", "ytd", "År til dato"),
        )
    ]
    defaults = rate["fieldConfig"]["defaults"]
    assert (defaults["unit"], defaults["min"], defaults["max"], defaults["noValue"]) == ("percentunit", 0, 1, no_value)


def test_service_rate_descriptions_state_the_definitions() -> None:
    built = by_uid()
    for uid in ("komhen-afdeling", "komhen-overblik-183"):
        answer = panel(built[uid], "Besvarelsesprocent, telefon")["description"]
        assert (
            "indgående telefonhenvendelser (besvaret eller lagt på telefonsvarer) / (dem + afbrudte opkald)" in answer
        )
        completion = panel(built[uid], "Gennemførelsesgrad for selvbetjening")["description"]
        assert "gennemførte selvbetjeningstransaktioner" in completion
        assert "/ påbegyndte selvbetjeningsforsøg" in completion
        assert "komhen report selfservice" in completion


def test_department_service_counts_are_one_table_row_for_the_window() -> None:
    counts = panel(by_uid()["komhen-afdeling"], "Opkald og selvbetjeningsforsøg i vinduet")
    scope = 'municipality="$municipality",department="$department"'
    assert [t["expr"] for t in counts["targets"]] == [
        f'sum (komhen_window_inquiries{{{scope},channel="phone",direction="in",window="$window"}}) or vector(0)',
        f'sum (komhen_window_service_events{{{scope},kind="call_abandoned",window="$window"}}) or vector(0)',
        f'sum (komhen_window_inquiries{{{scope},channel="self_service",direction="in",window="$window"}}) or vector(0)',
        f'sum (komhen_window_service_events{{{scope},kind="selfservice_started",window="$window"}}) or vector(0)',
        f'sum (komhen_window_service_events{{{scope},kind="selfservice_abandoned",window="$window"}}) or vector(0)',
    ]
    assert counts["transformations"][1]["options"]["renameByName"] == {
        "Value #A": "Besvarede opkald",
        "Value #B": "Afbrudte opkald",
        "Value #C": "Gennemførte selvbetjeninger",
        "Value #D": "Påbegyndte forsøg",
        "Value #E": "Afbrudte forsøg",
    }


def test_overview_shows_the_municipalitys_service_rates_in_the_window() -> None:
    overview = by_uid()["komhen-overblik-165"]
    whole = 'municipality="$municipality",department="_all",window="$window"'
    for title, metric in (
        ("Besvarelsesprocent, telefon", "komhen_answer_rate"),
        ("Gennemførelsesgrad for selvbetjening", "komhen_selfservice_completion_rate"),
    ):
        found = panel(overview, title)
        assert (found["type"], found["fieldConfig"]["defaults"]["unit"]) == ("stat", "percentunit")
        assert [t["expr"] for t in found["targets"]] == [f"max({metric}{{{whole}}})"]


def test_no_note_says_the_service_measures_are_missing() -> None:
    for dashboard in by_uid().values():
        for note in (p for p in dashboard["panels"] if p["type"] == "text"):
            assert "gennemførelsesgrad" not in note["options"]["content"].lower(), dashboard["uid"]
            assert "påbegyndte" not in note["options"]["content"], dashboard["uid"]


def test_every_dashboard_links_to_the_others_keeping_time_and_variables() -> None:
    for dashboard in by_uid().values():
        assert dashboard["links"] == [
            {
                "type": "dashboards",
                "title": "Kanalstrategi",
                "tags": ["komhen"],
                "asDropdown": True,
                "includeVars": True,
                "keepTime": True,
                "targetBlank": False,
                "icon": "external link",
                "tooltip": "",
                "url": "",
            }
        ]


def test_panels_lie_inside_the_grid_without_overlapping() -> None:
    for dashboard in by_uid().values():
        cells: set[tuple[int, int]] = set()
        for p in dashboard["panels"]:
            pos = p["gridPos"]
            assert pos["x"] + pos["w"] <= 24, p["title"]
            area = {(x, y) for x in range(pos["x"], pos["x"] + pos["w"]) for y in range(pos["y"], pos["y"] + pos["h"])}
            assert not area & cells, f"{dashboard['uid']}: {p['title']} overlaps"
            cells |= area


def test_assemble_wraps_at_the_grid_width_and_starts_rows_on_a_new_line() -> None:
    a = stat("a", "d", [], {"defaults": {}, "overrides": []}, width=16)
    b = stat("b", "d", [], {"defaults": {}, "overrides": []}, width=16)
    c = text("c", "x", width=8)
    assert [(p["id"], p["gridPos"]) for p in assemble([a, b, c])] == [
        (1, {"h": 5, "w": 16, "x": 0, "y": 0}),
        (2, {"h": 5, "w": 16, "x": 0, "y": 5}),
        (3, {"h": 5, "w": 8, "x": 16, "y": 5}),
    ]


def test_selector_writes_equality_regex_and_negation() -> None:
    assert selector(a="1", b="~x|y", c="!_all") == '{a="1",b=~"x|y",c!="_all"}'


def test_the_schema_refuses_a_panel_without_a_datasource() -> None:
    broken = by_uid()["komhen-drift"]
    del broken["panels"][1]["datasource"]
    with pytest.raises(DashboardError, match=r"^komhen-drift: panels/1: 'datasource' is a required property$"):
        validate(broken)


def test_the_schema_refuses_an_unknown_unit() -> None:
    broken = by_uid()["komhen-drift"]
    broken["panels"][1]["fieldConfig"]["defaults"]["unit"] = "percent-ish"
    with pytest.raises(
        DashboardError, match=r"^komhen-drift: panels/1/fieldConfig/defaults/unit: 'percent-ish' is not"
    ):
        validate(broken)


def test_provisioning_and_push_use_the_same_folder_and_datasource_uids() -> None:
    import yaml

    provisioning = REPO_ROOT / "deploy" / "grafana" / "provisioning"
    provider = yaml.safe_load((provisioning / "dashboards" / "komhen.yml").read_text())["providers"][0]
    assert (provider["folder"], provider["folderUid"]) == ("Kanalstrategi", folder_uid("Kanalstrategi"))
    source = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())["datasources"][0]
    assert source["uid"] == "komhen-prometheus"
    variable = by_uid()["komhen-drift"]["templating"]["list"][0]
    assert variable["current"] == {"text": source["name"], "value": source["uid"]}


def test_the_schema_file_is_used_from_the_schemas_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO_ROOT / "schemas", tmp_path / "schemas")
    monkeypatch.setenv("KOMHEN_SCHEMAS_DIR", str(tmp_path / "schemas"))
    assert [d["uid"] for d in dashboards([])] == [
        "komhen-overblik",
        "komhen-afdeling",
        "komhen-landsoversigt",
        "komhen-drift",
    ]


def test_the_national_overview_keeps_the_country_and_the_average_municipality_apart() -> None:
    national = by_uid()["komhen-landsoversigt"]
    assert [p["title"] for p in national["panels"] if p["type"] == "row"] == [
        "Hele landet: kanalmiks (summen af alle kommuner)",
        "Landet og gennemsnitskommunen",
        "Ligatabel",
        "Landsmål",
    ]
    variables = {v["name"]: v for v in national["templating"]["list"]}
    assert [o["value"] for o in variables["measure"]["options"]] == [
        "self_service",
        "digital",
        "personal",
        "paper",
        "digital_post_out",
        "first_contact_resolution",
    ]  # the cost per inquiry has a table of its own (another unit)
    averages = panel(national, "Hele landet og gennemsnitskommunen pr. mål")
    exprs = [t["expr"] for t in averages["targets"]]
    assert exprs[0].startswith("max by (measure) (komhen_national_measure{")
    assert 'statistic="mean"' in exprs[1] and 'statistic="median"' in exprs[2]
    assert "summen, ikke et gennemsnit af andele" in averages["description"]
    league = panel(national, "Kommunerne rangeret")
    assert league["options"]["sortBy"] == [{"displayName": "Plads", "desc": False}]
    kommune = next(o for o in league["fieldConfig"]["overrides"] if o["matcher"]["options"] == "Kommune")
    link = next(p["value"][0] for p in kommune["properties"] if p["id"] == "links")
    assert link["url"].startswith("/d/komhen-overblik?var-municipality=${__value.raw}")


def test_national_targets_are_on_the_national_overview_not_on_a_municipality_of_their_own() -> None:
    built = by_uid()
    assert "komhen-overblik-_national" not in built
    titles = [p["title"] for p in built["komhen-landsoversigt"]["panels"]]
    assert (
        "Status: KOMHEN 2.0: informationshenvendelser halveret på de obligatoriske selvbetjeningsopgaver "
        "(hele landet)" in titles
    )


def test_an_overview_shows_the_municipality_beside_the_country_and_opens_its_departments() -> None:
    overview = by_uid()["komhen-overblik-183"]
    comparison = panel(overview, "Kommunen, hele landet og gennemsnitskommunen")
    assert [t["expr"].removeprefix("max by (measure) (").split("{")[0] for t in comparison["targets"]] == [
        "komhen_municipality_measure",
        "komhen_national_measure",
        "komhen_municipality_average",
        "komhen_municipality_average",
        "komhen_league_rank",
        "komhen_league_ranked_municipalities",
        "komhen_league_percentile",
    ]
    departments = panel(overview, "Kommunens afdelinger")
    link = departments["fieldConfig"]["overrides"][1]["properties"][0]["value"][0]
    assert link["url"].startswith("/d/komhen-afdeling?${municipality:queryparam}&var-department=${__value.raw}")


def test_every_target_shows_its_state_in_danish_including_too_few_inquiries() -> None:
    status = panel(by_uid()["komhen-overblik-183"], "Status: Papirpost ned til 4 % i 2015 (hele kommunen)")
    assert status["targets"][0]["expr"] == (
        'komhen_target_state{target="papirpost",municipality="183",department="_all"} == 1'
    )
    names = {o["matcher"]["options"]: o["properties"][0]["value"] for o in status["fieldConfig"]["overrides"]}
    assert names["too_few_inquiries"] == "for få henvendelser" and names["met"] == "nået"


def test_a_pattern_scope_gets_one_panel_for_all_its_departments(tmp_path: Path) -> None:
    source = REPO_ROOT / "tests/data/targets/good/volume-and-patterns.yaml"
    built = {d["uid"]: d for d in dashboards(load_target_files([source]))}
    overview = built["komhen-overblik-183"]
    every = panel(overview, "40 % via selvbetjening i hver afdeling (alle afdelinger)")
    assert 'department=~".*"' in every["targets"][0]["expr"]
    assert every["targets"][0]["expr"].startswith("bottomk(10,")
    too_few = panel(overview, "For få henvendelser: 40 % via selvbetjening i hver afdeling (alle afdelinger)")
    assert 'state="too_few_inquiries"' in too_few["targets"][0]["expr"]
