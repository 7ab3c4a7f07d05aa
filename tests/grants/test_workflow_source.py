"""Every status change goes through grants.workflow.transition(): no other code in the apps assigns a status."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "grants" / "workflow.py"


def _sources():
    for top in ("ccpt", "consortia", "grants"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts and path != ENGINE:
                yield path


def _status_writes(tree: ast.AST):
    """(line, what) of every place that sets a `status` attribute or column."""
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr == "status":
                    yield node.lineno, "assigns .status"
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            keywords = {k.arg for k in node.keywords}
            if name == "update" and "status" in keywords:
                yield node.lineno, "update(status=...)"
            if name == "setattr" and len(node.args) > 1 and getattr(node.args[1], "value", None) == "status":
                yield node.lineno, "setattr(..., 'status', ...)"
            if name == "bulk_update" and any("status" in ast.unparse(arg) for arg in node.args[1:]):
                yield node.lineno, "bulk_update(..., ['status'])"


def test_no_code_outside_the_engine_assigns_a_status():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _sources()
        for line, what in _status_writes(ast.parse(path.read_text(), filename=str(path)))
    ]
    assert found == []


def test_the_check_finds_each_way_of_writing_a_status():
    code = """
award.status = "closed"
award.status: str = "closed"
Award.objects.filter(pk=1).update(status="closed")
setattr(award, "status", "closed")
Award.objects.bulk_update(awards, ["status"])
"""
    assert [what for _, what in _status_writes(ast.parse(code))] == [
        "assigns .status",
        "assigns .status",
        "update(status=...)",
        "setattr(..., 'status', ...)",
        "bulk_update(..., ['status'])",
    ]
