"""The two layers: the core never imports the study, and no module imports another's private names."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import zonestudy

PACKAGE = Path(zonestudy.__file__).resolve().parent
CORE = sorted(p for p in PACKAGE.rglob("*.py") if "study" not in p.relative_to(PACKAGE).parts)
ALL = sorted(PACKAGE.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path):
    """(imported module, imported names, line) for every import statement of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module]) if module else ".".join(base)
            yield module, [a.name for a in node.names], node.lineno


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_the_layout_has_both_layers():
    assert len(CORE) > 10 and len(ALL) > len(CORE)


def test_core_never_imports_the_study():
    offending = []
    for path in CORE:
        for module, names, line in _imports(path):
            targets = [module, *(f"{module}.{n}" for n in names)]
            if any(t == "zonestudy.study" or t.startswith("zonestudy.study.") for t in targets):
                offending.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    assert not offending, offending


def test_no_module_imports_another_modules_private_names():
    offending = []
    for path in ALL:
        for module, names, line in _imports(path):
            if not module.startswith("zonestudy"):
                continue
            for name in names:
                if _is_private(name):
                    offending.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}.{name}")
    assert not offending, offending


def test_no_module_reads_a_private_attribute_of_another_zonestudy_module():
    offending = []
    for path in ALL:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("zonestudy"):
                aliases |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                aliases |= {(a.asname or a.name).split(".")[0] for a in node.names
                            if a.name.startswith("zonestudy")}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _is_private(node.attr)
                    and isinstance(node.value, ast.Name) and node.value.id in aliases):
                offending.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} reads "
                                 f"{node.value.id}.{node.attr}")
    assert not offending, offending


def test_public_face_names_no_study_module():
    assert "study" not in zonestudy.__all__
    study_modules = {"pipeline", "structure", "peers", "findings", "tables", "coverage", "build",
                     "vocabulary"}
    assert not study_modules & set(zonestudy.__all__)
    for name in zonestudy.__all__:
        assert getattr(zonestudy, name) is not None


def test_importing_the_whole_core_loads_no_study_module():
    core_modules = [_module_name(p) for p in CORE if p.name != "__main__.py"]
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules!r}:\n"
        "    importlib.import_module(name)\n"
        "import zonestudy\n"
        "[getattr(zonestudy, n) for n in zonestudy.__all__]\n"
        "import zonestudy.__main__\n"
        "print(sorted(m for m in sys.modules if m.startswith('zonestudy.study')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
