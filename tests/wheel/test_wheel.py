"""The core works from the wheel alone: build it, install it into a fresh environment outside the
repository, and run the README's own-data example, a small ledger and the place functions from a
temporary folder.

Offline: the wheel is built by the project environment's pip, the fresh environment has no pip and
sees the project environment's third-party packages through a ``.pth`` file (not its editable
zonestudy), and the wheel is installed with ``--no-index --no-deps``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LEDGER = textwrap.dedent("""
    import pandas as pd
    import zonestudy as zs

    ledger = pd.DataFrame({
        "project": ["A", "B", "C", "D"],
        "zone": ["运城经开区", "运城经开区", "阳泉高新区", "阳泉高新区"],
        "stage": ["签约", "开工", "签约", "投产"],
        "amount": ["1.5亿元", "5000万元", "约2亿元", "3亿元"],
    })
    parsed = zs.parse_quantity(ledger["amount"])
    ledger["investment_cny"] = parsed["value"]
    assert ledger["investment_cny"].tolist() == [1.5e8, 5e7, 2e8, 3e8], ledger
    assert parsed["qualifier"].tolist()[2] == "approx"
    shares = zs.structure_shares(ledger, by="zone", category="stage", weight="investment_cny")
    assert abs(shares.loc["运城经开区", "签约"] - 0.75) < 1e-12, shares
    print("LEDGER", zs.match_zones(ledger["zone"])["zone_id"].unique().tolist())
    rate = zs.cohort_rate(2, 4)
    print("RATE", round(float(rate["value"].iloc[0]), 3))
""")

PLACES = textwrap.dedent("""
    import pandas as pd
    import zonestudy as zs
    from zonestudy import paths

    try:
        paths.project_root()
    except paths.ProjectRootNotFound:
        print("NO PROJECT")
    print("FROM", zs.__file__)
    coerced = zs.match_zones(["运城经开区", "太原高新区", "苏州工业园区", "某某开发区"], errors="coerce")
    print("ZONES", coerced["zone_id"].tolist(), coerced["matched_by"].tolist())
    try:
        zs.match_zones(["某某开发区"])
    except zs.zones.ZoneMatchError as err:
        print("REFUSED", str(err).splitlines()[0])
    print("CITIES", zs.normalize_city(pd.Series(["温州", "温州市", "太原", "襄樊"])).tolist())
    try:
        zs.normalize_city("山西省")
    except zs.zones.UnknownPlaceError as err:
        print("NOT A CITY", err)
    facts = zs.datasets.load("campaign_facts")
    print("FACTS", len(facts), facts["source_id"].notna().all(), "value_cny" in facts.columns,
          sorted(zs.datasets.available()))
""")


def _run(python: Path, code: str, cwd: Path, env: dict) -> str:
    result = subprocess.run([str(python), "-c", code], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python of a fresh environment holding only the wheel's zonestudy, work folder, env)."""
    tmp = tmp_path_factory.mktemp("wheel")
    assert ROOT not in tmp.parents
    dist = tmp / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                            "-w", str(dist)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    [wheel] = dist.glob("zonestudy-*.whl")

    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "project_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "-q",
                    "--target", str(site), str(wheel)], check=True)

    work = tmp / "work"
    (work / "examples").mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "project_list.csv", work / "examples")
    env = {k: v for k, v in os.environ.items() if k not in ("ZONESTUDY_ROOT", "PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    return python, work, env


def test_the_wheel_is_what_runs(installed):
    python, work, env = installed
    out = _run(python, PLACES, work, env)
    assert "NO PROJECT" in out
    assert re.search(r"FROM .*/venv/lib/python[\d.]+/site-packages/zonestudy/__init__.py", out), out


def test_readme_own_data_example_runs_outside_the_repository(installed):
    python, work, env = installed
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [example] = [b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "project_list.csv" in b]
    out = _run(python, example, work, env)
    assert "yuncheng_etdz" in out and "ambiguous" in out


def test_small_ledger_outside_the_repository(installed):
    python, work, env = installed
    out = _run(python, LEDGER, work, env)
    assert "LEDGER ['yuncheng_etdz', 'yangquan_hitech']" in out
    assert "RATE 0.5" in out


def test_places_and_published_tables_outside_the_repository(installed):
    python, work, env = installed
    out = _run(python, PLACES, work, env)
    assert "ZONES ['yuncheng_etdz', 'taiyuan_hitech', 'suzhou_park', nan] " in out, out
    assert "'unknown']" in out
    assert "REFUSED 1 of 1 zone names could not be matched:" in out
    assert "CITIES ['温州市', '温州市', '太原市', '襄阳市']" in out
    assert "NOT A CITY '山西省' is a province (山西省), not a city" in out
    assert re.search(r"FACTS \d{3,} True True \[.*'campaign_facts'.*'zones'\]", out), out
