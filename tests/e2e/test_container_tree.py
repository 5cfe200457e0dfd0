"""What the images would hold, and that the servers start from it as the image's user.

The file trees come from the Dockerfiles' COPY lines (tests/container_tree.py); the Python packages are
the shared environments (what the images' ``pip install -r requirements/*.lock`` installs). The Rasa
server runs the image's CMD (endpoints.scale-out.yml on real PostgreSQL and Redis), the action server
its CMD with shop.yml's defaults: SQLite files in var/, which only the image's user may write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml

from tests.container_tree import REPO, ImageTree, as_user, build, give_to_user, user_can_run, user_can_write
from tests.e2e.shopdata import customer_email
from tests.servers import ACTIONS_PY, CHANNEL_ENV, RASA_BIN, free_port, in_session, stop_process, wait_for

DEPLOY = REPO / "deploy"


@pytest.fixture(scope="module")
def trees() -> Iterator[dict[str, ImageTree]]:
    # Not under pytest's tmp_path: its parents are private to root, and the image's user must get in.
    root = Path(tempfile.mkdtemp(prefix="kestrel-images-"))
    root.chmod(0o755)
    try:
        built = {name: build(DEPLOY / f"Dockerfile.{name}", root / name) for name in ("rasa", "actions")}
        for tree in built.values():
            give_to_user(tree)
            for directory in [tree.root, *tree.root.rglob("*")]:
                if directory.is_dir() and directory.stat().st_uid == 0:
                    directory.chmod(0o755)
        yield built
    finally:
        shutil.rmtree(root, ignore_errors=True)


def modules_named_by_rasa_files(app: Path) -> set[str]:
    """Every Python module config.yml, credentials.yml and endpoints*.yml name (dotted names)."""
    names = set()
    config = yaml.safe_load((app / "config.yml").read_text())
    names |= {c["name"] for c in config["pipeline"] + config["policies"] if "." in c["name"]}
    names |= {key for key in yaml.safe_load((app / "credentials.yml").read_text()) if "." in key}
    for endpoints in app.glob("endpoints*.yml"):
        for section in (yaml.safe_load(endpoints.read_text()) or {}).values():
            if isinstance(section, dict) and "." in str(section.get("type", "")):
                names.add(section["type"])
    return {name.rsplit(".", 1)[0] for name in names}


def imports(python: Path, app: Path, modules: set[str]) -> subprocess.CompletedProcess:
    code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)\nprint('ok')"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run([str(python), "-c", code, *sorted(modules)], cwd=app, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_rasa_image_holds_every_module_its_files_name(trees):
    app = trees["rasa"].app
    modules = modules_named_by_rasa_files(app)
    assert {"connectors.chatwoot", "rasa_ext.stores", "rasa_ext.brokers", "rasa_ext.language_detector",
            "rasa_ext.health"} <= modules
    result = imports(RASA_BIN.parent / "python", app, modules)
    assert result.returncode == 0, result.stderr[-3000:]
    assert list((app / "models").glob("kestrel-*.tar.gz"))


def test_the_actions_image_holds_the_actions_the_page_and_the_models(trees):
    app = trees["actions"].app
    result = imports(ACTIONS_PY, app, {"actions", "actions.server", "shop.admin", "shop.analytics",
                                       "scripts.shop_page"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert (app / "models" / "generator").is_dir() and (app / "models" / "recommender").is_dir()
    assert (app / "web" / "index.html").is_file() and (app / "web" / "vendor" / "socket.io.min.js").is_file()


def test_the_servers_start_from_the_images_and_answer(trees, postgres, redis, tmp_path):
    rasa, actions = trees["rasa"], trees["actions"]
    # What the image's user may write: var/ of the action server, nothing else of /app.
    assert user_can_write(actions, "/app/var") and not user_can_write(actions, "/app")
    # Run as the image's user when this machine's interpreter lets them (else as root, noted in the log).
    run_as = {name: as_user(tree) if user_can_run(tree, python) else []
              for name, tree, python in (("rasa", rasa, RASA_BIN.parent / "python"), ("actions", actions, ACTIONS_PY))}
    home = Path(tempfile.mkdtemp(prefix="kestrel-home-"))  # the user's home that useradd made
    if as_user(rasa):
        os.chown(home, rasa.user, rasa.user)
    for name in ("rasa_image", "events_image"):
        postgres.create_database(name)
    token = "container-tree-secret"
    actions_port, rasa_port = free_port(), free_port()
    base = {"PATH": f"{RASA_BIN.parent}:/usr/bin:/bin", "HOME": str(home), "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "ACTION_SERVER_TOKEN": token}
    actions_env = base | actions.env | {"SANIC_HOST": "127.0.0.1", "PATH": f"{ACTIONS_PY.parent}:/usr/bin:/bin"}
    rasa_env = base | rasa.env | {name: "" for name in CHANNEL_ENV} | {
        "RASA_API_TOKEN": "api", "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "RASA_TRACKER_URL": postgres.url("rasa_image", driver="psycopg2"),
        "RASA_EVENTS_URL": postgres.url("events_image", driver="psycopg2"),
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis.port)}
    actions_log, rasa_log = tmp_path / "actions.log", tmp_path / "rasa.log"
    # The images' CMDs (exec form), each with its port swapped.
    actions_cmd = [str(ACTIONS_PY) if part == "python" else part for part in actions.cmd]
    actions_cmd[actions_cmd.index("--port") + 1] = str(actions_port)
    rasa_cmd = [str(RASA_BIN.parent / "python") if part == "python" else part for part in rasa.cmd]
    rasa_cmd[rasa_cmd.index("--port") + 1] = str(rasa_port)
    procs = []
    try:
        procs.append(in_session([*run_as["actions"], *actions_cmd], cwd=actions.app, env=actions_env,
                                      stdout=open(actions_log, "ab"), stderr=subprocess.STDOUT))
        procs.append(in_session([*run_as["rasa"], *rasa_cmd], cwd=rasa.app, env=rasa_env,
                                      stdout=open(rasa_log, "ab"), stderr=subprocess.STDOUT))
        wait_for(f"http://127.0.0.1:{actions_port}/ready", procs[0], actions_log, 300)
        wait_for(f"http://127.0.0.1:{rasa_port}/webhooks/health/ready", procs[1], rasa_log, 400)
        def say(message: str) -> str:
            reply = requests.post(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", timeout=120,
                                  json={"sender": "image-test", "message": message}).json()
            return " ".join(r.get("text") or "" for r in reply)

        # A guest's order check: the number, then the email it was placed with (the state database's
        # rate limits and the order data are read from the image's files).
        assert "email" in say("where is my order KE-100002?")
        assert "shipped" in say(customer_email("C00001")).lower()
        # The action server wrote its SQLite state where the image lets its user write, and only there.
        assert (actions.app / "var" / "shop_state.db").is_file()
        if run_as["actions"]:
            assert (actions.app / "var" / "shop_state.db").stat().st_uid == actions.user
    finally:
        for proc in procs:
            stop_process(proc)
        shutil.rmtree(home, ignore_errors=True)
