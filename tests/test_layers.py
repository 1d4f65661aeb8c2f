"""The layers keep their places: imports point down (ui -> services -> store -> domain), no
module-level import forms a circle, and nothing in ui/ reaches the store or a session."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "jingyuan_desktop"
LAYERS = {"domain": 0, "store": 1, "services": 2, "ui": 3}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def imports(path: Path, *, top_level_only: bool) -> set[str]:
    """The project modules ``path`` imports; with ``top_level_only``, those run at import time
    (not inside functions, not under ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    known = modules()
    return {name for name in found if name.startswith("jingyuan_desktop") and name in known}


def layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_the_module_graph_has_no_circle():
    graph = {name: imports(path, top_level_only=True) - {name} for name, path in modules().items()}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    circles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            # A package importing its own submodules (re-exports) is not a circle of meaning.
            if target.startswith(node + "."):
                continue
            if state.get(target) == 1:
                circles.append([*trail[trail.index(target):], target] if target in trail else [node, target])
            elif state.get(target) is None:
                visit(target, [*trail, target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_imports_point_down(name):
    own = layer(name)
    if own is None:  # cli.py, log.py and the package itself sit beside the layers
        return
    upward = [target for target in imports(modules()[name], top_level_only=False)
              if (layer(target) or 0) > own]
    assert upward == []


def test_no_ui_module_imports_the_store_or_sqlalchemy_or_opens_a_session():
    offenders = []
    for name, path in modules().items():
        if layer(name) != LAYERS["ui"]:
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and (
                    node.module.startswith("jingyuan_desktop.store") or node.module.startswith("sqlalchemy")):
                offenders.append(f"{name}: from {node.module}")
            elif isinstance(node, ast.Import) and any(
                    a.name.startswith(("jingyuan_desktop.store", "sqlalchemy")) for a in node.names):
                offenders.append(f"{name}: import")
            elif isinstance(node, ast.Attribute) and node.attr == "session":
                offenders.append(f"{name}: .session")
    assert offenders == []


def test_the_command_line_goes_through_the_services_only():
    cli = PACKAGE / "cli.py"
    store_imports = [target for target in imports(cli, top_level_only=False) if layer(target) == LAYERS["store"]]
    assert store_imports == []
    assert "._calendar" not in cli.read_text(encoding="utf-8")
