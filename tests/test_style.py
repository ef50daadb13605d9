"""The code base stays ruff-clean (part of the one test command CI runs)."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    done = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def _docstring_lines(tree: ast.AST) -> set:
    lines = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(getattr(body[0], "value", None), ast.Constant) \
                and isinstance(body[0].value.value, str):
            lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return lines


def test_engine_knows_nothing_of_codex_or_antseed():
    """doctor/ is the generic engine; all domain knowledge lives in checks/ (prose aside)."""
    offenders = []
    for path in (ROOT / "doctor").rglob("*.py"):
        source = path.read_text()
        skip = _docstring_lines(ast.parse(source))
        for number, line in enumerate(source.lower().splitlines(), 1):
            code = line.split("#", 1)[0].replace("antseed-doctor", "").replace("antseed_doctor", "")
            if number not in skip and any(w in code for w in ("codex", "antseed", "8377")):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_checks_do_not_print_or_render():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "checks").rglob("*.py")
                 if "print(" in p.read_text() or "doctor.render" in p.read_text()
                 or "import click" in p.read_text()]
    assert offenders == []
