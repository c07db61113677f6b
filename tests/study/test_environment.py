"""environment.yml, pyproject.toml and the lock file must agree on the package list."""

import re
import tomllib

from zonestudy import paths

ROOT = paths.project_root()
CONDA_ONLY = {"python", "pip", "make"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in ("test", "notebooks"):
        names |= {_name(r) for r in project["optional-dependencies"][extra]}
    return names


def environment_yml():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    conda, pip = set(), []
    section = None
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if re.match(r"^\S", stripped):
            section = stripped.rstrip(":")
            continue
        item = re.match(r"^\s+-\s+(.*)$", stripped)
        if section == "dependencies" and item:
            value = item.group(1).strip()
            if value == "pip:":
                continue
            if line.startswith("      -"):
                pip.append(value)
            else:
                conda.add(_name(value))
    return conda, pip


def test_environment_yml_lists_the_pyproject_packages():
    conda, _ = environment_yml()
    assert conda - CONDA_ONLY == pyproject_packages()


def test_environment_yml_installs_the_package_editable():
    _, pip = environment_yml()
    assert pip == ["-e ."]


def test_environment_yml_uses_conda_forge_only():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    channels = re.search(r"channels:\n((?:\s+-\s+\S+\n)+)", text).group(1)
    assert [c.strip(" -") for c in channels.strip().splitlines()] == ["conda-forge"]


def test_lock_pins_every_direct_dependency_exactly():
    pinned = {}
    for line in (ROOT / "requirements-lock.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line:
            name, version = line.split("==")
            pinned[_name(name)] = version
    missing = pyproject_packages() - set(pinned)
    assert not missing, f"not pinned in requirements-lock.txt: {sorted(missing)}"
