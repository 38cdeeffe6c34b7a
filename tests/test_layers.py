"""The layers import downwards only: fields/choices/records < core (pure planning) and store < planner < cli, ui."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "imgtui"

# What each layer may import from imgtui (besides itself); a module in no layer here may import anything.
ALLOWED = {
    "core": {"records", "fields", "choices", "paths", "core", "practice_forms", "program_list", "site_documents"},
    "fields": set(),
    "choices": {"fields"},
    "records": {"fields", "choices", "paths", "practice_forms", "program_list", "site_documents"},
    "practice_forms": {"paths"},
    "program_list": {"fields", "choices"},
    "site_documents": {"fields"},
    "paths": set(),
    "storage": {"paths", "records"},
    "store": {"paths", "storage", "records"},
    "planner": {"core", "records", "store", "storage", "paths", "csvio", "drafts", "ics"},
    "drafts": {"records", "paths"},
    "csvio": {"core", "records", "store", "paths"},
    "ics": {"core", "records", "paths"},
}


def imported(path: Path) -> set[str]:
    """The imgtui modules a file imports, as their first name under imgtui ('core', 'store', ...)."""
    tree = ast.parse(path.read_text())
    here = path.relative_to(PACKAGE).parts
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module and node.module.startswith("imgtui."):
                    names.add(node.module.split(".")[1])
                continue
            base = list(here[: len(here) - node.level])
            parts = base + (node.module.split(".") if node.module else [])
            if parts:
                names.add(parts[0].removesuffix(".py"))
            else:  # "from . import records" (a module), or a name of the package's __init__
                for alias in node.names:
                    is_module = (PACKAGE / alias.name).is_dir() or (PACKAGE / f"{alias.name}.py").exists()
                    names.add(alias.name if is_module else "__init__")
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("imgtui."))
    return names


def layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def test_every_module_imports_only_from_the_layers_below() -> None:
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        name = layer(path)
        if name in ALLOWED:
            extra = imported(path) - ALLOWED[name] - {name, "__init__"}
            if extra:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {sorted(extra)}")
    assert not wrong


def test_the_planning_core_is_free_of_textual_and_tinydb() -> None:
    for path in (PACKAGE / "core").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.append(node.module)
            for module in modules:
                assert module.split(".")[0] not in ("textual", "tinydb", "rich"), f"{path.name} imports {module}"


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    """The checker itself: a core module importing the store is caught."""
    core = PACKAGE / "core" / "overview.py"
    assert "store" not in imported(core)
    fake = PACKAGE / "core" / "_layer_probe.py"
    fake.write_text("from ..store import Store\n")
    try:
        assert "store" in imported(fake) - ALLOWED["core"]
    finally:
        fake.unlink()
