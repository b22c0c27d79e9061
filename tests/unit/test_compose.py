"""docker-compose.yml validates with docker-compose itself and keeps to the stack's rules."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from streams.broker.topics import SNAPSHOT_SEGMENT_MS, SNAPSHOT_TOPIC_CONFIG
from tests.factories import REPO_ROOT

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
    assert "ports" not in worker and "container_name" not in worker
    assert worker["environment"]["KOMHEN_WEB_HOST"] == "0.0.0.0"
    prometheus = yaml.safe_load((REPO_ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    job = next(j for j in prometheus["scrape_configs"] if j["job_name"] == "komhen-worker")
    assert job["dns_sd_configs"] == [{"names": ["worker"], "type": "A", "port": 6066, "refresh_interval": "15s"}]


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
