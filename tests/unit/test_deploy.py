"""The deployment files parse and agree with the tested scale-out configuration."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def env_vars_of(path: Path) -> set[str]:
    lines = (line.split("#", 1)[0] for line in path.read_text().splitlines())  # comments name no variable
    return set(re.findall(r"\$\{(\w+)\}", "\n".join(lines)))


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def kubernetes() -> dict[str, dict]:
    return {f"{d['kind']}/{d['metadata']['name']}": d
            for d in yaml.safe_load_all((DEPLOY / "kubernetes" / "kestrel.yaml").read_text())}


def test_compose_runs_the_tested_configuration():
    services = compose()["services"]
    rasa, actions = services["rasa"], services["actions"]
    needed = env_vars_of(REPO / "endpoints.scale-out.yml") | env_vars_of(REPO / "credentials.yml")
    assert needed <= set(rasa["environment"])
    assert {"SHOP_STATE_URL", "SHOP_TRACKER_URL", "ACTION_SERVER_TOKEN", "SANIC_HOST"} <= set(actions["environment"])
    assert rasa["deploy"]["replicas"] >= 2 and actions["deploy"]["replicas"] >= 2
    dockerfile = (DEPLOY / "Dockerfile.rasa").read_text()
    # The API token from RASA_API_TOKEN (rasa_ext/serve.py), not on the command line.
    assert "endpoints.scale-out.yml" in dockerfile and "rasa_ext.serve" in dockerfile
    assert "--auth-token" not in dockerfile
    assert '"actions.server"' in (DEPLOY / "Dockerfile.actions").read_text()
    assert "shop.admin\", \"expire\"" in str(services["retention"]) or "shop.admin expire" in str(services["retention"])


def test_kubernetes_runs_the_tested_configuration():
    docs = kubernetes()
    secret = set(docs["Secret/kestrel"]["stringData"])
    rasa = docs["Deployment/kestrel-rasa"]["spec"]["template"]["spec"]["containers"][0]
    actions = docs["Deployment/kestrel-actions"]["spec"]["template"]["spec"]["containers"][0]
    rasa_env = {e["name"] for e in rasa["env"]} | secret
    actions_env = {e["name"] for e in actions["env"]} | secret
    assert env_vars_of(REPO / "endpoints.scale-out.yml") | env_vars_of(REPO / "credentials.yml") <= rasa_env
    assert {"SHOP_STATE_URL", "SHOP_TRACKER_URL", "ACTION_SERVER_TOKEN", "SANIC_HOST"} <= actions_env
    command = " ".join(rasa["command"])
    assert "endpoints.scale-out.yml" in command and "rasa_ext.serve" in command and "--auth-token" not in command
    assert actions["command"][:3] == ["python", "-m", "actions.server"]
    assert docs["Deployment/kestrel-rasa"]["spec"]["replicas"] >= 2
    assert docs["NetworkPolicy/kestrel-actions-from-rasa"]["spec"]["podSelector"]["matchLabels"] == {
        "app": "kestrel-actions"}
    assert docs["CronJob/kestrel-retention"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0][
        "command"] == ["python", "-m", "shop.admin", "expire"]


def test_the_nginx_proxy_exposes_the_page_and_the_channels_only():
    config = (DEPLOY / "nginx.conf").read_text()
    for path in ("/webhooks/rest/", "/webhooks/slack/", "/webhooks/telegram/", "/webhooks/chatwoot/", "/socket.io/"):
        assert f"location {path}" in config
    # Every other /webhooks/ path (the health checks) stays inside; / is the shop page, not Rasa's API.
    assert "location /webhooks/ { return 404; }" in config and "ip_hash" in config
    assert "location / { proxy_pass http://page; }" in config and "server page:8081" in config
    assert "--port\", \"8081" in str(compose()["services"]["page"]["command"]).replace("'", '"')


def test_every_replica_shares_one_marketing_store_and_every_database_exists():
    services = compose()["services"]
    shared = ("SHOP_STATE_URL", "SHOP_MARKETING_DB", "SHOP_EVENTS_URL", "SHOP_TRACKER_URL")
    for name in ("actions", "retention", "page"):
        assert set(shared) <= set(services[name]["environment"]), name
    urls = [str(v) for v in services["actions"]["environment"].values()] + [
        str(v) for v in services["rasa"]["environment"].values()]
    named = {url.rsplit("/", 1)[1] for url in urls if url.startswith("postgresql")}
    created = set(re.findall(r"CREATE DATABASE (\w+);", (DEPLOY / "postgres-init.sql").read_text()))
    assert named == created == {"rasa", "shop", "marketing", "events"}
    assert services["rasa"]["depends_on"]["actions"] == {"condition": "service_healthy"}
    secret = kubernetes()["Secret/kestrel"]["stringData"]
    assert {"SHOP_MARKETING_DB", "RASA_EVENTS_URL", "SHOP_EVENTS_URL"} <= set(secret)


def test_probes_tell_readiness_from_liveness():
    docs = kubernetes()
    rasa = docs["Deployment/kestrel-rasa"]["spec"]["template"]["spec"]["containers"][0]
    actions = docs["Deployment/kestrel-actions"]["spec"]["template"]["spec"]["containers"][0]
    assert actions["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert actions["livenessProbe"]["httpGet"]["path"] == "/health"
    assert rasa["readinessProbe"]["httpGet"]["path"] == "/webhooks/health/ready"
    assert rasa["livenessProbe"]["httpGet"]["path"] == "/webhooks/health/live"
    for dockerfile, path in (("Dockerfile.rasa", "/webhooks/health/ready"), ("Dockerfile.actions", "/ready")):
        assert "HEALTHCHECK" in (DEPLOY / dockerfile).read_text() and path in (DEPLOY / dockerfile).read_text()
