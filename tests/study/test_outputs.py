"""The committed outputs are complete and consistent: figures, tables, catalogue, clean data."""

import pandas as pd
import pytest

from zonestudy import figures, io, paths

ROOT = paths.project_root()
FIGURES = paths.figures_dir()


def catalogue():
    path = FIGURES / "catalogue.csv"
    if not path.is_file():
        pytest.skip("no figures yet")
    return figures.read_catalogue()


def test_every_catalogued_file_exists():
    for row in catalogue().itertuples():
        for name in row.files.split(";"):
            assert (FIGURES / name).is_file(), (row.name, name)


def test_every_output_file_is_catalogued():
    listed = {name for files in catalogue()["files"] for name in files.split(";")}
    on_disk = {p.relative_to(FIGURES).as_posix() for p in FIGURES.rglob("*")
               if p.is_file() and p.suffix in {".pdf", ".png", ".csv", ".tex"} and p.name != "catalogue.csv"}
    assert on_disk == listed


def test_every_figure_has_both_formats_and_an_english_version():
    cat = catalogue()
    figs = cat[cat["kind"] == "figure"]
    for row in figs.itertuples():
        assert sorted(f.rsplit(".", 1)[1] for f in row.files.split(";")) == ["pdf", "png"]
    english = figs[figs["lang"] == "en"]["name"]
    assert set(figs[figs["lang"] == "zh"]["name"].str.removesuffix("_zh")) <= set(english)


def test_at_least_ten_distinct_figures():
    cat = catalogue()
    assert (cat[(cat["kind"] == "figure") & (cat["lang"] == "en")]["name"].nunique()) >= 10


def test_catalogue_sources_resolve():
    known = set(io.load_family("sources")["source_id"])
    for row in catalogue().itertuples():
        ids = set(row.sources.split(";"))
        assert ids and ids <= known, (row.name, ids - known)


def test_catalogue_notebooks_exist():
    for row in catalogue().itertuples():
        assert (ROOT / row.notebook).is_file(), row.notebook


def test_readme_lists_every_figure_and_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cat = catalogue()
    missing = [n for n in cat.loc[cat["lang"] == "en", "name"] if n not in readme]
    assert not missing, f"not listed in README.md: {missing}"


def test_clean_rows_keep_their_source_ids():
    known = set(io.load_family("sources")["source_id"])
    for path in sorted(paths.clean_dir().glob("*.csv")):
        frame = pd.read_csv(path)
        column = "source_id" if "source_id" in frame else "source_ids" if "source_ids" in frame else None
        if column is None:
            assert "fact_id" in frame, f"{path.name} has neither source ids nor fact ids"
            continue
        ids = {s.strip() for v in frame[column].dropna() for s in str(v).split(";")}
        assert frame[column].notna().all(), path.name
        assert ids <= known, (path.name, ids - known)
