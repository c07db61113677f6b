"""Tests for zonestudy.figures: style, Chinese fonts, labels, saving, catalogue."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import zonestudy  # noqa: E402
from zonestudy import figures  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
HAS_CJK_FONT = figures.find_cjk_font() is not None
NEEDS_CJK = pytest.mark.skipif(
    not HAS_CJK_FONT,
    reason="no Chinese font installed (sudo apt-get install fonts-wqy-microhei); CI installs one",
)

META = {"notebook": "notebooks/03_pipeline.ipynb", "sources": ["SX-S001"]}


def labelled_figure(lang: str = "en") -> Figure:
    fig = Figure(figsize=figures.FIGURE_SIZE)
    ax = fig.add_subplot()
    for key, values in [("sign", [120, 150, 170]), ("start", [80, 95, 130])]:
        ax.plot([1, 2, 3], values, marker="o", label=figures.label(key, lang))
    ax.set_xlabel(figures.label("round", lang))
    ax.set_ylabel(figures.label("projects", lang))
    ax.legend(title=figures.label("stage", lang))
    return fig


def save(fig: Figure, directory: Path, name: str = "fig03_pipeline", **kwargs) -> tuple[Path, Path]:
    return figures.save_figure(fig, name, directory=directory, **{**META, **kwargs})


def run_python(code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports zonestudy from this checkout."""
    environment = {**os.environ, "MPLBACKEND": "Agg", **env}
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), environment.get("PYTHONPATH")])
    )
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        check=True,
    )


@pytest.fixture
def fresh_warning_state(monkeypatch):
    monkeypatch.setattr(figures, "_missing_font_warned", False)


# --- style ------------------------------------------------------------------


def test_import_leaves_rcparams_unchanged():
    result = run_python(
        """
        import matplotlib as mpl
        before = dict(mpl.rcParams)
        import zonestudy.figures
        after = dict(mpl.rcParams)
        changed = sorted(k for k in before if before[k] != after[k])
        print(changed)
        """
    )
    assert result.stdout.strip() == "[]"


def test_use_paper_style_sets_publication_rcparams():
    with matplotlib.rc_context():
        assert figures.use_paper_style() == "en"
        rc = matplotlib.rcParams
        assert tuple(rc["figure.figsize"]) == figures.FIGURE_SIZE
        assert rc["pdf.fonttype"] == 42
        assert rc["savefig.dpi"] == 300
        assert rc["svg.hashsalt"] == "zonestudy"
        assert rc["axes.unicode_minus"] is False
        assert rc["font.size"] < 10  # seaborn's "paper" context


def test_paper_style_restores_rcparams():
    before = dict(matplotlib.rcParams)
    with figures.paper_style() as lang:
        assert lang == "en"
        assert matplotlib.rcParams["pdf.fonttype"] == 42
    assert dict(matplotlib.rcParams) == before


def test_paper_style_rejects_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        figures.use_paper_style("fr")


@NEEDS_CJK
def test_zh_style_puts_cjk_font_after_seaborn_theme():
    with figures.paper_style("zh") as lang:
        family = figures.find_cjk_font()
        assert lang == "zh"
        assert matplotlib.rcParams["font.family"] == [family, "DejaVu Sans"]
        assert matplotlib.rcParams["font.sans-serif"][0] == family


# --- Chinese fonts ------------------------------------------------------------


def test_find_cjk_font_returns_a_preferred_family():
    family = figures.find_cjk_font()
    assert family is None or family in figures.CJK_FONT_PREFERENCE


def test_system_font_scan_runs_once_and_skips_broken_files(tmp_path, monkeypatch):
    (tmp_path / "broken.ttf").write_bytes(b"not a font")
    calls = []
    monkeypatch.setattr(figures, "_system_fonts_added", False)
    monkeypatch.setattr(figures, "_installed_cjk_font", lambda: None)
    monkeypatch.setattr(figures, "_system_font_dirs", lambda: calls.append(1) or [tmp_path])
    assert figures.find_cjk_font() is None
    assert figures.find_cjk_font() is None
    assert len(calls) == 1


def test_truetype_font_is_not_cff():
    assert figures._has_cff_outlines("DejaVu Sans") is False


def test_missing_font_warns_once_and_falls_back_to_english(monkeypatch, fresh_warning_state):
    monkeypatch.setattr(figures, "find_cjk_font", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert figures.resolve_lang("zh") == "en"
        assert figures.resolve_lang("zh") == "en"
        with figures.paper_style("zh") as lang:
            assert lang == "en"
        assert figures.use_cjk_font() is None
    missing = [w for w in caught if issubclass(w.category, figures.MissingCJKFontWarning)]
    assert len(missing) == 1
    message = str(missing[0].message)
    assert "sudo apt-get install fonts-wqy-microhei" in message
    assert "conda-forge" in message


def test_missing_font_leaves_font_rcparams_unchanged(monkeypatch, fresh_warning_state):
    monkeypatch.setattr(figures, "find_cjk_font", lambda: None)
    with matplotlib.rc_context():
        family = list(matplotlib.rcParams["font.family"])
        with pytest.warns(figures.MissingCJKFontWarning):
            assert figures.use_cjk_font() is None
        assert matplotlib.rcParams["font.family"] == family


def test_required_font_raises_when_missing(monkeypatch):
    monkeypatch.setattr(figures, "find_cjk_font", lambda: None)
    with pytest.raises(RuntimeError, match="fonts-wqy-microhei"):
        figures.use_cjk_font(required=True)


def test_resolve_lang():
    assert figures.resolve_lang("en") == "en"
    if HAS_CJK_FONT:
        assert figures.resolve_lang("zh") == "zh"
    with pytest.raises(ValueError):
        figures.resolve_lang("cn")


# --- labels -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "en", "zh"),
    [
        ("sign", "Signed", "签约"),
        ("start", "Started", "开工"),
        ("produce", "In production", "投产"),
        ("all", "All stages", "三阶段合计"),
        ("projects", "Projects", "项目数(个)"),
        ("investment", "Investment (CNY 100 million)", "投资额(亿元)"),
        ("share", "Share", "占比"),
        ("round", "Round", "批次"),
        ("city", "City", "城市"),
        ("province", "Province", "省份"),
        (
            "avg_project_size",
            "Average project size (CNY 100 million)",
            "平均项目规模(亿元)",
        ),
    ],
)
def test_builtin_labels(key, en, zh):
    assert figures.label(key) == en
    assert figures.label(key, "en") == en
    assert figures.label(key, "zh") == zh


def test_every_builtin_label_has_both_languages():
    for key, entry in figures.LABELS.items():
        assert set(entry) == {"en", "zh"}, key


def test_caller_labels():
    own = {"en": "Land area (km²)", "zh": "土地面积(平方公里)"}
    assert figures.label(own, "zh") == "土地面积(平方公里)"
    extra = {
        "gdp": {"en": "GDP", "zh": "地区生产总值"},
        "share": {"en": "Share (%)", "zh": "占比(%)"},
    }
    assert figures.label("gdp", "zh", labels=extra) == "地区生产总值"
    assert figures.label("share", "en", labels=extra) == "Share (%)"


def test_label_errors():
    with pytest.raises(KeyError, match="known labels"):
        figures.label("no_such_label")
    with pytest.raises(KeyError, match="'zh'"):
        figures.label({"en": "Only English"}, "zh")
    with pytest.raises(ValueError):
        figures.label("sign", "de")
    with pytest.raises(TypeError):
        figures.LABELS["sign"]["en"] = "changed"  # the built-in table is read-only


# --- naming -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fig03_pipeline", "fig10_investment_by_tier_2", "fig00_a"])
def test_valid_figure_names(tmp_path, name):
    pdf, png = figures.save_figure(labelled_figure(), name, directory=tmp_path, **META)
    assert (pdf.name, png.name) == (f"{name}.pdf", f"{name}.png")
    assert pdf.is_file() and png.is_file()


@pytest.mark.parametrize(
    "name",
    [
        "fig3_pipeline",
        "fig003_pipeline",
        "Fig03_pipeline",
        "fig03-pipeline",
        "fig03_Pipeline",
        "fig03_",
        "fig03_pipeline.pdf",
        "fig03_投产",
        "tab03_pipeline",
        "fig03_pipeline_zh",
        "2024-05-01_fig03",
    ],
)
def test_invalid_figure_names_are_refused(tmp_path, name):
    with pytest.raises(ValueError, match="name"):
        figures.save_figure(labelled_figure(), name, directory=tmp_path, **META)
    assert not any(tmp_path.iterdir())


@NEEDS_CJK
def test_chinese_version_gets_zh_suffix(tmp_path):
    with figures.paper_style("zh") as lang:
        pdf, png = figures.save_figure(
            labelled_figure(lang), "fig03_pipeline", directory=tmp_path, lang=lang, **META
        )
    assert (pdf.name, png.name) == ("fig03_pipeline_zh.pdf", "fig03_pipeline_zh.png")


def _draw_stage_plot(lang):
    fig, ax = plt.subplots()
    ax.bar([figures.label("sign", lang)], [1])
    ax.set_xlabel(figures.label("start", lang))
    ax.set_ylabel(figures.label("projects", lang))
    return fig


def test_save_figure_languages_writes_each_available_language(tmp_path):
    fig = figures.save_figure_languages(
        _draw_stage_plot, "fig09_test", notebook="notebooks/03_test.ipynb", sources=["S1"],
        directory=tmp_path)
    expected = {"fig09_test.pdf", "fig09_test.png"}
    if figures.resolve_lang("zh") == "zh":
        expected |= {"fig09_test_zh.pdf", "fig09_test_zh.png"}
    assert {p.name for p in tmp_path.glob("fig09_test*")} == expected
    assert plt.fignum_exists(fig.number)  # the English figure stays open for display
    plt.close("all")


def test_save_figure_languages_returns_the_english_figure_and_closes_the_other(tmp_path):
    before = set(plt.get_fignums())
    fig = figures.save_figure_languages(
        _draw_stage_plot, "fig98_demo", notebook="notebooks/05_comparisons.ipynb",
        sources=(s for s in ["S2", "S1"]), tables="campaign_facts", caption="Demo",
        directory=tmp_path)
    assert fig.axes[0].get_xlabel() == "Started"
    assert (tmp_path / "fig98_demo.png").is_file()
    assert set(plt.get_fignums()) - before == {fig.number}
    catalogue = figures.read_catalogue(tmp_path).set_index("name")
    for name in catalogue.index:  # a generator of ids serves both languages
        assert catalogue.loc[name, "sources"] == "S1;S2"
        assert catalogue.loc[name, "tables"] == "campaign_facts"
    plt.close("all")


@NEEDS_CJK
def test_save_figure_languages_draws_chinese_text_in_the_zh_version(tmp_path):
    langs = []

    def draw(lang):
        langs.append(lang)
        return _draw_stage_plot(lang)

    figures.save_figure_languages(draw, "fig97_demo", notebook="notebooks/03_test.ipynb",
                                  sources="S1", directory=tmp_path)
    assert langs == ["en", "zh"]
    assert figures.read_catalogue(tmp_path)["lang"].tolist() == ["en", "zh"]
    plt.close("all")


def test_save_figure_languages_refuses_unlabelled_axes(tmp_path):
    def draw(lang):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        return fig

    with pytest.raises(ValueError, match="label"):
        figures.save_figure_languages(draw, "fig96_demo", notebook="notebooks/03_test.ipynb",
                                      sources=["S1"], directory=tmp_path)
    plt.close("all")


@pytest.mark.parametrize("name", ["tab01_summary", "tab12_stage_shares"])
def test_valid_table_names(tmp_path, name):
    df = pd.DataFrame({"a": [1]})
    csv_path, tex_path = figures.save_table(df, name, directory=tmp_path, **META)
    assert csv_path == tmp_path / "tables" / f"{name}.csv"
    assert tex_path == tmp_path / "tables" / f"{name}.tex"


@pytest.mark.parametrize(
    "name", ["tab1_summary", "fig01_summary", "tab01_Summary", "tab01_summary_zh"]
)
def test_invalid_table_names_are_refused(tmp_path, name):
    with pytest.raises(ValueError, match="name"):
        figures.save_table(pd.DataFrame({"a": [1]}), name, directory=tmp_path, **META)


def test_table_zh_suffix(tmp_path):
    csv_path, _ = figures.save_table(
        pd.DataFrame({"阶段": ["签约"]}), "tab01_stages", directory=tmp_path, lang="zh", **META
    )
    assert csv_path.name == "tab01_stages_zh.csv"


# --- provenance arguments -----------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"notebook": "/home/me/notebooks/03.ipynb", "sources": ["s"]}, "relative"),
        ({"notebook": "C:\\work\\03.ipynb", "sources": ["s"]}, "relative"),
        ({"notebook": "", "sources": ["s"]}, "notebook"),
        ({"notebook": "notebooks/03.ipynb", "sources": []}, "at least one"),
        ({"notebook": "notebooks/03.ipynb", "sources": ["a;b"]}, "';'"),
        ({"notebook": "notebooks/03.ipynb", "sources": [" "]}, "non-empty"),
    ],
)
def test_provenance_arguments_are_checked(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        figures.save_figure(labelled_figure(), "fig03_pipeline", directory=tmp_path, **kwargs)


def test_default_directory_comes_from_paths_lazily(tmp_path, monkeypatch):
    fake = types.ModuleType("zonestudy.paths")
    fake.figures_dir = lambda: tmp_path / "figures"
    monkeypatch.setitem(sys.modules, "zonestudy.paths", fake)
    monkeypatch.setattr(zonestudy, "paths", fake, raising=False)
    pdf, _ = figures.save_figure(labelled_figure(), "fig03_pipeline", **META)
    assert pdf == tmp_path / "figures" / "fig03_pipeline.pdf"
    assert figures.read_catalogue()["name"].tolist() == ["fig03_pipeline"]


# --- axis labels --------------------------------------------------------------


def test_unlabelled_axes_are_refused_and_named(tmp_path):
    fig = Figure()
    left, right = fig.subplots(1, 2)
    left.plot([1, 2], [3, 4])
    left.set_xlabel("Round")
    left.set_ylabel("Projects")
    right.plot([1, 2], [3, 4])
    right.set_title("Investment")
    right.set_xlabel("Round")
    with pytest.raises(ValueError, match=r"axes 1 \('Investment'\) lacks a y label"):
        figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)
    assert not (tmp_path / "fig03_pipeline.pdf").exists()
    assert not (tmp_path / "catalogue.csv").exists()


def test_axes_lacking_both_labels(tmp_path):
    fig = Figure()
    fig.add_subplot().plot([1, 2], [3, 4])
    with pytest.raises(ValueError, match="axes 0 lacks a x and y label"):
        figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)


def test_blank_label_counts_as_missing(tmp_path):
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([1, 2], [3, 4])
    ax.set_xlabel("   ")
    ax.set_ylabel("Projects")
    with pytest.raises(ValueError, match="x label"):
        figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)


def test_axes_turned_off_need_no_labels(tmp_path):
    fig = Figure()
    plot_ax, note_ax = fig.subplots(1, 2)
    plot_ax.plot([1, 2], [3, 4])
    plot_ax.set(xlabel="Round", ylabel="Projects")
    note_ax.axis("off")
    note_ax.text(0.5, 0.5, "Notes")
    figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)


def test_shared_labels_from_supxlabel_and_supylabel(tmp_path):
    fig = Figure()
    for ax in fig.subplots(2, 2).flat:
        ax.plot([1, 2], [3, 4])
    fig.supxlabel("Round")
    fig.supylabel("Projects")
    figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)


def test_supxlabel_on_a_subfigure(tmp_path):
    fig = Figure()
    left, right = fig.subfigures(1, 2)
    for sub in (left, right):
        ax = sub.add_subplot()
        ax.plot([1, 2], [3, 4])
        ax.set_ylabel("Projects")
        sub.supxlabel("Round")
    figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)


def test_panels_sharing_an_axis_label_only_the_outer_ones(tmp_path):
    fig, axes = plt.subplots(2, 2, sharex=True, sharey=True)
    try:
        for ax in axes.flat:
            ax.plot([1, 2], [3, 4])
        for ax in axes[1]:
            ax.set_xlabel("Round")
        for ax in axes[:, 0]:
            ax.set_ylabel("Projects")
        figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)
    finally:
        plt.close(fig)


def test_twin_axes_colorbar_and_pie(tmp_path):
    fig = Figure()
    ax_line, ax_map, ax_pie = fig.subplots(1, 3)
    ax_line.plot([1, 2], [3, 4])
    ax_line.set(xlabel="Round", ylabel="Projects")
    twin = ax_line.twinx()
    twin.plot([1, 2], [5, 1], color="C1")
    twin.set_ylabel("Investment (CNY 100 million)")
    image = ax_map.imshow([[1, 2], [3, 4]])
    ax_map.set(xlabel="Column", ylabel="Row")
    fig.colorbar(image, ax=ax_map, label="Share")
    ax_pie.pie([1, 2, 3])
    figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)


def test_twin_axis_without_label_is_refused(tmp_path):
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([1, 2], [3, 4])
    ax.set(xlabel="Round", ylabel="Projects")
    ax.twinx().plot([1, 2], [5, 1])
    with pytest.raises(ValueError, match="axes 1 lacks a y label"):
        figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)


# --- deterministic bytes ------------------------------------------------------


def test_saving_twice_gives_identical_bytes(tmp_path):
    fig = labelled_figure()
    first = [p.read_bytes() for p in save(fig, tmp_path / "a")]
    second = [p.read_bytes() for p in save(fig, tmp_path / "b")]
    assert first == second
    pdf, png = first
    assert pdf.startswith(b"%PDF") and png.startswith(b"\x89PNG")


def test_unchanged_files_are_not_rewritten(tmp_path):
    fig = labelled_figure()
    paths = [*save(fig, tmp_path), tmp_path / "catalogue.csv"]
    for path in paths:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, **META)
    assert [p.stat().st_mtime_ns for p in paths] == [1_000_000_000] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "catalogue.csv",
        "fig03_pipeline.pdf",
        "fig03_pipeline.png",
    ]


def test_metadata_is_stripped(tmp_path):
    pdf, png = figures.save_figure(labelled_figure(), "fig03_pipeline", directory=tmp_path, **META)
    pdf_bytes, png_bytes = pdf.read_bytes(), png.read_bytes()
    for key in (b"CreationDate", b"ModDate", b"Producer", b"Creator", b"matplotlib"):
        assert key not in pdf_bytes
    assert b"Software" not in png_bytes
    assert b"matplotlib" not in png_bytes


def test_png_is_300_dpi_at_fixed_size(tmp_path):
    with figures.paper_style() as lang:
        _, png = save(labelled_figure(lang), tmp_path)
    image = plt.imread(png)
    width, height = figures.FIGURE_SIZE
    assert image.shape[:2] == (round(height * 300), round(width * 300))


def test_pdf_text_is_editable_type42(tmp_path):
    with figures.paper_style() as lang:
        pdf, _ = save(labelled_figure(lang), tmp_path)
    data = pdf.read_bytes()
    assert b"/FontFile2" in data  # embedded TrueType outlines
    assert b"/Subtype /Type3" not in data


BUILD_SCRIPT = """
import sys
from pathlib import Path
from matplotlib.figure import Figure
from zonestudy import figures

lang = sys.argv[2]
with figures.paper_style(lang) as lang:
    fig = Figure()
    ax = fig.add_subplot()
    for key, values in [("sign", [120, 150, 170]), ("produce", [-5, 60, 90])]:
        ax.plot([1, 2, 3], values, marker="o", label=figures.label(key, lang))
    ax.set_xlabel(figures.label("round", lang))
    ax.set_ylabel(figures.label("investment", lang))
    ax.legend()
    figures.save_figure(fig, "fig03_pipeline", notebook="notebooks/03_pipeline.ipynb",
                        sources=["SX-S001"], directory=Path(sys.argv[1]), lang=lang)
"""


@pytest.mark.parametrize("lang", ["en", pytest.param("zh", marks=NEEDS_CJK)])
def test_fresh_processes_give_identical_bytes(tmp_path, lang):
    run_python(BUILD_SCRIPT, str(tmp_path / "a"), lang, PYTHONHASHSEED="1")
    run_python(BUILD_SCRIPT, str(tmp_path / "b"), lang, PYTHONHASHSEED="2")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert len(names) == 3  # pdf, png, catalogue.csv
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


# --- Chinese figures ----------------------------------------------------------


@NEEDS_CJK
def test_zh_figure_renders_without_missing_glyphs(tmp_path):
    with figures.paper_style("zh") as lang:
        assert lang == "zh"
        fig = labelled_figure(lang)
        fig.axes[0].set_title("三个一批 − 山西省开发区")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pdf, _ = save(fig, tmp_path, lang=lang)
    assert not [w for w in caught if "missing from font" in str(w.message)]
    data = pdf.read_bytes()
    assert b"/CIDFontType2" in data  # Chinese glyphs embedded as TrueType (Type 42)
    assert figures.read_catalogue(tmp_path).loc[0, "lang"] == "zh"


def test_missing_glyphs_fail_the_save(tmp_path):
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = labelled_figure("zh")
        with pytest.raises(RuntimeError, match="missing from font"):
            figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, lang="zh", **META)
        with pytest.raises(RuntimeError, match="missing from font"):
            figures.save_figure(fig, "fig03_pipeline", directory=tmp_path, lang="en", **META)
    assert not any(tmp_path.iterdir())


# --- catalogue ----------------------------------------------------------------


def test_catalogue_rows_sorted_and_upserted(tmp_path):
    fig = labelled_figure()
    figures.save_figure(fig, "fig05_zones", directory=tmp_path, caption="Zones", **META)
    figures.save_table(
        pd.DataFrame({"x": [1]}),
        "tab01_summary",
        notebook="notebooks/01_overview.ipynb",
        sources=["SX-S002", "SX-S001", "SX-S002"],
        tables=["projects", "zones", "projects"],
        caption="Summary",
        directory=tmp_path,
    )
    figures.save_figure(fig, "fig02_stages", directory=tmp_path, caption="Stages", **META)
    figures.save_figure(fig, "fig05_zones", directory=tmp_path, caption="Zones by level", **META)

    catalogue = figures.read_catalogue(tmp_path)
    assert list(catalogue.columns) == list(figures.CATALOGUE_COLUMNS)
    assert catalogue["name"].tolist() == ["fig02_stages", "fig05_zones", "tab01_summary"]
    zones = catalogue.set_index("name").loc["fig05_zones"]
    assert zones["caption"] == "Zones by level"
    assert zones["kind"] == "figure"
    assert zones["files"] == "fig05_zones.pdf;fig05_zones.png"
    summary = catalogue.set_index("name").loc["tab01_summary"]
    assert summary["kind"] == "table"
    assert summary["files"] == "tables/tab01_summary.csv;tables/tab01_summary.tex"
    assert summary["sources"] == "SX-S001;SX-S002"
    assert summary["tables"] == "projects;zones"
    assert summary["notebook"] == "notebooks/01_overview.ipynb"
    assert summary["lang"] == "en"


def test_catalogue_bytes_do_not_depend_on_save_order(tmp_path):
    fig = labelled_figure()
    table = pd.DataFrame({"x": [1.5]})
    caption = 'Projects, "signed" vs started;\n by round'
    for directory, order in [(tmp_path / "a", [0, 1, 2]), (tmp_path / "b", [2, 0, 1])]:
        steps = [
            lambda d: figures.save_figure(fig, "fig01_a", directory=d, caption=caption, **META),
            lambda d: figures.save_figure(fig, "fig02_b", directory=d, **META),
            lambda d: figures.save_table(
                table, "tab01_c", directory=d, caption="投资额", **META
            ),
        ]
        for i in order:
            steps[i](directory)
    first = (tmp_path / "a" / "catalogue.csv").read_bytes()
    assert first == (tmp_path / "b" / "catalogue.csv").read_bytes()
    assert b"\r\n" not in first
    header = first.decode("utf-8").splitlines()[0]
    assert header == "kind,name,files,notebook,tables,sources,caption,lang"
    assert figures.read_catalogue(tmp_path / "a").loc[0, "caption"] == caption


def test_read_catalogue_when_empty(tmp_path):
    catalogue = figures.read_catalogue(tmp_path)
    assert catalogue.empty
    assert list(catalogue.columns) == list(figures.CATALOGUE_COLUMNS)


def test_catalogue_markdown(tmp_path):
    save(labelled_figure(), tmp_path, "fig02_stages", caption="Stages | by round")
    figures.save_table(
        pd.DataFrame({"x": [1]}), "tab01_summary", directory=tmp_path, tables=["projects"], **META
    )
    readme = figures.write_catalogue_markdown(tmp_path)
    assert readme == tmp_path / "README.md"
    text = readme.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[3] == "| File | Notebook | Tables | Sources | Caption |"
    assert lines[5] == (
        "| [fig02_stages.pdf](fig02_stages.pdf), [fig02_stages.png](fig02_stages.png) "
        "| `notebooks/03_pipeline.ipynb` |  | SX-S001 | Stages \\| by round |"
    )
    assert lines[6].startswith("| [tab01_summary.csv](tables/tab01_summary.csv), ")
    assert "| projects | SX-S001 |" in lines[6]
    before = readme.read_bytes()
    figures.write_catalogue_markdown(tmp_path)
    assert readme.read_bytes() == before


# --- tables -------------------------------------------------------------------


def test_table_csv_and_tex(tmp_path):
    df = pd.DataFrame(
        {
            "City": ["太原", "R&D_zone #1"],
            "Investment (CNY 100 million)": [1234.5678, -0.125],
            "Projects": [12, 3],
            "Share %": [0.61, float("nan")],
        }
    )
    csv_path, tex_path = figures.save_table(
        df,
        "tab02_investment",
        directory=tmp_path,
        caption="Investment by city\nsecond line",
        float_format={"Share %": "{:.1%}"},
        **META,
    )
    csv_bytes = csv_path.read_bytes()
    assert b"\r" not in csv_bytes
    assert csv_bytes.decode("utf-8") == (
        "City,Investment (CNY 100 million),Projects,Share %\n"
        "太原,1234.5678,12,0.61\n"
        "R&D_zone #1,-0.125,3,\n"
    )
    tex = tex_path.read_text(encoding="utf-8")
    assert "\\caption{Investment by city second line}" in tex
    assert "\\label{tab:tab02_investment}" in tex
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    # header with its unit on a second line; cells escaped and formatted
    assert "Investment\\\\(CNY 100 million)" in tex
    assert "太原 & 1234.57 & 12 & 61.0\\% \\\\" in tex
    assert "R\\&D\\_zone \\#1 & -0.12 & 3 &  \\\\" in tex
    assert "Sources (ids in data/raw/sources.csv): SX-S001." in tex
    assert pd.read_csv(csv_path).shape == df.shape


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a_b", r"a\_b"),
        ("50%", r"50\%"),
        ("$1", r"\$1"),
        ("{x}", r"\{x\}"),
        ("~^", r"\textasciitilde{}\textasciicircum{}"),
        ("C:\\dir", r"C:\textbackslash{}dir"),
        ("line\nbreak", "line break"),
        ("开发区 & 园区", r"开发区 \& 园区"),
    ],
)
def test_latex_escaping(text, escaped):
    assert figures._latex_escape(text) == escaped


def test_table_index_written_when_meaningful(tmp_path):
    df = pd.DataFrame(
        {"Projects": [3, 4]},
        index=pd.MultiIndex.from_tuples(
            [("Shanxi", "Taiyuan"), ("Shanxi", "Datong")], names=["Province", "City"]
        ),
    )
    csv_path, tex_path = figures.save_table(df, "tab03_cities", directory=tmp_path, **META)
    assert csv_path.read_text(encoding="utf-8").splitlines()[0] == "Province,City,Projects"
    tex = tex_path.read_text(encoding="utf-8")
    assert "\\begin{tabular}{@{}llr@{}}" in tex
    assert "{@{}l@{}}Province\\end{tabular} & " in tex
    assert "Shanxi & Taiyuan & 3 \\\\" in tex

    plain = pd.DataFrame({"Projects": [3, 4]})
    csv_path, _ = figures.save_table(plain, "tab04_plain", directory=tmp_path, **META)
    assert csv_path.read_text(encoding="utf-8") == "Projects\n3\n4\n"


def test_table_bytes_are_deterministic(tmp_path):
    df = pd.DataFrame({"阶段": ["签约", "开工", "投产"], "Share": [1 / 3, 1 / 3, 1 / 3]})
    first = figures.save_table(df, "tab01_stage_shares", directory=tmp_path / "a", **META)
    second = figures.save_table(df.copy(), "tab01_stage_shares", directory=tmp_path / "b", **META)
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()


def test_save_table_needs_a_dataframe(tmp_path):
    with pytest.raises(TypeError):
        figures.save_table([[1, 2]], "tab01_summary", directory=tmp_path, **META)


def test_save_figure_languages_without_a_cjk_font_draws_english_silently(tmp_path, monkeypatch):
    import warnings

    monkeypatch.setattr(figures, "find_cjk_font", lambda: None)

    def draw(lang):
        fig, ax = plt.subplots()
        ax.bar([figures.label("sign", lang)], [1])
        ax.set_xlabel(figures.label("stage", lang))
        ax.set_ylabel(figures.label("projects", lang))
        return fig

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = figures.save_figure_languages(draw, "fig95_demo", notebook="notebooks/03_test.ipynb",
                                            sources=["S1"], directory=tmp_path)
    plt.close(fig)
    assert sorted(p.name for p in tmp_path.glob("fig95_demo*")) == ["fig95_demo.pdf", "fig95_demo.png"]
    assert "fonts-wqy-microhei" in figures.missing_cjk_font_message()
