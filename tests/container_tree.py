"""What an image built from one of deploy/'s Dockerfiles would hold, laid out in a directory.

No container engine runs here, so the tests read the Dockerfile instead: its ``COPY`` lines build the
file tree (with Docker's rules: a directory's contents go into the destination, globs expand, a
destination ending in ``/`` is a directory), ``RUN install -d -o UID`` makes writable directories,
``ENV``, ``WORKDIR``, ``USER`` and ``CMD`` are kept. Installing packages (``RUN pip …``) is what the
shared environments already did; any other instruction fails the parse, so the tests cannot silently
ignore a step the image would depend on.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# RUN lines the environments stand for: package installs, the image's user.
_INSTALL_RUN = re.compile(r"^(apt-get |pip |useradd |rm -rf /var/lib/apt/lists)")


@dataclass
class ImageTree:
    root: Path                     # stands for the image's /
    workdir: str = "/"
    user: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    cmd: list[str] | str = field(default_factory=list)
    owned: list[Path] = field(default_factory=list)   # paths the image's user owns

    def path(self, inside: str) -> Path:
        return self.root / inside.lstrip("/")

    @property
    def app(self) -> Path:
        return self.path(self.workdir)


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def _copy(tree: ImageTree, args: list[str]) -> None:
    chown = next((a.split("=", 1)[1] for a in args if a.startswith("--chown=")), None)
    args = [a for a in args if not a.startswith("--")]
    *sources, dest = args
    target = tree.path(dest if dest.startswith("/") else f"{tree.workdir}/{dest}")
    matches = [Path(m) for s in sources for m in sorted(glob.glob(str(REPO / s)))]
    if not matches:
        raise AssertionError(f"COPY {' '.join(sources)}: nothing in the repository matches (the build would fail)")
    for source in matches:
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            into_dir = dest.endswith("/") or len(matches) > 1 or target.is_dir()
            final = target / source.name if into_dir else target
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, final)
        if chown:
            tree.owned.append(target)


def build(dockerfile: Path, root: Path) -> ImageTree:
    """The image's files under ``root`` (REPO-relative COPY sources), and its settings."""
    tree = ImageTree(root)
    for keyword, rest in instructions(dockerfile):
        if keyword in ("FROM", "ARG", "EXPOSE", "HEALTHCHECK"):
            continue
        if keyword == "WORKDIR":
            tree.workdir = rest
            tree.app.mkdir(parents=True, exist_ok=True)
        elif keyword == "COPY":
            _copy(tree, shlex.split(rest))
        elif keyword == "ENV":
            for pair in shlex.split(rest):
                name, _, value = pair.partition("=")
                tree.env[name] = value
        elif keyword == "USER":
            tree.user = int(rest)
        elif keyword == "CMD":
            tree.cmd = __import__("json").loads(rest) if rest.startswith("[") else rest
        elif keyword == "RUN":
            for step in re.split(r"\s*&&\s*", rest):
                made = re.match(r"^install -d -o (\d+) -g (\d+) (.+)$", step)
                if made:
                    for inside in made.group(3).split():
                        tree.path(inside).mkdir(parents=True, exist_ok=True)
                        tree.owned.append(tree.path(inside))
                elif not _INSTALL_RUN.match(step):
                    raise AssertionError(f"{dockerfile.name}: RUN step the tests do not model: {step!r}")
        else:
            raise AssertionError(f"{dockerfile.name}: instruction the tests do not model: {keyword}")
    return tree


def give_to_user(tree: ImageTree) -> None:
    """Makes the tree what the image's user sees: root-owned, except what the image gives them."""
    if os.geteuid() != 0 or tree.user is None:
        return
    for path in tree.owned:
        for entry in [path, *path.rglob("*")]:
            os.chown(entry, tree.user, tree.user)


def as_user(tree: ImageTree) -> list[str]:
    """The prefix that runs a command as the image's user (when the tests run as root)."""
    if os.geteuid() != 0 or tree.user is None:
        return []
    return ["setpriv", f"--reuid={tree.user}", f"--regid={tree.user}", "--clear-groups"]


def user_can_run(tree: ImageTree, python: Path) -> bool:
    """Whether the image's user can run this interpreter with its worker processes (Sanic spawns them
    from ``sys.executable``). The shared environments' interpreter may live under a home directory the
    image's user cannot enter (pyenv in /root); an image's /usr/local/bin/python has no such limit."""
    if not as_user(tree):
        return True
    check = "import os, sys; sys.exit(0 if os.access(os.path.realpath(sys.executable), os.X_OK) else 1)"
    return subprocess.run([*as_user(tree), str(python), "-c", check], capture_output=True).returncode == 0


def user_can_write(tree: ImageTree, inside: str) -> bool:
    """Whether the image's user can create a file in this directory of the image."""
    if not as_user(tree):
        return True
    probe = tree.path(inside) / ".write-probe"
    done = subprocess.run([*as_user(tree), "touch", str(probe)], capture_output=True).returncode == 0
    probe.unlink(missing_ok=True)
    return done
