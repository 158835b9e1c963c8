"""The layout rules of ARCHITECTURE.md, checked on the source with an AST walk.

Each package sits in one layer; a module may import its own package, the root
utilities and packages of lower layers, never one of a higher layer. Core
packages never import a terminal or command-line library. Imports inside
functions (lazy imports) count as much as those at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "svcdiag"

#: Lowest first. A package may import only packages in earlier layers.
LAYERS: list[set[str]] = [
    {"models"},
    {"source"},
    {"lint"},
    {"definitions"},
    {"assess"},
    {"stats"},
    {"diagnosis"},
    {"engagement"},
    {"survey"},
    {"render"},
    {"cli"},
]
#: Modules at the package root anyone may import.
UTILITIES = {"errors", "console", "atomicio", "serialise", "slugs", "textsafe"}
#: The entry points, above everything.
ENTRY = {"__main__", "__init__"}
CORE = {
    "models",
    "source",
    "lint",
    "definitions",
    "assess",
    "stats",
    "diagnosis",
    "engagement",
    "survey",
}
TERMINAL_LIBS = {"typer", "rich", "questionary", "prompt_toolkit", "click"}
#: The one adapter in a core package allowed to talk to the terminal.
TERMINAL_ADAPTERS = {"svcdiag.assess.prompting"}
MAX_ROOT_MODULES = 8


def layer_of(package: str) -> int:
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    raise AssertionError(f"package {package!r} is in no layer of ARCHITECTURE.md")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "svcdiag":
                found.extend((node.lineno, f"svcdiag.{alias.name}") for alias in node.names)
    return found


MODULES = sorted(SRC.rglob("*.py"))


def violations(name: str, source: str) -> list[str]:
    """Return the imports of module ``name`` (with text ``source``) that break the rules."""
    parts = name.split(".")
    problems: list[str] = []
    own = parts[1] if len(parts) > 1 and (SRC / parts[1]).is_dir() else None
    for line, imported in imports_of(source):
        top = imported.split(".")[0]
        where = f"{name}:{line}"
        if own in CORE and top in TERMINAL_LIBS and name not in TERMINAL_ADAPTERS:
            problems.append(f"{where}: core package {own!r} imports {imported}")
        if top != "svcdiag" or own is None:
            continue
        target = imported.split(".")
        if len(target) < 2:
            continue
        target_package = target[1]
        if target_package in UTILITIES | {"__version__"} or target_package == own:
            continue
        if not (SRC / target_package).is_dir():
            continue
        if layer_of(target_package) >= layer_of(own):
            problems.append(
                f"{where}: {own!r} (layer {layer_of(own)}) imports {imported} "
                f"(layer {layer_of(target_package)})"
            )
    return problems


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_follow_the_layers(path: Path) -> None:
    assert violations(module_name(path), path.read_text(encoding="utf-8")) == []


def test_every_package_is_in_a_layer_and_documents_its_rules() -> None:
    for package in sorted(p for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__"):
        layer_of(package.name)
        init = package / "__init__.py"
        assert init.exists(), f"{package.name} has no __init__.py"
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring, f"{package.name}/__init__.py has no docstring"


def test_few_modules_loose_in_the_package_root() -> None:
    loose = sorted(p.name for p in SRC.glob("*.py"))
    assert len(loose) <= MAX_ROOT_MODULES, loose
    assert {p[:-3] for p in loose} <= UTILITIES | ENTRY


def test_the_rule_catches_forbidden_imports() -> None:
    """The walk must see a forbidden import, lazy or not, or the tests above prove nothing."""
    source = "import rich\n\ndef f():\n    from svcdiag.render import rich_stats\n"
    problems = violations("svcdiag.stats.funnel", source)
    assert problems == [
        "svcdiag.stats.funnel:1: core package 'stats' imports rich",
        "svcdiag.stats.funnel:4: 'stats' (layer 5) imports svcdiag.render (layer 9)",
    ]
    assert violations("svcdiag.render.rich_stats", source) == []
    assert violations("svcdiag.assess.prompting", "import questionary\n") == []
    assert violations("svcdiag.assess.flow", "import questionary\n") != []
