"""No province, city or zone name is typed into the core's code (issue 9).

The core library knows places only through its bundled tables (``zonestudy/data/*.csv``); the
study's names live in ``data/raw`` and ``data/reference``. Docstrings may name places in their
explanations and examples. The zone names come from the study's registry, hence this file sits
with the study's tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import zonestudy
from zonestudy import io
from zonestudy.zones import admin_divisions

PACKAGE = Path(zonestudy.__file__).resolve().parent
CORE = sorted(p for p in PACKAGE.rglob("*.py") if "study" not in p.relative_to(PACKAGE).parts)


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (first statement of a module, class or def),
    or bare strings standing as statements (attribute docstrings)."""
    ids = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for statement in body:
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
                        and isinstance(statement.value.value, str):
                    ids.add(id(statement.value))
    return ids


def string_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal of ``source`` that is not a docstring."""
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def offending(names: set[str], paths: list[Path] = CORE) -> list[str]:
    """One line per non-docstring literal of ``paths`` that holds one of ``names``."""
    found = []
    for path in paths:
        for line, text in string_literals(path.read_text(encoding="utf-8")):
            hits = sorted(n for n in names if n in text)
            if hits:
                where = path.relative_to(PACKAGE.parent if PACKAGE in path.parents else path.parents[1])
                found.append(f"{where.as_posix()}:{line} {', '.join(hits)} in {text[:60]!r}")
    return found


def _place_names() -> set[str]:
    table = admin_divisions()
    names = set(table["name"]) | set(table["short_name"].dropna())
    for column in ("other_names", "former_names"):
        for cell in table[column].dropna():
            names |= {n for n in cell.split(";") if n}
    return names


def _zone_names() -> set[str]:
    names: set[str] = set()
    for resource in ("zones_national_etdz", "zones_national_hitech", "zones_shanxi"):
        table = io.load_raw(resource)
        for column in ("zone_name", "short_name"):
            if column in table:
                names |= {n for n in table[column].dropna() if len(n) >= 2}
    return names


def test_the_scanner_sees_literals_and_skips_docstrings():
    source = 'def f():\n    """太原市 in a docstring."""\n    return "运城市"\n'
    assert string_literals(source) == [(3, "运城市")]


def test_the_scanner_flags_a_typed_city_but_not_a_docstring(tmp_path):
    module = tmp_path / "zonestudy" / "bad.py"
    module.parent.mkdir()
    module.write_text('"""About 襄樊."""\nCITY = "襄樊"\n', encoding="utf-8")
    assert offending({"襄樊", "运城"}, [module]) == ["zonestudy/bad.py:2 襄樊 in '襄樊'"]


def test_no_province_or_city_literal_in_the_core():
    assert offending(_place_names()) == []


def test_no_zone_literal_in_the_core():
    names = _zone_names()
    assert len(names) > 100
    assert offending(names) == []
