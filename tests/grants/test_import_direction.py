"""Imports run one way: ccpt.lib <- the audit trail and background work <- consortia <- the workflow engine <-
programs <- applications and the set-aside <- reviews <- awards <- reporting <- payments <- outcomes <- what assembles
them (dashboard, demo, URLs, settings). Tasks import services, never the reverse."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (package prefix, layer); the longest prefix that matches a module is its place.
LAYERS = [
    ("ccpt.lib", 0),
    ("ccpt.formats", 0),
    ("ccpt.audit", 0.5),  # the audit trail and background work: every app writes to them
    ("ccpt.background", 0.6),
    ("consortia", 1),
    ("grants.models", 2),
    ("grants.workflow", 2),
    ("grants.programs", 3),
    ("grants.setaside", 4),
    ("grants.applications", 4),
    ("grants.reviews", 5),
    ("grants.conversations", 5.5),  # messages and clarifications: readers' access is the reviews app's
    ("grants.search", 5.5),  # reads applications and asks reviews' rules
    ("grants.interviews", 5.7),  # finalist interviews: a stage of reviews' scoring, with its conflict rules
    ("grants.awards", 6),
    ("grants.appeals", 6.2),  # appeals on published results: reads reviews, makes awards' plans fund the upheld
    ("grants.reporting", 6.5),
    ("grants.payments", 6.6),
    ("grants.outcomes", 6.8),  # the outcomes across consortia: reports and payments together
    ("grants", 7),  # the dashboard, demo data, admin of the record
    ("ccpt", 8),  # settings, URLs, the Celery app
]
# Apps of the same layer are peers: neither imports the other.


# The engine and its record of changes are one place.
SAME_PLACE = {"grants.models": "grants.workflow"}


def _place(module: str) -> tuple[str, int] | None:
    for prefix, layer in sorted(LAYERS, key=lambda item: -len(item[0])):
        if module == prefix or module.startswith(prefix + "."):
            return SAME_PLACE.get(prefix, prefix), layer
    return None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, task_names: bool = True):
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names]
            yield node.lineno, next((n for n in names if _is_module(n)), base)
        elif task_names and isinstance(node, ast.Constant) and _names_a_task(node.value):
            yield node.lineno, node.value.rpartition(".")[0]  # a task named for ccpt.background later()


def _names_a_task(value) -> bool:
    return isinstance(value, str) and value.startswith(("grants.", "consortia.")) and ".tasks." in value


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _sources():
    for top in ("ccpt", "consortia", "grants"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _against(module: str, imported: str) -> bool:
    here, there = _place(module), _place(imported)
    if here is None or there is None or here[0] == there[0]:
        return False
    return there[1] > here[1] or (there[1] == here[1] and there[0] != here[0])


def test_imports_run_one_way():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in _sources()
        for line, imported in _imports(path)
        if _against(_module_name(path), imported)
    ]
    assert wrong == []


def test_the_check_catches_imports_against_the_direction():
    assert _against("grants.programs.services", "grants.reviews.models")
    assert _against("grants.applications.views.applications", "grants.setaside.models")  # peers
    assert _against("ccpt.lib.money", "consortia.models")
    assert _against("grants.workflow", "grants.programs.models")
    assert not _against("grants.awards.services.approval", "grants.programs.models")
    assert not _against("grants.reviews.rules", "grants.applications.rules")


def test_services_never_import_tasks():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in _sources()
        if "services" in path.parts
        for line, imported in _imports(path, task_names=False)
        if imported.endswith(".tasks") or ".tasks." in imported
    ]
    assert wrong == []
