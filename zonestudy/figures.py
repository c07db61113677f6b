"""Publication figures and tables for the development-zone study.

Every exhibit that a paper cites is written through this module, so that all
figures look alike, carry labelled axes, render Chinese text correctly, and are
byte-for-byte reproducible when a notebook is rerun.

The module has four parts:

* **Style.** :func:`use_paper_style` (or the :func:`paper_style` context
  manager) applies the seaborn "paper" theme with the colour-blind palette, a
  fixed figure size for a journal text width, and editable (Type 42) fonts in
  PDF files. Nothing is changed when the module is imported.
* **Chinese text.** :func:`find_cjk_font` and :func:`use_cjk_font` locate a
  Chinese font (WenQuanYi Micro Hei first). When none is installed, a single
  :class:`MissingCJKFontWarning` names the install command and Chinese figures
  fall back to English labels (:func:`resolve_lang`). :func:`label` returns
  the study's recurring axis and legend words in English or Chinese.
* **Saving.** :func:`save_figure` writes ``figNN_name.pdf`` and
  ``figNN_name.png`` (300 dpi); :func:`save_figure_languages` draws and
  saves a figure in English and, where a Chinese font is installed, in
  Chinese (``figNN_name_zh``). :func:`save_table` writes
  ``tables/tabNN_name.csv`` and ``tables/tabNN_name.tex``. They refuse
  unsuitable input (bad names, unlabelled axes, missing glyphs) and write
  identical bytes when given identical input, so a rerun that changes nothing
  leaves every output file untouched. The fonts that PDF files embed are
  decompiled once per process and subset from memory (the same bytes as
  matplotlib's own subsetting, in a third of the time for a Chinese font).
* **Catalogue.** Each saved exhibit is recorded in ``figures/catalogue.csv``
  with the notebook that made it, the clean tables and the source ids behind
  it, and its caption (:func:`read_catalogue`).
  :func:`write_catalogue_markdown` renders the catalogue as
  ``figures/README.md`` for the replication package.

Outputs go to the project's ``figures/`` folder unless a ``directory`` is
given.

Examples
--------
A complete round trip in a temporary folder:

>>> import tempfile
>>> from pathlib import Path
>>> from matplotlib.figure import Figure
>>> from zonestudy import figures
>>> with tempfile.TemporaryDirectory() as tmp, figures.paper_style() as lang:
...     fig = Figure()
...     ax = fig.add_subplot()
...     _ = ax.bar(["2023", "2024"], [120, 150])
...     _ = ax.set_xlabel(figures.label("round", lang))
...     _ = ax.set_ylabel(figures.label("projects", lang))
...     paths = figures.save_figure(
...         fig, "fig01_projects_by_round",
...         notebook="notebooks/01_overview.ipynb",
...         sources=["SX-S001"], directory=Path(tmp))
...     [p.name for p in paths]
['fig01_projects_by_round.pdf', 'fig01_projects_by_round.png']
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib import font_manager

from zonestudy import latex
from zonestudy._pdf_fonts import cached_font_loading as _cached_font_loading
from zonestudy.data import reference_rows

__all__ = [
    "CATALOGUE_COLUMNS",
    "CJK_FONT_PREFERENCE",
    "FIGURE_SIZE",
    "LABELS",
    "MissingCJKFontWarning",
    "PAPER_RC",
    "find_cjk_font",
    "missing_cjk_font_message",
    "label",
    "paper_style",
    "read_catalogue",
    "resolve_lang",
    "save_figure",
    "save_figure_languages",
    "save_table",
    "use_cjk_font",
    "use_paper_style",
    "write_catalogue_markdown",
]

# ---------------------------------------------------------------------------
# Style
# ---------------------------------------------------------------------------

#: Figure size in inches: 6.5 in is the text width of a US-letter page with
#: one-inch margins (the AEA journals and most working-paper templates).
FIGURE_SIZE: tuple[float, float] = (6.5, 4.0)

#: rcParams applied by :func:`use_paper_style` after the seaborn theme.
PAPER_RC: Mapping[str, Any] = MappingProxyType(
    {
        "figure.figsize": FIGURE_SIZE,
        "figure.constrained_layout.use": True,
        "savefig.dpi": 300,
        # Keep the fixed size: a tight bounding box would crop each figure
        # to a different size.
        "savefig.bbox": "standard",
        # Type 42 keeps the text editable in PDF files, as journals ask.
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        # A fixed salt makes SVG element ids the same on every run.
        "svg.hashsalt": "zonestudy",
        # Many Chinese fonts lack U+2212 MINUS SIGN; use the ASCII hyphen.
        "axes.unicode_minus": False,
    }
)

_LANGS = ("en", "zh")


def _check_lang(lang: str) -> str:
    if lang not in _LANGS:
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    return lang


def use_paper_style(lang: str = "en") -> str:
    """Apply the study's figure style to matplotlib.

    Applies ``seaborn.set_theme(context="paper", style="ticks",
    palette="colorblind")``, then :data:`PAPER_RC` (a fixed
    :data:`FIGURE_SIZE`, constrained layout, 300 dpi, Type 42 fonts, a fixed
    SVG hash salt, an ASCII minus sign). For ``lang="zh"`` the Chinese font is
    applied afterwards with :func:`use_cjk_font`, because the seaborn theme
    resets ``font.sans-serif``.

    The style changes matplotlib's global ``rcParams`` and is applied only
    when this function is called; importing :mod:`zonestudy.figures` changes
    nothing. Use :func:`paper_style` to apply it temporarily.

    Parameters
    ----------
    lang : {"en", "zh"}
        Language of the figures about to be drawn.

    Returns
    -------
    str
        The language to draw in: ``lang``, except ``"en"`` when ``"zh"`` was
        asked for but no Chinese font is installed (a
        :class:`MissingCJKFontWarning` is then emitted once per process).

    Notes
    -----
    seaborn's colour codes (``"b"``, ``"g"``, ...) are left as matplotlib
    defines them (``color_codes=False``), so that the style changes only
    ``rcParams`` and :func:`paper_style` can undo it completely.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from zonestudy.figures import use_paper_style
    >>> with mpl.rc_context():
    ...     use_paper_style("en")
    ...     mpl.rcParams["pdf.fonttype"], tuple(mpl.rcParams["figure.figsize"])
    'en'
    (42, (6.5, 4.0))
    """
    _check_lang(lang)
    import seaborn as sns

    sns.set_theme(context="paper", style="ticks", palette="colorblind", color_codes=False)
    mpl.rcParams.update(PAPER_RC)
    if lang == "zh" and use_cjk_font(required=False) is None:
        lang = "en"
    return lang


@contextlib.contextmanager
def paper_style(lang: str = "en") -> Iterator[str]:
    """Apply :func:`use_paper_style` inside a ``with`` block only.

    On leaving the block every ``rcParams`` entry is restored, which keeps
    tests and notebook cells from affecting each other.

    Parameters
    ----------
    lang : {"en", "zh"}
        Language of the figures drawn inside the block.

    Yields
    ------
    str
        The language to draw in (see :func:`use_paper_style`).

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from zonestudy.figures import paper_style
    >>> before = mpl.rcParams["figure.figsize"]
    >>> with paper_style() as lang:
    ...     lang, tuple(mpl.rcParams["figure.figsize"])
    ('en', (6.5, 4.0))
    >>> mpl.rcParams["figure.figsize"] == before
    True
    """
    with mpl.rc_context():
        yield use_paper_style(lang)


# ---------------------------------------------------------------------------
# Chinese (CJK) fonts
# ---------------------------------------------------------------------------

#: Chinese font families, most preferred first. WenQuanYi Micro Hei has
#: TrueType outlines, which embed cleanly in PDF files as Type 42 fonts;
#: the CFF-outline fonts (Noto Sans CJK, Source Han Sans) do not.
CJK_FONT_PREFERENCE: tuple[str, ...] = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
)

_INSTALL_HINT = (
    "Install WenQuanYi Micro Hei and restart Python. "
    "Debian/Ubuntu: `sudo apt-get install fonts-wqy-microhei`; "
    "conda: a CJK font package from conda-forge such as "
    "`conda install -c conda-forge font-ttf-noto-cjk`. "
    "If a Chinese font is installed but not found, delete matplotlib's font "
    "cache (the fontlist-*.json file in matplotlib.get_cachedir())."
)


class MissingCJKFontWarning(UserWarning):
    """No Chinese font was found, so Chinese figures fall back to English."""


_missing_font_warned = False
_system_fonts_added = False


def _system_font_dirs() -> list[Path]:
    dirs = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path.home() / ".local" / "share" / "fonts",
        Path.home() / ".fonts",
        Path("/System/Library/Fonts"),
        Path("/Library/Fonts"),
        Path.home() / "Library" / "Fonts",
    ]
    windir = os.environ.get("WINDIR")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    return dirs


def _add_system_fonts() -> None:
    """Register every font file in the common system font folders, once.

    Matplotlib caches its font list; fonts installed after the cache was built
    stay invisible until they are added with ``fontManager.addfont``.
    """
    global _system_fonts_added
    if _system_fonts_added:
        return
    _system_fonts_added = True
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for folder in _system_font_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in {".ttf", ".ttc", ".otf"}:
                continue
            if str(path) in known:
                continue
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # unreadable or unsupported font file: skip it
                continue


def _installed_cjk_font() -> str | None:
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in CJK_FONT_PREFERENCE:
        if family in names:
            return family
    return None


def find_cjk_font() -> str | None:
    """Return the name of an installed Chinese font family, or None.

    Searches matplotlib's font list for the families in
    :data:`CJK_FONT_PREFERENCE`, in that order. If none is found, the font
    files in the common system font folders are added to matplotlib's font
    list (once per process, for fonts installed after matplotlib built its
    cache) and the search is repeated.

    Returns
    -------
    str or None
        A family name such as ``"WenQuanYi Micro Hei"``, or None.

    Examples
    --------
    >>> from zonestudy.figures import CJK_FONT_PREFERENCE, find_cjk_font
    >>> family = find_cjk_font()
    >>> family is None or family in CJK_FONT_PREFERENCE
    True
    """
    family = _installed_cjk_font()
    if family is None and not _system_fonts_added:
        _add_system_fonts()
        family = _installed_cjk_font()
    return family


def _has_cff_outlines(family: str) -> bool:
    """Whether the font file of ``family`` has CFF (PostScript) outlines."""
    for entry in font_manager.fontManager.ttflist:
        if entry.name != family:
            continue
        try:
            from fontTools.ttLib import TTFont

            with TTFont(entry.fname, fontNumber=0, lazy=True) as font:
                return "CFF " in font or "CFF2" in font
        except Exception:  # cannot tell: assume TrueType outlines
            return False
    return False


def _warn_missing_cjk_font() -> None:
    global _missing_font_warned
    if _missing_font_warned:
        return
    _missing_font_warned = True
    warnings.warn(
        "No Chinese (CJK) font was found for matplotlib, so figures are drawn "
        "with English labels instead of Chinese ones. " + _INSTALL_HINT,
        MissingCJKFontWarning,
        stacklevel=3,
    )


def missing_cjk_font_message() -> str | None:
    """Say how to install a Chinese font when none is found; None when one is.

    Examples
    --------
    >>> from zonestudy.figures import find_cjk_font, missing_cjk_font_message
    >>> (missing_cjk_font_message() is None) == (find_cjk_font() is not None)
    True
    """
    if find_cjk_font() is not None:
        return None
    return ("No Chinese (CJK) font was found for matplotlib: figures are drawn in English only and "
            "the committed Chinese versions (*_zh) are not redrawn. " + _INSTALL_HINT)


def use_cjk_font(required: bool = False) -> str | None:
    """Make matplotlib draw Chinese text with an installed Chinese font.

    Sets ``font.family`` to the font from :func:`find_cjk_font` followed by
    DejaVu Sans (matplotlib draws each glyph missing from the first font with
    the next one), puts the font first in ``font.sans-serif``, and sets
    ``axes.unicode_minus`` to False. Call it after any seaborn theme, which
    resets ``font.sans-serif``; :func:`use_paper_style` does this for you.

    Parameters
    ----------
    required : bool
        If True, raise instead of warning when no Chinese font is installed.

    Returns
    -------
    str or None
        The font family used, or None when no Chinese font is installed; the
        caller should then draw English labels. In that case a
        :class:`MissingCJKFontWarning` naming the install command is emitted
        once per process, and ``rcParams`` are left unchanged.

    Raises
    ------
    RuntimeError
        If ``required`` is True and no Chinese font is installed.

    Notes
    -----
    Fonts with CFF outlines (Noto Sans CJK, Source Han Sans) produce malformed
    PDF files when embedded as Type 42 fonts. When one of them is the only
    Chinese font available, ``pdf.fonttype`` and ``ps.fonttype`` are set to 3:
    the PDF is valid but its text is not editable. Install WenQuanYi Micro Hei
    to get editable text.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from zonestudy.figures import use_cjk_font
    >>> with mpl.rc_context():
    ...     family = use_cjk_font()
    ...     family is None or mpl.rcParams["font.family"] == [family, "DejaVu Sans"]
    True
    """
    family = find_cjk_font()
    if family is None:
        if required:
            raise RuntimeError("No Chinese (CJK) font was found for matplotlib. " + _INSTALL_HINT)
        _warn_missing_cjk_font()
        return None
    sans = [name for name in mpl.rcParams["font.sans-serif"] if name != family]
    mpl.rcParams["font.sans-serif"] = [family, *sans]
    mpl.rcParams["font.family"] = [family, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    if _has_cff_outlines(family):
        mpl.rcParams["pdf.fonttype"] = 3
        mpl.rcParams["ps.fonttype"] = 3
    return family


def resolve_lang(lang: str) -> str:
    """Return the language a figure can be drawn in on this machine.

    Parameters
    ----------
    lang : {"en", "zh"}
        The language asked for.

    Returns
    -------
    str
        ``"zh"`` only when ``lang`` is ``"zh"`` and a Chinese font is
        installed; otherwise ``"en"``. Falling back from ``"zh"`` emits a
        :class:`MissingCJKFontWarning` once per process.

    Raises
    ------
    ValueError
        If ``lang`` is neither ``"en"`` nor ``"zh"``.

    Examples
    --------
    >>> from zonestudy.figures import resolve_lang
    >>> resolve_lang("en")
    'en'
    """
    _check_lang(lang)
    if lang == "zh" and find_cjk_font() is None:
        _warn_missing_cjk_font()
        return "en"
    return lang


# ---------------------------------------------------------------------------
# Bilingual labels
# ---------------------------------------------------------------------------

#: The recurring axis and legend words, in English and Chinese, from the bundled table
#: ``zonestudy/data/figure_labels.csv``. Keys ``sign``, ``start`` and ``produce`` are the three
#: stages of the 三个一批 campaigns (签约一批, 开工一批, 投产一批); ``all`` names a total
#: over the three stages.
LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        row["key"]: MappingProxyType({"en": row["en"], "zh": row["zh"]})
        for row in reference_rows("figure_labels")
    }
)


def label(
    key: str | Mapping[str, str],
    lang: str = "en",
    *,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """Return an axis or legend label in English or Chinese.

    Parameters
    ----------
    key : str or mapping
        A key of :data:`LABELS` (or of ``labels``), or a caller's own
        ``{"en": ..., "zh": ...}`` mapping.
    lang : {"en", "zh"}
        The language; pass the value returned by :func:`use_paper_style` or
        :func:`resolve_lang`, so that machines without a Chinese font get
        English labels.
    labels : mapping, optional
        Extra labels ``{key: {"en": ..., "zh": ...}}`` for a notebook's own
        words; they take precedence over :data:`LABELS`.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If ``key`` is unknown or has no text in ``lang``.
    ValueError
        If ``lang`` is neither ``"en"`` nor ``"zh"``.

    Examples
    --------
    >>> from zonestudy.figures import label
    >>> label("produce"), label("produce", "zh")
    ('In production', '投产')
    >>> label({"en": "Land area (km²)", "zh": "土地面积(平方公里)"}, "zh")
    '土地面积(平方公里)'
    >>> own = {"gdp": {"en": "GDP (CNY 100 million)", "zh": "地区生产总值(亿元)"}}
    >>> label("gdp", "en", labels=own)
    'GDP (CNY 100 million)'
    """
    _check_lang(lang)
    if isinstance(key, Mapping):
        entry = key
    else:
        table = {**LABELS, **(labels or {})}
        if key not in table:
            raise KeyError(f"no label {key!r}; known labels: {', '.join(sorted(table))}")
        entry = table[key]
    if lang not in entry:
        raise KeyError(f"label {key!r} has no {lang!r} text")
    return entry[lang]


# ---------------------------------------------------------------------------
# Writing files
# ---------------------------------------------------------------------------

_FIGURE_NAME = re.compile(r"^fig\d{2}_[a-z0-9_]+$")
_TABLE_NAME = re.compile(r"^tab\d{2}_[a-z0-9_]+$")

#: Metadata that would otherwise embed the date and matplotlib's version.
_PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}
_PNG_METADATA = {"Software": None}


def _resolve_directory(directory: str | os.PathLike[str] | None) -> Path:
    if directory is None:
        from zonestudy import paths

        return Path(paths.figures_dir())
    return Path(directory)


def _write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, leaving identical files untouched."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _output_name(name: str, pattern: re.Pattern[str], lang: str, example: str) -> str:
    if not isinstance(name, str) or not pattern.fullmatch(name):
        raise ValueError(
            f"name {name!r} must match {pattern.pattern} "
            f"(lower-case ASCII, e.g. {example!r}; no dates or extensions)"
        )
    if name.endswith("_zh"):
        raise ValueError(
            f"name {name!r} must not end in '_zh': pass the base name and "
            "lang='zh', and '_zh' is appended"
        )
    return f"{name}_zh" if _check_lang(lang) == "zh" else name


def _ids(values: str | Iterable[str], what: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    ids = set()
    for value in values:
        text = str(value).strip()
        if not text or ";" in text or "\n" in text:
            raise ValueError(f"{what} {value!r} must be non-empty and contain no ';' or newline")
        ids.add(text)
    return sorted(ids)


def _notebook(notebook: str | os.PathLike[str]) -> str:
    text = Path(notebook).as_posix() if isinstance(notebook, os.PathLike) else str(notebook)
    if not text.strip() or "\n" in text:
        raise ValueError("notebook must name the notebook that makes the output")
    if Path(text).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", text):
        raise ValueError(
            f"notebook {text!r} must be relative to the project root (e.g. "
            "'notebooks/03_pipeline.ipynb'), so that the catalogue is the same "
            "on every machine"
        )
    return text


def _shows_tick_labels(axis: Any) -> bool:
    if not axis.get_visible():
        return False
    return any(t.get_visible() and t.get_text().strip() for t in axis.get_majorticklabels())


def _shared_label(ax: Any, which: str) -> bool:
    figure = ax.get_figure(root=False)
    while figure is not None:
        text = figure.get_supxlabel() if which == "x" else figure.get_supylabel()
        if text.strip():
            return True
        parent = getattr(figure, "_parent", None)
        figure = parent if parent is not figure else None
    return False


def _unlabelled_axes(fig: Any) -> list[str]:
    problems = []
    for index, ax in enumerate(fig.axes):
        if not ax.get_visible() or not ax.axison:
            continue
        missing = []
        for which, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if (
                _shows_tick_labels(axis)
                and not axis.get_label_text().strip()
                and not _shared_label(ax, which)
            ):
                missing.append(which)
        if missing:
            title = ax.get_title() or ax.get_label() or ""
            name = f"axes {index}" + (f" ({title!r})" if title else "")
            problems.append(f"{name} lacks a {' and '.join(missing)} label")
    return problems


def _render(fig: Any, fmt: str, metadata: Mapping[str, Any]) -> bytes:
    buffer = io.BytesIO()
    # PDF files embed their fonts' subsets from fonts decompiled once per process (same bytes)
    with warnings.catch_warnings(record=True) as caught, _cached_font_loading():
        warnings.simplefilter("always")
        fig.savefig(buffer, format=fmt, dpi=300, metadata=dict(metadata))
    missing = sorted({str(w.message) for w in caught if "missing from font" in str(w.message)})
    if missing:
        raise RuntimeError(
            "the figure has characters that its font cannot draw (they would "
            "show as boxes): " + " ".join(missing) + " Apply the Chinese font "
            "with use_paper_style('zh') or use_cjk_font(), or use English labels."
        )
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    return buffer.getvalue()


def save_figure(
    fig: Any,
    name: str,
    *,
    notebook: str | os.PathLike[str],
    sources: str | Iterable[str],
    tables: str | Iterable[str] = (),
    caption: str = "",
    directory: str | os.PathLike[str] | None = None,
    lang: str = "en",
) -> tuple[Path, Path]:
    """Write a figure as PDF and 300-dpi PNG and record it in the catalogue.

    The files are ``{directory}/{name}.pdf`` and ``{directory}/{name}.png``,
    or ``{name}_zh.pdf`` and ``{name}_zh.png`` for ``lang="zh"``. Dates and
    software versions are left out of the files, so the same figure gives the
    same bytes on every run; a file whose bytes would not change is not
    rewritten.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, drawn at its final size (see :func:`use_paper_style`).
    name : str
        Stable name matching ``^fig\\d{2}_[a-z0-9_]+$``, such as
        ``"fig03_pipeline"``: the figure number and a description, never a
        date. Do not add ``_zh`` yourself.
    notebook : str or path
        The notebook that makes the figure, relative to the project root,
        such as ``"notebooks/03_pipeline.ipynb"``.
    sources : str or iterable of str
        Ids of the raw data sources behind the figure (at least one).
    tables : str or iterable of str, optional
        Names of the clean tables the figure is drawn from.
    caption : str, optional
        The caption, as it should appear in the catalogue.
    directory : path, optional
        Output folder; by default the project's ``figures/`` folder.
    lang : {"en", "zh"}
        Language of the figure's text.

    Returns
    -------
    tuple of Path
        The PDF and PNG paths.

    Raises
    ------
    ValueError
        If ``name``, ``notebook``, ``sources`` or ``tables`` is malformed, or
        if a visible axes lacks an axis label (the message names the axes).
    RuntimeError
        If a character in the figure is missing from its fonts, so that it
        would show as a box. This check applies to every figure.

    Notes
    -----
    Every visible axes must label each axis that shows tick labels. Axes
    hidden with ``ax.axis("off")``, and axes whose ticks were removed (a pie
    chart, the short side of a colour bar), need no labels. Panels that share
    an axis may instead carry one label for the whole (sub)figure, set with
    ``fig.supxlabel`` or ``fig.supylabel``; inner panels whose tick labels
    are hidden by ``sharex``/``sharey`` need none.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from matplotlib.figure import Figure
    >>> from zonestudy.figures import read_catalogue, save_figure
    >>> fig = Figure(figsize=(6.5, 4.0))
    >>> axes = fig.subplots(1, 2, sharey=True)
    >>> for ax, stage in zip(axes, ["Signed", "Started"]):
    ...     _ = ax.plot([2023, 2024], [40, 55], marker="o")
    ...     _ = ax.set_title(stage)
    ...     _ = ax.set_xlabel("Year")
    >>> _ = fig.supylabel("Projects")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     pdf, png = save_figure(
    ...         fig, "fig02_projects_by_stage",
    ...         notebook="notebooks/02_stages.ipynb",
    ...         sources=["SX-S001"], tables=["projects"],
    ...         caption="Projects by stage", directory=Path(tmp))
    ...     pdf.name, read_catalogue(Path(tmp)).loc[0, "files"]
    ('fig02_projects_by_stage.pdf', 'fig02_projects_by_stage.pdf;fig02_projects_by_stage.png')
    """
    stem = _output_name(name, _FIGURE_NAME, lang, "fig03_pipeline")
    notebook_text = _notebook(notebook)
    source_ids = _ids(sources, "source id")
    if not source_ids:
        raise ValueError("sources must name at least one data source id")
    table_names = _ids(tables, "table name")
    problems = _unlabelled_axes(fig)
    if problems:
        raise ValueError(
            "every axis with tick labels needs a label (or use fig.supxlabel / "
            "fig.supylabel, or ax.axis('off')): " + "; ".join(problems)
        )
    pdf_bytes = _render(fig, "pdf", _PDF_METADATA)
    png_bytes = _render(fig, "png", _PNG_METADATA)

    out = _resolve_directory(directory)
    pdf_path, png_path = out / f"{stem}.pdf", out / f"{stem}.png"
    _write_bytes(pdf_path, pdf_bytes)
    _write_bytes(png_path, png_bytes)
    _upsert_catalogue(
        out,
        {
            "kind": "figure",
            "name": stem,
            "files": f"{pdf_path.name};{png_path.name}",
            "notebook": notebook_text,
            "tables": ";".join(table_names),
            "sources": ";".join(source_ids),
            "caption": caption,
            "lang": lang,
        },
    )
    return pdf_path, png_path


def save_figure_languages(
    draw: Callable[[str], Any],
    name: str,
    *,
    notebook: str | os.PathLike[str],
    sources: str | Iterable[str],
    tables: str | Iterable[str] = (),
    caption: str = "",
    directory: str | os.PathLike[str] | None = None,
) -> Any:
    """Draw a figure in English and, where a Chinese font is installed, in Chinese; save both.

    ``draw("en")`` is called inside :func:`paper_style` and saved with
    :func:`save_figure` as ``name``; when :func:`find_cjk_font` finds a
    Chinese font, ``draw("zh")`` is saved as ``name_zh`` the same way and
    closed. The English figure is returned, still open, so that a notebook
    can show it (``plt.show()``).

    Without a Chinese font only the English version is drawn, and silently:
    a notebook's output must not depend on the fonts of the machine that ran
    it. ``python -m zonestudy.study build`` reports a missing font once, with the
    install command (:func:`missing_cjk_font_message`).

    Parameters
    ----------
    draw : callable
        ``draw(lang) -> matplotlib.figure.Figure``, drawing every text in
        ``lang`` (``"en"`` or ``"zh"``), e.g.
        ``lambda lang: pipeline.plot_stage_sizes(sizes, lang=lang)``.
    name : str
        Stable figure name (``figNN_slug``), as for :func:`save_figure`.
    notebook, sources, tables, caption, directory
        Passed to :func:`save_figure` for both versions.

    Returns
    -------
    matplotlib.figure.Figure
        The English figure.

    Raises
    ------
    ValueError, RuntimeError
        As :func:`save_figure` (bad names or ids, unlabelled axes, missing
        glyphs).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import matplotlib.pyplot as plt
    >>> from zonestudy.figures import find_cjk_font, label, save_figure_languages
    >>> def draw(lang):
    ...     fig, ax = plt.subplots()
    ...     _ = ax.bar([label("sign", lang), label("start", lang)], [40, 30])
    ...     _ = ax.set_xlabel(label("stage", lang))
    ...     _ = ax.set_ylabel(label("projects", lang))
    ...     return fig
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     fig = save_figure_languages(draw, "fig01_demo", notebook="notebooks/03_x.ipynb",
    ...                                 sources=["S2", "S1"], directory=tmp)
    ...     names = sorted(p.name for p in Path(tmp).glob("fig01_demo*.pdf"))
    >>> names == ["fig01_demo.pdf"] + (["fig01_demo_zh.pdf"] if find_cjk_font() is not None else [])
    True
    >>> fig.axes[0].get_xlabel()
    'Stage'
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    sources = sources if isinstance(sources, str) else list(sources)
    tables = tables if isinstance(tables, str) else list(tables)
    langs = ["en"] + (["zh"] if find_cjk_font() is not None else [])
    english = None
    for lang in langs:
        with paper_style(lang) as used:
            fig = draw(used)
            save_figure(fig, name, notebook=notebook, sources=sources, tables=tables,
                        caption=caption, directory=directory, lang=used)
        if used == "en":
            english = fig
        else:
            plt.close(fig)
    return english


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

FloatFormat = latex.FloatFormat
_latex_escape = latex.latex_escape


def save_table(
    df: pd.DataFrame,
    name: str,
    *,
    notebook: str | os.PathLike[str],
    sources: str | Iterable[str],
    tables: str | Iterable[str] = (),
    caption: str = "",
    directory: str | os.PathLike[str] | None = None,
    float_format: FloatFormat | Mapping[Any, FloatFormat] | None = None,
    index: bool | None = None,
    lang: str = "en",
    headers: str | os.PathLike[str] | pd.DataFrame | None = None,
    note: str = "",
) -> tuple[Path, Path]:
    """Write a results table as CSV and as a paper-ready LaTeX table.

    The files are ``{directory}/tables/{name}.csv`` (UTF-8, ``\\n`` line
    endings, full precision, every column, for reuse) and
    ``{directory}/tables/{name}.tex`` (made by
    :func:`zonestudy.latex.table_to_latex`: booktabs rules, ``\\caption`` and
    ``\\label{tab:NAME}``, human headers with units, yes/no for booleans, the
    source ids in a note, ``longtable`` for long tables and a layout that fits
    the page, for ``\\input`` in a paper compiled with xelatex). The same
    table gives the same bytes on every run, and the table is recorded in the
    catalogue.

    Parameters
    ----------
    df : pandas.DataFrame
        The table. Chinese text is allowed; LaTeX special characters are
        escaped in the ``.tex`` file.
    name : str
        Stable name matching ``^tab\\d{2}_[a-z0-9_]+$``, such as
        ``"tab01_summary"``. Do not add ``_zh`` yourself.
    notebook : str or path
        The notebook that makes the table, relative to the project root.
    sources : str or iterable of str
        Ids of the raw data sources behind the table (at least one).
    tables : str or iterable of str, optional
        Names of the clean tables it is computed from.
    caption : str, optional
        The caption, recorded in the catalogue and as the ``\\caption`` of
        the ``.tex`` file.
    directory : path, optional
        Output folder; by default the project's ``figures/`` folder (the
        files go to its ``tables/`` subfolder).
    float_format : str, callable or mapping, optional
        Format of floating-point numbers in the ``.tex`` file: a ``%``-style
        or ``{}``-style format string, a function, or a mapping from column
        to format (columns not in the mapping use the header table's format,
        else ``"%.2f"``).
    index : bool, optional
        Whether to write the index. By default the index is written unless
        it is an unnamed ``RangeIndex``.
    lang : {"en", "zh"}
        Language of the table's text; ``"zh"`` appends ``_zh`` to the name.
    headers : path or DataFrame, optional
        Header table giving each column's printed label, unit and format
        (:func:`zonestudy.latex.read_table_headers`); by default the one
        shipped with the package.
    note : str, optional
        Text put in the table note before the source ids.

    Returns
    -------
    tuple of Path
        The CSV and TeX paths.

    Raises
    ------
    ValueError
        If ``name``, ``notebook``, ``sources`` or ``tables`` is malformed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from zonestudy.figures import save_table
    >>> df = pd.DataFrame({"Stage": ["签约", "开工"], "Share (%)": [0.61, 0.39]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     csv_path, tex_path = save_table(
    ...         df, "tab01_stage_shares", notebook="notebooks/01_overview.ipynb",
    ...         sources="SX-S001", caption="Stage shares.", directory=Path(tmp))
    ...     tex = tex_path.read_text(encoding="utf-8")
    >>> for line in tex.splitlines():
    ...     if "caption" in line or "签约" in line:
    ...         print(line)
    \\caption{Stage shares.}
    签约 & 0.61 \\\\
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, not {type(df).__name__}")
    stem = _output_name(name, _TABLE_NAME, lang, "tab01_summary")
    notebook_text = _notebook(notebook)
    source_ids = _ids(sources, "source id")
    if not source_ids:
        raise ValueError("sources must name at least one data source id")
    table_names = _ids(tables, "table name")
    if index is None:
        index = not (isinstance(df.index, pd.RangeIndex) and df.index.name is None)

    csv_text = df.to_csv(index=index, lineterminator="\n")
    tex_frame = df.reset_index() if index else df
    tex_text = latex.table_to_latex(
        tex_frame, name=stem, caption=caption, sources=source_ids, headers=headers,
        float_format=float_format, note=note, lang=lang)

    out = _resolve_directory(directory)
    csv_path = out / "tables" / f"{stem}.csv"
    tex_path = out / "tables" / f"{stem}.tex"
    _write_bytes(csv_path, csv_text.encode("utf-8"))
    _write_bytes(tex_path, tex_text.encode("utf-8"))
    _upsert_catalogue(
        out,
        {
            "kind": "table",
            "name": stem,
            "files": f"tables/{csv_path.name};tables/{tex_path.name}",
            "notebook": notebook_text,
            "tables": ";".join(table_names),
            "sources": ";".join(source_ids),
            "caption": caption,
            "lang": lang,
        },
    )
    return csv_path, tex_path


# ---------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------

#: Columns of ``catalogue.csv``. ``files``, ``tables`` and ``sources`` are
#: ';'-joined; ``files`` are relative to the catalogue's folder; ``tables``
#: and ``sources`` are sorted and unique.
CATALOGUE_COLUMNS: tuple[str, ...] = (
    "kind",
    "name",
    "files",
    "notebook",
    "tables",
    "sources",
    "caption",
    "lang",
)
_CATALOGUE = "catalogue.csv"
_README = "README.md"


def _read_rows(out: Path) -> list[dict[str, str]]:
    path = out / _CATALOGUE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {column: row.get(column) or "" for column in CATALOGUE_COLUMNS}
            for row in csv.DictReader(handle)
        ]


@contextlib.contextmanager
def _catalogue_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder ``out`` while its catalogue is read and rewritten.

    Notebooks that run side by side (``python -m zonestudy.study build``) record their exhibits in the same
    ``catalogue.csv``; the lock keeps one notebook's entries from being lost to another's rewrite.
    The lock is taken on the folder itself (``flock``), so no lock file is left behind. Where
    ``fcntl`` is missing (Windows) nothing is locked, and the build runs the notebooks one by one.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _upsert_catalogue(out: Path, record: Mapping[str, str]) -> None:
    with _catalogue_lock(out):
        rows = {row["name"]: row for row in _read_rows(out)}
        rows[record["name"]] = {column: str(record[column]) for column in CATALOGUE_COLUMNS}
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CATALOGUE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for key in sorted(rows):
            writer.writerow(rows[key])
        _write_bytes(out / _CATALOGUE, buffer.getvalue().encode("utf-8"))


def read_catalogue(directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read the catalogue of saved figures and tables.

    Parameters
    ----------
    directory : path, optional
        The folder holding ``catalogue.csv``; by default the project's
        ``figures/`` folder.

    Returns
    -------
    pandas.DataFrame
        One row per output, sorted by name, with the columns in
        :data:`CATALOGUE_COLUMNS`; all values are strings (empty when
        absent). Empty if nothing has been saved yet.

    Examples
    --------
    >>> import tempfile
    >>> from zonestudy.figures import read_catalogue
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     list(read_catalogue(tmp).columns)
    ['kind', 'name', 'files', 'notebook', 'tables', 'sources', 'caption', 'lang']
    """
    rows = _read_rows(_resolve_directory(directory))
    return pd.DataFrame(rows, columns=list(CATALOGUE_COLUMNS), dtype=object)


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def write_catalogue_markdown(directory: str | os.PathLike[str] | None = None) -> Path:
    """Render the catalogue as ``README.md`` beside ``catalogue.csv``.

    The README lists every figure and table with its files, notebook, clean
    tables, source ids and caption, for the replication package's list of
    exhibits. The same catalogue always gives the same bytes.

    Parameters
    ----------
    directory : path, optional
        The folder holding ``catalogue.csv``; by default the project's
        ``figures/`` folder.

    Returns
    -------
    Path
        The path of ``README.md``.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from zonestudy.figures import save_table, write_catalogue_markdown
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = save_table(pd.DataFrame({"Projects": [3]}), "tab01_count",
    ...                    notebook="notebooks/01_overview.ipynb",
    ...                    sources="SX-S001", caption="Project count",
    ...                    directory=tmp)
    ...     print(write_catalogue_markdown(tmp).read_text(encoding="utf-8"))
    <!-- Generated by zonestudy.figures.write_catalogue_markdown from catalogue.csv; do not edit by hand. -->
    # Figures and tables
    <BLANKLINE>
    | File | Notebook | Tables | Sources | Caption |
    | --- | --- | --- | --- | --- |
    | [tab01_count.csv](tables/tab01_count.csv), [tab01_count.tex](tables/tab01_count.tex) | `notebooks/01_overview.ipynb` |  | SX-S001 | Project count |
    <BLANKLINE>
    """
    out = _resolve_directory(directory)
    lines = [
        "<!-- Generated by zonestudy.figures.write_catalogue_markdown from "
        "catalogue.csv; do not edit by hand. -->",
        "# Figures and tables",
        "",
        "| File | Notebook | Tables | Sources | Caption |",
        "| --- | --- | --- | --- | --- |",
    ]
    with _catalogue_lock(out):
        _write_catalogue_markdown(out, lines)
    return out / _README


def _write_catalogue_markdown(out: Path, lines: list[str]) -> None:
    for row in sorted(_read_rows(out), key=lambda r: r["name"]):
        files = ", ".join(
            f"[{_markdown_cell(Path(f).name)}]({f})" for f in row["files"].split(";") if f
        )
        notebook = f"`{_markdown_cell(row['notebook'])}`" if row["notebook"] else ""
        cells = [
            files,
            notebook,
            _markdown_cell(", ".join(filter(None, row["tables"].split(";")))),
            _markdown_cell(", ".join(filter(None, row["sources"].split(";")))),
            _markdown_cell(row["caption"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    _write_bytes(out / _README, "\n".join(lines).encode("utf-8"))
