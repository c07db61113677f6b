"""The README's add-a-round recipe: a new campaign-facts file, dropped into data/raw and declared with
``python -m zonestudy add``, flows through the rebuild into the clean tables, the figures and the findings.

Rebuilds, on a copy of the project in a temporary folder, the notebooks that the new round reaches
and that this test reads: 02 (clean tables), 03 (province lists and flow ratios) and 06 (findings);
the outputs of 01, 04 and 05 are kept as copied. The round below is made up for the test; it never
enters the project's data.
"""

import os
import shutil
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from zonestudy import io, paths

ROOT = paths.project_root()
HEADER = (ROOT / "data" / "raw" / "campaign_facts_shanxi.csv").read_text(encoding="utf-8").split("\n")[0]
NEW_SOURCES = (
    "source_id,family,url,title,outlet,pub_date,notes\n"
    "T25-S001,shanxi_campaign,https://example.org/shanxi-2025-round-1,test round,test outlet,2025-03-01,"
    "made-up source for the add-a-round test\n"
)
NEW_FACTS = HEADER + "\n" + "\n".join(
    f"T25-F000{i},T25-S001,山西省,三个一批 (全省开发区),2025年第一次,2025-02-28,province,山西省,{stage},none,,"
    f"{measure},{text},{value},{unit},exact,made-up test row"
    for i, (stage, measure, text, value, unit) in enumerate([
        ("sign", "projects", "500个", 500, "个"), ("start", "projects", "450个", 450, "个"),
        ("produce", "projects", "400个", 400, "个"), ("sign", "investment", "3000亿元", 3000, "亿元"),
        ("start", "investment", "1500亿元", 1500, "亿元"), ("produce", "investment", "600亿元", 600, "亿元"),
    ], start=1)
) + "\n"


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    root = tmp_path_factory.mktemp("study")
    shutil.copy(ROOT / "zonestudy.toml", root)
    for folder in ("data", "notebooks", "figures"):
        shutil.copytree(ROOT / folder, root / folder)
    raw = root / "data" / "raw"
    (raw / "sources_shanxi_2025r1.csv").write_text(NEW_SOURCES, encoding="utf-8")
    (raw / "campaign_facts_shanxi_2025r1.csv").write_text(NEW_FACTS, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "zonestudy", "add", str(raw / "campaign_facts_shanxi_2025r1.csv"),
                    str(raw / "sources_shanxi_2025r1.csv"), "--raw-dir", str(raw)],
                   capture_output=True, text=True, check=True)
    env = {**os.environ, paths.ROOT_ENV_VAR: str(root)}
    build = subprocess.run([sys.executable, "-m", "zonestudy.study", "build", "--only", "2", "3", "6"],
                           cwd=root, env=env,
                           capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stderr[-3000:]
    return root


def test_new_round_is_in_the_clean_tables(rebuilt):
    clean = io.load_clean("campaign_facts", clean_dir=rebuilt / "data" / "clean")
    new = clean[clean["fact_id"].str.startswith("T25-")]
    assert len(new) == 6
    assert set(zip(new["year"], new["round_no"])) == {(2025, 1)}
    assert new.loc[new["measure"] == "investment", "value_cny"].sum() == pytest.approx(5.1e11)


def test_new_round_changes_the_figures_and_tables(rebuilt):
    for name in ("fig01_province_lists_by_round.png", "fig01_province_lists_by_round.pdf"):
        assert (rebuilt / "figures" / name).read_bytes() != (ROOT / "figures" / name).read_bytes()
    table = pd.read_csv(rebuilt / "figures" / "tables" / "tab01_province_lists_and_flow_ratios.csv")
    assert table.astype(str).apply(lambda col: col.str.contains("2025")).any().any()
    catalogue = pd.read_csv(rebuilt / "figures" / "catalogue.csv")
    assert "T25-S001" in catalogue.set_index("name").loc["fig01_province_lists_by_round", "sources"]


def test_new_round_reaches_the_findings(rebuilt):
    notebook = nbformat.read(rebuilt / "notebooks" / "06_findings.ipynb", as_version=4)
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for c in notebook.cells for o in c.get("outputs", []))
    assert "2025" in text  # the new year reaches the province-lists finding
    assert "T25-S001" in text
