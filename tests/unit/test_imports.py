"""The house plan of shop/ and actions/: every module imports, no import cycles, no hidden ones.

A cycle between two modules used to be hidden by moving one of the imports into a function, where it
runs later; the code then works only in some import orders and the modules' dependencies are
unreadable. This test reads every module's imports from its AST (module level, ``TYPE_CHECKING`` and
inside functions alike, so that nothing can hide a cycle) and fails on a cycle, and on an import of
a shop/actions module inside a function unless ALLOWED_LAZY lists it with the reason. Lazy imports of
heavy third-party packages (torch, transformers, matplotlib) are not its business; each has a comment.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("shop", "actions")
# The Rasa server (Python 3.10, pydantic 1, no torch) imports rasa_ext/ and connectors/, and through
# them only the few shop modules its image copies (deploy/Dockerfile.rasa), which must stay free of
# the action server's dependencies.
RASA_SIDE = ("rasa_ext", "connectors")


def rasa_image_shop_modules() -> set[str]:
    """The shop modules deploy/Dockerfile.rasa copies (``COPY shop/__init__.py shop/pii.py ... shop/``)."""
    line = next(line for line in (REPO / "deploy" / "Dockerfile.rasa").read_text().splitlines()
                if line.startswith("COPY shop/"))
    return {_module_name(REPO / part) for part in line.split()[1:-1]}

# Function-level imports of the project's own modules that are lazy for a real reason:
# (importing module, imported module) -> why. Keep it short; a cycle is never a reason.
ALLOWED_LAZY: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules(packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Every module of ``packages`` (shop/ and actions/) by its dotted name."""
    return {_module_name(path): path for package in packages for path in sorted((REPO / package).rglob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    """The project modules an import statement loads (``from pkg import sub`` loads ``pkg.sub``)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level or not node.module:
        return set()  # relative imports: none in this project
    else:
        names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                 for alias in node.names]
    found = set()
    for name in names:
        # ``import shop.marketing.store`` names the deepest project module it loads.
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name:
            found.add(name)
    return found


def imports_of(path: Path, modules: dict[str, Path]) -> tuple[set[str], set[tuple[int, str]]]:
    """(module-level imports, function-level imports as (line, module)) of one file's project modules.

    Imports under ``if TYPE_CHECKING:`` count as module level here: they never run, but a cycle of
    types is still two modules that cannot be understood (or moved) one without the other.
    """
    top: set[str] = set()
    lazy: set[tuple[int, str]] = set()

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in _targets(child, modules):
                    if in_function:
                        lazy.add((child.lineno, target))
                    else:
                        top.add(target)
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return top, lazy


def import_graph(packages: tuple[str, ...] = PACKAGES) -> tuple[dict[str, set[str]], dict[str, set[tuple[int, str]]]]:
    """Every module's project imports (module level, type-only and inside functions: a cycle through
    any of them is a cycle), and the function-level ones with their lines."""
    modules = project_modules(packages)
    edges: dict[str, set[str]] = {}
    lazy: dict[str, set[tuple[int, str]]] = {}
    for name, path in modules.items():
        top, inner = imports_of(path, modules)
        edges[name] = (top | {target for _, target in inner}) - {name}
        lazy[name] = {(line, target) for line, target in inner if target != name}
    return edges, lazy


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def _describe(component: list[str], edges: dict[str, set[str]]) -> str:
    members = set(component)
    return "; ".join(f"{name} -> {', '.join(sorted(edges[name] & members))}" for name in component)


def test_no_import_cycles_between_shop_and_actions_modules():
    edges, _ = import_graph()
    found = cycles(edges)
    assert not found, "import cycles (counting function-level imports):\n" + "\n".join(
        _describe(component, edges) for component in found)


def test_no_function_level_imports_of_project_modules_without_a_reason():
    _, lazy = import_graph()
    unexplained = sorted(f"{name}:{line} imports {target}" for name, inner in lazy.items()
                         for line, target in inner if (name, target) not in ALLOWED_LAZY)
    assert not unexplained, "imports inside functions (hoist them, or add them to ALLOWED_LAZY with why):\n" + \
        "\n".join(unexplained)


def test_the_allow_list_has_no_stale_entries():
    _, lazy = import_graph()
    present = {(name, target) for name, inner in lazy.items() for _, target in inner}
    assert set(ALLOWED_LAZY) <= present, sorted(set(ALLOWED_LAZY) - present)


def test_the_checker_sees_a_cycle_hidden_in_a_function(tmp_path):
    (tmp_path / "a.py").write_text("from b import helper\n")
    (tmp_path / "b.py").write_text("import os\n\ndef helper():\n    from a import thing\n    return os, thing\n")
    (tmp_path / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n")
    modules = {name: tmp_path / f"{name}.py" for name in ("a", "b", "c")}
    assert imports_of(modules["a"], modules) == ({"b"}, set())
    assert imports_of(modules["b"], modules) == (set(), {(4, "a")})
    assert imports_of(modules["c"], modules) == ({"a"}, set())
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_from_a_package_import_a_submodule_is_an_edge_to_the_submodule():
    modules = project_modules()
    node = ast.parse("from shop.grounded import corpus, FLAG\nimport shop.marketing.store").body
    assert _targets(node[0], modules) == {"shop.grounded.corpus", "shop.grounded"}
    assert _targets(node[1], modules) == {"shop.marketing.store"}


def test_the_rasa_side_imports_only_the_shop_modules_its_image_has():
    modules = project_modules((*RASA_SIDE, "shop"))
    edges, _ = import_graph((*RASA_SIDE, "shop"))
    reached: set[str] = set()
    todo = [target for name in modules if name.startswith(RASA_SIDE) for target in edges[name]]
    while todo:
        name = todo.pop()
        if name.startswith("shop") and name not in reached:
            reached.add(name)
            todo.extend(edges.get(name, ()))
    allowed = rasa_image_shop_modules()
    assert {"shop.pii", "shop.language", "shop.messages"} <= allowed
    assert reached <= allowed, f"the Rasa side imports {sorted(reached - allowed)}, which its image lacks"


@pytest.mark.parametrize("name", sorted(project_modules()))
def test_every_module_imports(name):
    importlib.import_module(name)
