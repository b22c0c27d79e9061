"""docker-compose.yml validates with docker-compose itself and keeps to the stack's rules."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from streams.broker.topics import SNAPSHOT_SEGMENT_MS, SNAPSHOT_TOPIC_CONFIG, topic_specs
from streams.documents.settings import Settings
from tests.fixtures.factories import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"


def compose(*args: str) -> str:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (apt-get install -y docker-compose); the file was not validated")
    result = subprocess.run(
        [binary, "--env-file", str(REPO_ROOT / ".env.example"), "--profile", "simulator", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_docker_compose_config_validates() -> None:
    compose("config", "-q")


def test_the_stack_has_every_service_and_the_simulator_only_in_its_profile() -> None:
    services = set(compose("config", "--services").split())
    assert services == {"kafka", "kafka-init", "worker", "ingest", "simulator", "prometheus", "alertmanager", "grafana"}
    raw = yaml.safe_load(COMPOSE.read_text())
    assert raw["services"]["simulator"]["profiles"] == ["simulator"]


def test_workers_can_be_scaled_and_are_found_by_dns() -> None:
    config = yaml.safe_load(compose("config"))
    worker = config["services"]["worker"]
    assert "container_name" not in worker  # a fixed name would forbid a second replica
    assert worker["environment"]["KOMHEN_WEB_HOST"] == "0.0.0.0"
    prometheus = yaml.safe_load((REPO_ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    job = next(j for j in prometheus["scrape_configs"] if j["job_name"] == "komhen-worker")
    assert job["dns_sd_configs"] == [{"names": ["worker"], "type": "A", "port": 6066, "refresh_interval": "15s"}]


def test_workers_can_be_scaled_to_a_standby_each_with_its_own_loopback_port() -> None:
    worker = yaml.safe_load(compose("config"))["services"]["worker"]
    assert worker["ports"] == ["127.0.0.1:6066-6067:6066/tcp"]  # a port for the worker and for its standby
    raw = COMPOSE.read_text()
    assert "one municipality's events are on one partition" in raw and "share the 4 partitions" not in raw
    guide = (REPO_ROOT / "docs" / "production.md").read_text(encoding="utf-8")
    assert "--scale worker=2            # a standby: one municipality is one partition" in guide


def test_the_ports_a_user_needs_are_published_and_nothing_without_a_login_beyond_the_host() -> None:
    services = yaml.safe_load(compose("config"))["services"]

    def published(name: str) -> list[str]:
        out = []
        for port in services[name].get("ports", []):
            if isinstance(port, dict):  # docker-compose 1.29 writes "port:port" as a mapping
                out.append(f"{port.get('host_ip', '0.0.0.0')}:{port['published']}:{port['target']}")
            else:
                out.append(port.removesuffix("/tcp"))
        return out

    assert {name: published(name) for name in services} == {
        "kafka": ["127.0.0.1:9094:9094"],
        "kafka-init": [],
        "worker": ["127.0.0.1:6066-6067:6066"],
        "ingest": ["0.0.0.0:8080:8080"],
        "simulator": [],
        "prometheus": ["127.0.0.1:9090:9090"],
        "alertmanager": ["127.0.0.1:9093:9093"],
        "grafana": ["0.0.0.0:3000:3000"],
    }
    kafka = services["kafka"]["environment"]
    assert "HOST://localhost:9094" in kafka["KAFKA_ADVERTISED_LISTENERS"].split(",")  # what the host's clients reach
    assert "HOST://:9094" in kafka["KAFKA_LISTENERS"].split(",")


def test_containers_run_as_the_users_the_secret_files_are_given_to() -> None:
    services = yaml.safe_load(compose("config"))["services"]
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert "useradd --system --uid 10001" in dockerfile and "USER komhen" in dockerfile
    for name in ("worker", "ingest", "simulator"):
        service = services[name]
        assert service["user"] == "10001:10001", name
        assert service["read_only"] is True and service["tmpfs"] == ["/tmp", "/data"], name
        assert service["cap_drop"] == ["ALL"] and service["security_opt"] == ["no-new-privileges:true"], name
    assert services["alertmanager"]["user"] == "65534:65534"
    env = dict(
        line.split("=", 1)
        for line in (REPO_ROOT / ".env.example").read_text().splitlines()
        if "=" in line and line[0] != "#"
    )
    guide = (REPO_ROOT / "docs" / "production.md").read_text(encoding="utf-8")
    tokens, smtp, keys = (
        env["KOMHEN_INGEST_TOKENS_FILE"].removeprefix("./"),
        env["ALERTMANAGER_SMTP_PASSWORD_FILE"].removeprefix("./"),
        env["KOMHEN_SNAPSHOT_KEYS_FILE"].removeprefix("./"),
    )
    assert f"sudo chown 10001 {tokens} {keys}" in guide and f"sudo chown 65534 {smtp}" in guide
    assert services["worker"]["secrets"] == [{"source": "snapshot_keys"}]
    assert services["worker"]["environment"]["KOMHEN_SNAPSHOT_KEYS_FILE"] == "/run/secrets/snapshot_keys"
    assert "chmod 400 secrets/*" in guide and "chmod 600" not in guide
    assert services["ingest"]["secrets"] == [{"source": "ingest_tokens"}, {"source": "ingest_metrics_token"}]
    assert "--tokens" in services["ingest"]["command"] and "/run/secrets/ingest_tokens" in services["ingest"]["command"]
    metrics_token = env["KOMHEN_INGEST_METRICS_TOKEN_FILE"].removeprefix("./")
    assert f"sudo chown 10001:65534 {metrics_token}" in guide and f"chmod 440 {metrics_token}" in guide
    alertmanager_mounts = services["alertmanager"]["volumes"]
    assert f"{REPO_ROOT / smtp}:/etc/alertmanager/smtp-password:ro" in alertmanager_mounts
    am_config = (REPO_ROOT / "deploy" / "alertmanager" / "alertmanager.yml").read_text()
    assert "smtp_auth_password_file: /etc/alertmanager/smtp-password" in am_config
    gitignore = (REPO_ROOT / ".gitignore").read_text().split()
    assert "secrets/" in gitignore and ".env" in gitignore


def test_the_ingests_metrics_are_scraped_with_the_metrics_token_the_ingest_is_given() -> None:
    services = yaml.safe_load(compose("config"))["services"]
    command = services["ingest"]["command"]
    assert command[command.index("--metrics-token") + 1] == "/run/secrets/ingest_metrics_token"
    assert services["prometheus"]["secrets"] == [{"source": "ingest_metrics_token"}]
    prometheus = yaml.safe_load((REPO_ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    job = next(j for j in prometheus["scrape_configs"] if j["job_name"] == "komhen-ingest")
    assert job == {
        "job_name": "komhen-ingest",
        "authorization": {"type": "Bearer", "credentials_file": "/run/secrets/ingest_metrics_token"},
        "static_configs": [{"targets": ["ingest:8080"]}],
    }
    assert command[command.index("--port") + 1] == "8080"


def test_the_worker_and_the_ingest_read_the_sources_registry_of_the_one_municipality() -> None:
    services = yaml.safe_load(compose("config"))["services"]
    for name in ("worker", "ingest"):
        environment = services[name]["environment"]
        assert (environment["KOMHEN_MUNICIPALITY"], environment["KOMHEN_SOURCE_REGISTRY"]) == (
            "183",
            "/etc/komhen/sources-registry.yaml",
        ), name
        registry = f"{REPO_ROOT / 'deploy' / 'sources-registry.yaml'}:/etc/komhen/sources-registry.yaml:ro"
        assert registry in services[name]["volumes"], name
    assert "KOMHEN_SOURCE_REGISTRY" not in services["simulator"]["environment"]  # it writes; the worker judges


def test_every_mount_is_read_only_but_the_data_volumes_and_every_bind_source_exists() -> None:
    services = yaml.safe_load(compose("config"))["services"]
    secrets_dir = REPO_ROOT / "secrets"
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source, _target, mode = volume.rsplit(":", 2) if volume.count(":") >= 2 else (*volume.split(":"), "rw")
            if source.startswith("/"):
                assert mode == "ro", (name, volume)
                assert Path(source).exists() or Path(source).parent == secrets_dir, (name, source)
            else:
                assert source.endswith("-data") and mode == "rw", (name, volume)


def test_health_checks_ask_each_service_on_the_port_it_listens_on() -> None:
    services = yaml.safe_load(compose("config"))["services"]
    assert "http://127.0.0.1:6066/health" in services["worker"]["healthcheck"]["test"][-1]
    assert services["worker"]["environment"]["KOMHEN_WEB_PORT"] == "6066"
    assert "http://127.0.0.1:8080/health" in services["ingest"]["healthcheck"]["test"][-1]
    assert services["ingest"]["command"][services["ingest"]["command"].index("--port") + 1] == "8080"
    assert services["prometheus"]["healthcheck"]["test"][-1] == "http://localhost:9090/-/ready"
    assert services["alertmanager"]["healthcheck"]["test"][-1] == "http://localhost:9093/-/ready"
    assert services["grafana"]["healthcheck"]["test"][-1] == "http://localhost:3000/api/health"


PATH_IN_TEXT = re.compile(r"(?<![\w/.])(?:\./)?((?:streams|deploy|dashboards|schemas|tests)/[\w./*-]*[\w*])")


@pytest.mark.parametrize(
    "relative",
    [
        "docker-compose.yml",
        "deploy/prometheus/prometheus.yml",
        "deploy/alertmanager/alertmanager.yml",
        "deploy/grafana/provisioning/dashboards/komhen.yml",
        "deploy/grafana/provisioning/datasources/prometheus.yml",
    ],
)
def test_every_path_the_stack_files_name_exists(relative: str) -> None:
    named = PATH_IN_TEXT.findall((REPO_ROOT / relative).read_text())
    assert named, relative
    missing = [p for p in named if not list(REPO_ROOT.glob(p))]
    assert missing == [], f"{relative} names paths that do not exist: {missing}"


def test_topics_are_created_as_the_code_declares_them() -> None:
    script = yaml.safe_load(compose("config"))["services"]["kafka-init"]["command"][0]
    settings = Settings(partitions=4)
    for spec in topic_specs(settings):
        input_retention = "$$(( 7 * 86400000 ))"  # KOMHEN_INPUT_RETENTION_DAYS of .env, multiplied by bash
        configs = " ".join(
            f"--config {key}={input_retention if key == 'retention.ms' and spec.name == settings.topic else value}"
            for key, value in spec.config.items()
        )
        assert f"--topic {spec.name} --partitions 4 --replication-factor 1 {configs}" in script, spec.name


def test_topics_are_created_with_the_retention_and_compaction_the_worker_needs() -> None:
    config = yaml.safe_load(compose("config"))
    script = config["services"]["kafka-init"]["command"][0]
    # KOMHEN_INPUT_RETENTION_DAYS of .env, multiplied by bash ($$ is how `config` writes bash's $ back)
    retention = "--config retention.ms=$$(( 7 * 86400000 ))"
    assert f"--topic inquiries --partitions 4 --replication-factor 1 {retention}" in script
    assert config["services"]["worker"]["environment"]["KOMHEN_INPUT_RETENTION_DAYS"] == "7"
    assert "--topic inquiries-dlq --partitions 4 --replication-factor 1 --config retention.ms=35164800000" in script
    assert 35164800000 == 407 * 86400 * 1000
    assert "--topic inquiries-summaries --partitions 4 --replication-factor 1 --config cleanup.policy=compact" in script
    max_bytes = SNAPSHOT_TOPIC_CONFIG["max.message.bytes"]
    snapshots = (
        "--topic inquiries-snapshots --partitions 4 --replication-factor 1 --config cleanup.policy=compact "
        f"--config segment.ms={SNAPSHOT_SEGMENT_MS} --config max.message.bytes={max_bytes}"
    )
    assert snapshots in script


def test_every_long_running_service_has_a_health_check_and_no_secret_is_in_the_file() -> None:
    config = yaml.safe_load(compose("config"))
    for name, service in config["services"].items():
        if name not in ("kafka-init", "simulator"):
            assert "healthcheck" in service, name
    raw = yaml.safe_load(COMPOSE.read_text())
    secret_like = {
        (name, key): value
        for name, service in raw["services"].items()
        for key, value in (service.get("environment") or {}).items()
        if any(word in key for word in ("PASSWORD", "TOKEN", "SECRET"))
    }
    assert secret_like == {
        ("grafana", "GF_SECURITY_ADMIN_PASSWORD"): "${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD in .env}"
    }
    assert config["services"]["ingest"]["secrets"][0]["source"] == "ingest_tokens"


def test_the_image_installs_the_wheel_with_every_folder_its_data_links_to() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    for link in (REPO_ROOT / "streams" / "data").iterdir():
        folder = link.resolve().relative_to(REPO_ROOT)
        assert f"COPY {folder} ./{folder}" in dockerfile, folder
    assert "pip wheel" in dockerfile and "pip install /dist/*.whl" in dockerfile
    assert "KOMHEN_SCHEMAS_DIR" not in dockerfile  # the package finds its own data
