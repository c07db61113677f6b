"""requires-python agrees with the lock: every locked package installs on the declared minimum Python."""

import tomllib
from importlib import metadata

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from zonestudy import paths

ROOT = paths.project_root()


def declared_minimum() -> Version:
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    [clause] = [c for c in SpecifierSet(spec) if c.operator == ">="]
    return Version(clause.version)


def locked():
    for line in (ROOT / "requirements-lock.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            yield name.strip(), version.strip()


def test_every_locked_package_supports_the_minimum_python():
    minimum = declared_minimum()
    checked, problems = 0, []
    for name, version in locked():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if dist.version != version:
            continue  # another version installed: its metadata says nothing about the locked one
        requires = dist.metadata.get("Requires-Python")
        checked += 1
        if requires and minimum not in SpecifierSet(requires):
            problems.append(f"{name}=={version} requires Python {requires}")
    if checked == 0:
        pytest.skip("none of the locked versions is installed")
    assert not problems, f"requires-python >={minimum} in pyproject.toml is too low: {problems}"


def test_environment_yml_asks_for_the_same_minimum_python():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert f"  - python>={declared_minimum()}\n" in text
