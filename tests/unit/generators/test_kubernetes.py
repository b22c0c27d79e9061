"""deploy/kubernetes: golden files, every object validated offline, the rules through promtool.

No cluster runs here. Core objects are checked with kubernetes-validate --strict (the API's own
schemas, unknown fields refused); the Prometheus Operator's with cloudcoil's typed models (0.80.1,
the newest for Python 3.11) and a round trip that fails on any field the model does not know;
Strimzi's against tests/data/crds/strimzi-v1.schema.json (its $comment says where it comes from).
The overlays are built by `kubectl kustomize` where kubectl is installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from streams.broker.topics import SNAPSHOT_TOPIC_CONFIG
from streams.cli import main
from streams.documents.settings import Settings
from streams.documents.source_registry import load_source_registry
from streams.generators.kubernetes import KubernetesSettings, KubernetesSettingsError, manifests, write_manifests
from tests.fixtures.factories import REPO_ROOT

OUT = REPO_ROOT / "deploy" / "kubernetes"
TARGETS = sorted((REPO_ROOT / "deploy" / "targets").glob("*.yaml"))
REGISTRY = REPO_ROOT / "deploy" / "sources-registry.yaml"
RULES_DIR = REPO_ROOT / "deploy" / "prometheus" / "rules"
STRIMZI = json.loads((REPO_ROOT / "tests" / "data" / "crds" / "strimzi-v1.schema.json").read_text())
CORE_KINDS = {"ConfigMap", "Service", "StatefulSet", "Deployment", "PodDisruptionBudget", "NetworkPolicy"}
MONITORING_KINDS = ("PodMonitor", "ServiceMonitor", "PrometheusRule")  # cloudcoil's models of these


def load(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) if d is not None]


@cache
def _base() -> str:
    kustomization = load(OUT / "base" / "kustomization.yaml")[0]
    return json.dumps([o for name in kustomization["resources"] for o in load(OUT / "base" / name)])


def base_objects() -> list[dict[str, Any]]:
    """The base's objects, parsed once (a fresh copy each call)."""
    return json.loads(_base())


def of_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def kustomize(overlay: str) -> list[dict[str, Any]]:
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is not installed; the overlays were not built")
    return json.loads(_kustomized(overlay))


@cache
def _kustomized(overlay: str) -> str:
    result = subprocess.run(
        ["kubectl", "kustomize", str(OUT / "overlays" / overlay)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.dumps([d for d in yaml.load_all(result.stdout, Loader=yaml.CSafeLoader) if d is not None])


def test_the_checked_in_manifests_are_what_komhen_kubernetes_writes(tmp_path: Path) -> None:
    """Regenerate with (no KOMHEN_/KAFKA_ variables set):
    .venv/bin/komhen kubernetes deploy/targets/*.yaml --sources-registry deploy/sources-registry.yaml"""
    written = write_manifests(Settings(), KubernetesSettings(), TARGETS, REGISTRY, tmp_path)
    produced = {p.relative_to(tmp_path).as_posix(): p.read_text(encoding="utf-8") for p in written}
    checked_in = {p.relative_to(OUT).as_posix(): p.read_text(encoding="utf-8") for p in OUT.rglob("*.yaml")}
    assert sorted(produced) == sorted(checked_in)
    for name, text in produced.items():
        assert text == checked_in[name], f"{name} differs: run komhen kubernetes as the docstring says"


def test_the_base_holds_38_objects_of_these_kinds() -> None:
    kinds: dict[str, int] = {}
    for o in base_objects():
        kinds[o["kind"]] = kinds.get(o["kind"], 0) + 1
    assert kinds == {
        "ConfigMap": 10,  # settings, targets, the sources registry, 7 dashboards
        "Service": 2,
        "StatefulSet": 1,
        "PodDisruptionBudget": 2,
        "Deployment": 1,
        "NetworkPolicy": 2,
        "KafkaTopic": 5,
        "KafkaUser": 8,
        "PodMonitor": 1,
        "ServiceMonitor": 1,
        "PrometheusRule": 5,
    }


def strict_core(obj: dict[str, Any]) -> None:
    kubernetes_validate.validate(obj, kubernetes_validate.latest_version(), strict=True)


def strict_monitoring(obj: dict[str, Any]) -> None:
    # Imported here: the models take 4 s of CPU to import, which every pytest-xdist worker paid at collection.
    from cloudcoil.models.prometheus_operator import v1 as monitoring

    model = getattr(monitoring, obj["kind"]).model_validate(obj)
    assert model.model_dump(mode="json", by_alias=True, exclude_unset=True) == obj, "a field the model does not know"


def strict_strimzi(obj: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator({**STRIMZI, "$ref": f"#/$defs/{obj['kind']}"}).validate(obj)


def validate(obj: dict[str, Any]) -> None:
    if obj["kind"] in CORE_KINDS:
        strict_core(obj)
    elif obj["kind"] in MONITORING_KINDS:
        strict_monitoring(obj)
    else:
        strict_strimzi(obj)


def test_every_object_of_the_base_validates_offline() -> None:
    objects = base_objects()
    for obj in objects:
        validate(obj)
    assert len(objects) == 38


@pytest.mark.parametrize("overlay", ["en-kommune", "mange-kommuner"])
def test_every_object_of_each_overlay_validates_offline(overlay: str) -> None:
    objects = kustomize(overlay)
    for obj in objects:
        assert obj["metadata"]["namespace"] == "komhen"
        validate(obj)
    assert len(objects) == 38


def test_the_validators_refuse_an_unknown_field() -> None:
    objects = base_objects()
    stateful_set = of_kind(objects, "StatefulSet")["komhen-worker"]
    with pytest.raises(kubernetes_validate.ValidationError):
        strict_core({**stateful_set, "spec": {**stateful_set["spec"], "replica": 2}})
    rule = next(iter(of_kind(objects, "PrometheusRule").values()))
    with pytest.raises(AssertionError, match="a field the model does not know"):
        strict_monitoring({**rule, "spec": {**rule["spec"], "group": []}})
    user = of_kind(objects, "KafkaUser")["komhen-ingest"]
    old_style = {"resource": {"type": "topic", "name": "inquiries"}, "operation": "Write"}  # v1beta2's singular
    with pytest.raises(jsonschema.ValidationError):
        strict_strimzi({**user, "spec": {**user["spec"], "authorization": {"type": "simple", "acls": [old_style]}}})


def test_the_overlays_set_workers_sizes_and_series_from_the_figures() -> None:
    for overlay, replicas, memory, limit, lean in (
        ("en-kommune", 2, "512Mi", "1Gi", None),
        ("mange-kommuner", 4, "3Gi", "4Gi", "lean"),
    ):
        objects = kustomize(overlay)
        worker = of_kind(objects, "StatefulSet")["komhen-worker"]
        assert worker["spec"]["replicas"] == replicas
        resources = worker["spec"]["template"]["spec"]["containers"][0]["resources"]
        assert (resources["requests"]["memory"], resources["limits"]["memory"]) == (memory, limit)
        assert of_kind(objects, "ConfigMap")["komhen-settings"]["data"].get("KOMHEN_DEPARTMENT_SERIES") == lean


def test_more_workers_than_partitions_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KOMHEN_PARTITIONS", "2")
        status = main(["kubernetes", *map(str, TARGETS), "--sources-registry", str(REGISTRY), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        "komhen kubernetes: mange-kommuner: 4 workers, men 2 partitioner (KOMHEN_PARTITIONS): en worker uden en "
        "partition venter bare; hæv partitionerne, eller sænk antallet af workers\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_label_kubernetes_would_refuse_is_one_line() -> None:
    with pytest.raises(KubernetesSettingsError) as caught:
        KubernetesSettings(monitoring_labels={"release": "kube prometheus"})
    assert (
        str(caught.value) == "release=kube prometheus er ikke en Kubernetes-etiket (fx release=kube-prometheus-stack)"
    )


def test_containers_run_as_the_image_user_read_only_without_privileges_and_probe_health() -> None:
    objects = base_objects()
    pods = [o["spec"]["template"]["spec"] for o in objects if o["kind"] in ("StatefulSet", "Deployment")]
    assert len(pods) == 2
    for pod in pods:
        assert pod["automountServiceAccountToken"] is False
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["fsGroup"] == 10001
        (container,) = pod["containers"]
        assert container["securityContext"] == {
            "runAsNonRoot": True,
            "runAsUser": 10001,
            "runAsGroup": 10001,
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        }
        port = container["ports"][0]["name"]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"] == {"path": "/health", "port": port}
        assert set(container["resources"]) == {"requests", "limits"}
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert "useradd --system --uid 10001" in dockerfile


def test_secrets_are_referenced_never_embedded() -> None:
    objects = base_objects()
    assert not [o for o in objects if o["kind"] == "Secret"]
    text = "\n".join(
        (OUT / "base" / name).read_text() for name in load(OUT / "base" / "kustomization.yaml")[0]["resources"]
    )
    assert not re.search(r"(?i)password:\s*\S", text.replace("key: password", ""))
    worker = of_kind(objects, "StatefulSet")["komhen-worker"]["spec"]["template"]["spec"]
    assert worker["containers"][0]["env"] == [
        {"name": "KAFKA_SASL_USERNAME", "value": "komhen-worker"},
        {"name": "KAFKA_SASL_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "komhen-worker", "key": "password"}}},
        {"name": "KOMHEN_SNAPSHOT_KEYS_FILE", "value": "/etc/komhen/snapshot-keys/keys"},
    ]
    keys = next(v for v in worker["volumes"] if v["name"] == "snapshot-keys")
    assert keys["secret"] == {
        "secretName": "komhen-snapshot-keys",
        "items": [{"key": "keys", "path": "keys", "mode": 0o440}],
    }
    secrets = sorted(
        v["secret"]["secretName"]
        for o in objects
        if o["kind"] in ("StatefulSet", "Deployment")
        for v in o["spec"]["template"]["spec"]["volumes"]
        if "secret" in v
    )
    assert secrets == [
        "kafka-cluster-ca-cert",
        "kafka-cluster-ca-cert",
        "komhen-ingest-metrics",
        "komhen-ingest-tokens",
        "komhen-snapshot-keys",
    ]


def test_mutual_tls_mounts_the_users_certificate_and_key() -> None:
    built = manifests(Settings(), KubernetesSettings(authentication="tls"), TARGETS, REGISTRY)
    settings_map = built["base/settings.yaml"][0]["data"]
    assert settings_map["KAFKA_SECURITY_PROTOCOL"] == "SSL" and "KAFKA_SASL_MECHANISM" not in settings_map
    ingest = of_kind(built["base/ingest.yaml"], "Deployment")["komhen-ingest"]["spec"]["template"]["spec"]
    assert ingest["containers"][0]["env"] == [
        {"name": "KAFKA_SSL_CERTFILE", "value": "/etc/komhen/kafka/user/user.crt"},
        {"name": "KAFKA_SSL_KEYFILE", "value": "/etc/komhen/kafka/user/user.key"},
    ]
    user_volume = next(v for v in ingest["volumes"] if v["name"] == "kafka-user")
    assert user_volume["secret"]["secretName"] == "komhen-ingest"
    users = of_kind(built["base/kafka-users.yaml"], "KafkaUser")
    assert {u["spec"]["authentication"]["type"] for u in users.values()} == {"tls"}


def test_every_topic_is_declared_with_the_configuration_the_code_gives_it() -> None:
    topics = of_kind(base_objects(), "KafkaTopic")
    day_ms = 86_400_000
    assert {
        name: (t["spec"].get("topicName"), t["spec"]["partitions"], t["spec"]["config"]) for name, t in topics.items()
    } == {
        "inquiries": (
            None,
            4,
            {"retention.ms": str(7 * day_ms), "message.timestamp.type": "LogAppendTime", "min.insync.replicas": "2"},
        ),
        "inquiries-dlq": (None, 4, {"retention.ms": str(407 * day_ms), "min.insync.replicas": "2"}),
        "inquiries-summaries": (None, 4, {"cleanup.policy": "compact", "min.insync.replicas": "2"}),
        "inquiries-snapshots": (None, 4, {**SNAPSHOT_TOPIC_CONFIG, "min.insync.replicas": "2"}),
        "komhen-live-assignor-leader": ("komhen-live-__assignor-__leader", 1, {"min.insync.replicas": "2"}),
    }
    assert {t["spec"]["replicas"] for t in topics.values()} == {3}
    settings_map = of_kind(base_objects(), "ConfigMap")["komhen-settings"]["data"]
    assert settings_map["KOMHEN_INPUT_RETENTION_DAYS"] == "7" and settings_map["KOMHEN_PARTITIONS"] == "4"


def test_faust_is_told_not_to_declare_topics() -> None:
    from streams.worker.app import faust_app

    assert faust_app(Settings(bootstrap_servers="127.0.0.1:9")).conf.topic_allow_declare is False


def acls(user: dict[str, Any]) -> set[tuple[str, str, tuple[str, ...]]]:
    return {
        (a["resource"]["type"], a["resource"]["name"], tuple(a["operations"]))
        for a in user["spec"]["authorization"]["acls"]
    }


def test_each_component_has_the_least_acls_it_needs() -> None:
    users = of_kind(base_objects(), "KafkaUser")
    write_input = {("topic", "inquiries", ("Write", "Describe"))}
    sources = ["telephony", "selfservice", "digitalpost", "reception", "komhen-import"]  # the registry's, no simulator
    assert sorted(users) == sorted(
        ["komhen-worker", "komhen-ingest", "komhen-reader", *(f"komhen-source-{s}" for s in sources)]
    )
    for name in ["komhen-ingest", *(f"komhen-source-{s}" for s in sources)]:
        assert acls(users[name]) == write_input, name
    assert acls(users["komhen-reader"]) == {("topic", "inquiries-summaries", ("Read", "Describe"))}
    assert acls(users["komhen-worker"]) == {
        ("topic", "inquiries", ("Read", "Describe", "DescribeConfigs")),
        ("topic", "inquiries-dlq", ("Write", "Describe")),
        ("topic", "inquiries-summaries", ("Read", "Write", "Describe")),
        ("topic", "inquiries-snapshots", ("Read", "Write", "Describe")),
        ("topic", "komhen-live-__assignor-__leader", ("Read", "Write", "Describe")),
        ("group", "komhen-live", ("Read", "Describe")),
    }


def test_the_workers_the_ingest_and_the_kafka_users_follow_one_sources_registry() -> None:
    objects = base_objects()
    maps = of_kind(objects, "ConfigMap")
    assert maps["komhen-sources"]["data"] == {"sources.yaml": REGISTRY.read_text(encoding="utf-8")}
    assert maps["komhen-settings"]["data"]["KOMHEN_SOURCE_REGISTRY"] == "/etc/komhen/sources/sources.yaml"
    for kind, name in (("StatefulSet", "komhen-worker"), ("Deployment", "komhen-ingest")):
        pod = of_kind(objects, kind)[name]["spec"]["template"]["spec"]
        assert {"name": "sources", "configMap": {"name": "komhen-sources"}} in pod["volumes"], name
        mounts = pod["containers"][0]["volumeMounts"]
        assert {"name": "sources", "mountPath": "/etc/komhen/sources", "readOnly": True} in mounts, name
    registered = load_source_registry(REGISTRY).sources
    users = sorted(u.removeprefix("komhen-source-") for u in of_kind(objects, "KafkaUser") if "source-" in u)
    assert users == sorted(s for s in registered if s != "simulator")


def test_prometheus_reads_the_ingests_metrics_with_the_token_the_ingest_is_given() -> None:
    objects = base_objects()
    endpoint = of_kind(objects, "ServiceMonitor")["komhen-ingest"]["spec"]["endpoints"][0]
    assert endpoint["authorization"] == {
        "type": "Bearer",
        "credentials": {"name": "komhen-ingest-metrics", "key": "token"},
    }
    pod = of_kind(objects, "Deployment")["komhen-ingest"]["spec"]["template"]["spec"]
    args = pod["containers"][0]["args"]
    assert args[args.index("--metrics-token") + 1] == "/etc/komhen/ingest-metrics/token"
    volume = next(v for v in pod["volumes"] if v["name"] == "metrics-token")
    assert volume["secret"] == {
        "secretName": "komhen-ingest-metrics",
        "items": [{"key": "token", "path": "token", "mode": 0o440}],
    }


def test_the_prometheus_rules_hold_exactly_the_groups_of_the_rule_files() -> None:
    rules = of_kind(base_objects(), "PrometheusRule")
    files = {f"komhen-{p.name.removesuffix('.rules.yml')}": load(p)[0]["groups"] for p in RULES_DIR.glob("*.rules.yml")}
    assert {name: r["spec"]["groups"] for name, r in rules.items()} == files
    assert {r["metadata"]["labels"]["release"] for r in rules.values()} == {"kube-prometheus-stack"}


def test_the_release_label_is_the_deployments_to_set() -> None:
    k8s = KubernetesSettings(monitoring_labels={"release": "kps", "team": "komhen-drift"})
    built = manifests(Settings(), k8s, TARGETS, REGISTRY)
    for obj in [*built["base/prometheus-rules.yaml"], *built["base/monitors.yaml"]]:
        assert {k: obj["metadata"]["labels"][k] for k in ("release", "team")} == {
            "release": "kps",
            "team": "komhen-drift",
        }


def test_dashboards_are_config_maps_for_grafanas_sidecar_with_the_built_dashboards() -> None:
    maps = {
        n: m
        for n, m in of_kind(base_objects(), "ConfigMap").items()
        if n.startswith("komhen-") and n not in ("komhen-settings", "komhen-targets", "komhen-sources")
    }
    built = {p.stem: p.read_text(encoding="utf-8") for p in (REPO_ROOT / "dashboards").glob("*.json")}
    assert sorted(maps) == sorted(built)
    for name, config_map in maps.items():
        assert config_map["metadata"]["labels"]["grafana_dashboard"] == "1"
        assert config_map["data"] == {f"{name}.json": built[name]}
        assert len(json.dumps(config_map).encode()) < 1_000_000  # a ConfigMap holds at most 1 MiB


def test_the_scrape_jobs_are_the_ones_the_rules_and_dashboards_query() -> None:
    monitors = base_objects()
    pod_monitor = of_kind(monitors, "PodMonitor")["komhen-worker"]
    worker_pods = of_kind(monitors, "StatefulSet")["komhen-worker"]["spec"]["template"]["metadata"]["labels"]
    assert worker_pods[pod_monitor["spec"]["jobLabel"]] == "komhen-worker"  # up{job="komhen-worker"}
    assert pod_monitor["spec"]["podMetricsEndpoints"][0]["port"] == "web"


promtool = pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed (`make test-tools`)")


@promtool
def test_promtool_checks_the_prometheus_rules(tmp_path: Path) -> None:
    """promtool accepts the PrometheusRules' groups. They are the rule files' groups exactly (the test above), so
    the rule files' promtool unit tests (test_rules.py) hold for them too: running them twice proves nothing more."""
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    for name, rule in of_kind(base_objects(), "PrometheusRule").items():
        (rules_dir / f"{name.removeprefix('komhen-')}.rules.yml").write_text(
            yaml.safe_dump({"groups": rule["spec"]["groups"]})
        )
    check = subprocess.run(
        ["promtool", "check", "rules", *map(str, sorted(rules_dir.iterdir()))], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("SUCCESS") == len(list(rules_dir.iterdir())) == len(list(RULES_DIR.glob("*.rules.yml")))
