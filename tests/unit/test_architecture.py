"""The layering rules of docs/architecture.md, checked on the source so that they stay true.

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a lazy
import is still a dependency, and a type-only one still couples the modules for a reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "bmx_console"
MAX_LINES = 800


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = modules()


def imported(name: str, path: Path) -> Iterator[str]:
    """Every module ``name`` imports (absolute names, relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield module
            # ``from bmx_console.ui import icons`` imports the module ``icons``.
            yield from (f"{module}.{alias.name}" for alias in node.names)


def internal_graph() -> dict[str, set[str]]:
    return {
        name: {m for m in imported(name, path) if m in MODULES and m != name}
        for name, path in MODULES.items()
    }


def top(module: str) -> str:
    return module.split(".")[0]


def within(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_there_is_no_import_cycle() -> None:
    graph = internal_graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


FOUNDATION = (
    "bmx_console.errors",
    "bmx_console.clock",
    "bmx_console.logs",
    "bmx_console.private_files",
    "bmx_console.terminal_text",
)
FORBIDDEN_IN_CORE = ("PySide6", "shiboken6", "keyring", "httpx", "platformdirs", "argparse")


def offending(
    prefix: str, allowed: tuple[str, ...], forbidden: tuple[str, ...]
) -> list[tuple[str, str]]:
    """(module, import) pairs of the modules under ``prefix`` that import something of the
    console outside ``allowed``, or any of the ``forbidden`` libraries."""
    found = []
    for name, path in MODULES.items():
        if not within(name, prefix):
            continue
        for module in imported(name, path):
            internal = module in MODULES and module != "bmx_console"
            if within(module, *forbidden) or (internal and not within(module, *allowed)):
                found.append((name, module))
    return found


def test_the_core_is_pure() -> None:
    """core/ is the console's logic: it runs the same under Qt, on the command line and in
    tests, so it imports no toolkit, no keyring, no network library and no file locations."""
    allowed = ("bmx_console.core", "bmx_console.api", *FOUNDATION)
    assert offending("bmx_console.core", allowed, FORBIDDEN_IN_CORE) == []


def test_the_api_layer_imports_nothing_above_it() -> None:
    assert offending("bmx_console.api", ("bmx_console.api", *FOUNDATION), ("PySide6",)) == []


def test_the_foundation_imports_nothing_of_the_console() -> None:
    for module in FOUNDATION:
        assert offending(module, FOUNDATION, ("PySide6", "httpx", "keyring")) == []


@pytest.mark.parametrize(
    "forbidden",
    [
        "bmx_console.connect",
        "bmx_console.secrets",
        "bmx_console.sim",
        "bmx_console.cli",
        "bmx_console.cli_commands",
        "bmx_console.app",
        "bmx_console.desk",
        "bmx_console.services",
        "bmx_console.probes",
    ],
)
def test_no_widget_module_reaches_the_composition_root(forbidden: str) -> None:
    """Widgets get callables from the composition root; they never build connections, read
    the keyring or start the simulator themselves."""
    users = [
        name
        for name, path in MODULES.items()
        if within(name, "bmx_console.ui")
        and any(within(m, forbidden) for m in imported(name, path))
    ]
    assert users == []


def test_no_module_is_over_800_lines() -> None:
    long = {
        name: count
        for name, path in MODULES.items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_rules_see_function_level_and_type_only_imports(tmp_path: Path) -> None:
    """The checker itself: an import inside a function or under TYPE_CHECKING counts."""
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bmx_console.secrets import SecretStore\n"
        "def f():\n    import bmx_console.connect\n",
        encoding="utf-8",
    )
    assert {"bmx_console.secrets", "bmx_console.connect"} <= set(
        imported("bmx_console.ui.m", source)
    )
