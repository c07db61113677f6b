"""zonestudy.io.load_raw on a tiny data package written in a temporary folder (no project data)."""

import json

import pytest

from zonestudy import io


@pytest.fixture()
def package(tmp_path):
    (tmp_path / "counts.csv").write_text("zone,projects\nA,3\nB,\n", encoding="utf-8")
    entry = io.describe_resource(tmp_path / "counts.csv")
    entry["schema"] = {"fields": [{"name": "zone", "type": "string", "constraints": {"required": True}},
                                  {"name": "projects", "type": "integer", "unit": "projects"}],
                       "primaryKey": "zone"}
    (tmp_path / io.DATAPACKAGE).write_text(json.dumps({"resources": [entry]}), encoding="utf-8")
    return tmp_path


def test_a_declared_table_loads_typed_with_units(package):
    frame = io.load_raw("counts", raw_dir=package)
    assert frame["zone"].tolist() == ["A", "B"]
    assert frame["projects"].iloc[0] == 3 and frame["projects"].isna().iloc[1]
    assert frame.attrs["units"] == {"projects": "projects"}


def test_an_edited_cell_is_refused_with_its_row_column_and_value(package):
    path = package / "counts.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("A,3", "A,3个"), encoding="utf-8")
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("counts", raw_dir=package)
    assert any(p.row == 2 and p.column == "projects" and p.value == "3个" for p in excinfo.value.problems)


def test_an_unknown_resource_names_the_declared_ones(package):
    with pytest.raises(KeyError, match="declared: counts"):
        io.load_raw("nope", raw_dir=package)
