"""Standard tools accept the data packages: ``frictionless validate`` passes on data/raw (and data/clean)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import validate

from zonestudy import io, paths


def _errors(report):
    return [f"{e.get('resourceName', '')} row {e.get('rowNumber')}: {e.get('message')}"
            for task in report.to_descriptor().get("tasks", []) for e in task.get("errors", [])] + [
        e.get("message") for e in report.to_descriptor().get("errors", [])]


def test_raw_package_is_valid_for_frictionless():
    report = validate(str(paths.raw_dir() / io.DATAPACKAGE))
    assert report.valid, _errors(report)[:20]


def test_frictionless_command_line_exits_0_on_raw():
    command = shutil.which("frictionless", path=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    assert command, "the frictionless command is installed with the package"
    done = subprocess.run([command, "validate", io.DATAPACKAGE], cwd=paths.raw_dir(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]


def test_every_resource_declares_its_csv_dialect():
    descriptor = json.loads((paths.raw_dir() / io.DATAPACKAGE).read_text(encoding="utf-8"))
    assert all(r.get("dialect") == io.CSV_DIALECT for r in descriptor["resources"])


def test_no_list_valued_cells_remain():
    descriptor = json.loads((paths.raw_dir() / io.DATAPACKAGE).read_text(encoding="utf-8"))
    text = json.dumps(descriptor)
    assert "listSeparator" not in text
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        if isinstance(schema, str):
            schema = json.loads((paths.raw_dir() / schema).read_text(encoding="utf-8"))
        assert "source_ids" not in [f["name"] for f in schema["fields"]], resource["name"]


def test_standard_tools_catch_a_broken_link(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.raw_dir(), raw)
    path = raw / "zones_shanxi_sources.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("REG-NBS-CODES", "REG-NOWHERE", 1), encoding="utf-8")
    report = validate(str(raw / io.DATAPACKAGE))
    assert not report.valid
    assert any("REG-NOWHERE" in message for message in _errors(report))


def test_clean_package_is_valid_for_frictionless():
    descriptor = paths.clean_dir() / io.DATAPACKAGE
    if not descriptor.is_file():
        pytest.fail("data/clean/datapackage.json is missing; run make reproduce")
    report = validate(str(descriptor))
    assert report.valid, _errors(report)[:20]
