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
    assert "endpoints.scale-out.yml" in dockerfile and "--auth-token" in dockerfile
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
    assert "endpoints.scale-out.yml" in " ".join(rasa["command"]) and "--auth-token" in " ".join(rasa["command"])
    assert actions["command"][:3] == ["python", "-m", "actions.server"]
    assert docs["Deployment/kestrel-rasa"]["spec"]["replicas"] >= 2
    assert docs["NetworkPolicy/kestrel-actions-from-rasa"]["spec"]["podSelector"]["matchLabels"] == {
        "app": "kestrel-actions"}
    assert docs["CronJob/kestrel-retention"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0][
        "command"] == ["python", "-m", "shop.admin", "expire"]


def test_the_nginx_proxy_exposes_only_the_channels():
    config = (DEPLOY / "nginx.conf").read_text()
    for path in ("/webhooks/rest/", "/webhooks/slack/", "/webhooks/telegram/", "/socket.io/"):
        assert f"location {path}" in config
    assert "location / { return 404; }" in config and "ip_hash" in config
