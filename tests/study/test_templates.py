"""The templates in data/templates have the layout of their family and an example row that validates."""

import shutil

import pytest

from zonestudy import io, paths

TEMPLATES = paths.project_root() / "data" / "templates"


def schema_columns(family):
    [model] = [r for r in io.read_datapackage()["resources"] if r.get("zonestudy", {}).get("family") == family][:1]
    return [f["name"] for f in model["schema"]["fields"]]


@pytest.mark.parametrize("family", ["campaign_facts", "sources"])
def test_template_header_is_the_family_layout(family):
    header = (TEMPLATES / f"{family}_template.csv").read_text(encoding="utf-8").split("\n")[0].split(",")
    assert header == schema_columns(family)


def test_template_rows_are_accepted_by_add(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.raw_dir(), raw)
    shutil.copy(TEMPLATES / "campaign_facts_template.csv", raw / "campaign_facts_example.csv")
    shutil.copy(TEMPLATES / "sources_template.csv", raw / "sources_example.csv")
    io.add_files([raw / "campaign_facts_example.csv", raw / "sources_example.csv"], raw_dir=raw)
    facts = io.load_raw("campaign_facts_example", raw_dir=raw)
    assert facts["fact_id"].tolist() == ["SX25-F0001"] and facts["value"].tolist() == [300]
