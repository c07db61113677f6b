"""A static HTML site of executed notebooks and their exhibits, readable without Jupyter.

:func:`build_site` renders every numbered notebook (``NN_*.ipynb``) as it was executed — nothing is
run again — with nbconvert's HTML exporter, one page per notebook, plus:

* an **index** page listing the notebooks and every exhibit;
* each **exhibit** of the catalogue (``figures/catalogue.csv``, :func:`zonestudy.figures.read_catalogue`)
  shown right after the notebook cell that saves it: the figure (or the table), its caption, its files,
  the **source ids linked** to their entries on the sources page, and a **"how to cite this
  exhibit"** line. The element's ``id`` is the exhibit id (``fig01``, ``tab02`` …), a stable anchor
  (``03_campaign_pipeline.html#fig01``); the full exhibit name is an anchor too;
* a **sources** page rendering ``data/raw/sources.csv`` with one anchor per source id.

The site is self-contained (no web fonts or scripts from the internet): open ``index.html`` in a
browser. Chinese text uses the reader's CJK fonts (WenQuanYi Micro Hei, Noto Sans CJK …).

Command line (``make site``)::

    python -m zonestudy.site --out build/site

Examples
--------
>>> from zonestudy.site import exhibit_id
>>> exhibit_id("fig01_province_lists_by_round"), exhibit_id("tab02_average_size_by_stage_zh")
('fig01', 'tab02')
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zonestudy import paths

__all__ = ["Exhibit", "build_site", "exhibit_id", "main", "read_exhibits"]

_NUMBERED = re.compile(r"^(\d{2})_[A-Za-z0-9_]+\.ipynb$")
_MARKER = ".zonestudy-site"
_CSS = """
body { font-family: "Latin Modern Roman", "DejaVu Serif", Georgia, serif, "WenQuanYi Micro Hei",
       "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; max-width: 62rem; margin: 0 auto;
       padding: 1rem 1.5rem 4rem; line-height: 1.45; color: #1d1d1d; }
nav { font-family: sans-serif; font-size: 0.9rem; border-bottom: 1px solid #ccc; padding: 0.4rem 0;
      margin-bottom: 1rem; }
nav a { margin-right: 1rem; }
figure.exhibit { border: 1px solid #c9d3e0; background: #f7f9fc; margin: 1.5rem 0; padding: 0.8rem 1rem; }
figure.exhibit img { max-width: 100%; height: auto; display: block; margin: 0 auto; background: white; }
figure.exhibit figcaption { font-size: 0.95rem; margin-top: 0.6rem; }
figure.exhibit .exhibit-id { font-family: monospace; font-weight: bold; }
figure.exhibit p { margin: 0.3rem 0; }
.table-wrap { overflow-x: auto; max-height: 32rem; overflow-y: auto; background: white; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
tr:target { background: #fff3b0; }
figure:target { outline: 3px solid #f0b400; }
.cite { font-size: 0.85rem; color: #333; }
.jp-InputPrompt, .jp-OutputPrompt { display: none; }
pre { background: #f5f5f5; padding: 0.5rem; overflow-x: auto; font-size: 0.85rem; }
.jp-OutputArea-output pre { background: none; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
"""


def exhibit_id(name: str) -> str:
    """The short id of an exhibit name: ``fig01_x`` → ``fig01``."""
    match = re.match(r"^((?:fig|tab)\d{2})", name)
    if not match:
        raise ValueError(f"exhibit name {name!r} does not start with figNN or tabNN")
    return match.group(1)


@dataclass
class Exhibit:
    """One figure or table of the catalogue, with its Chinese variant if there is one."""

    name: str
    kind: str
    notebook: str
    caption: str
    sources: list[str]
    files: list[str]
    variant_files: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return exhibit_id(self.name)


def read_exhibits(figures_dir: str | os.PathLike[str] | None = None) -> list[Exhibit]:
    """The catalogue's exhibits, English entries first; ``_zh`` entries become variants."""
    from zonestudy.figures import read_catalogue

    catalogue = read_catalogue(figures_dir)
    exhibits: dict[str, Exhibit] = {}
    for row in catalogue.itertuples():
        base = row.name.removesuffix("_zh")
        if row.name == base:
            exhibits[base] = Exhibit(
                base, row.kind, row.notebook, row.caption,
                [s for s in row.sources.split(";") if s], [f for f in row.files.split(";") if f])
    for row in catalogue.itertuples():
        base = row.name.removesuffix("_zh")
        if row.name != base and base in exhibits:
            exhibits[base].variant_files = [f for f in row.files.split(";") if f]
    ids = [e.id for e in exhibits.values()]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"exhibit ids {repeated} are used by more than one exhibit of the catalogue")
    return sorted(exhibits.values(), key=lambda e: e.name)


def _page(title: str, body: str, nav: str, extra_css: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}{extra_css}</style>\n</head>\n<body>\n"
        f"<nav>{nav}</nav>\n{body}\n</body>\n</html>\n"
    )


def _nav(pages: Sequence[tuple[str, str]]) -> str:
    links = ['<a href="index.html">Index</a>']
    links += [f'<a href="{html.escape(href)}">{html.escape(label)}</a>' for href, label in pages]
    links.append('<a href="sources.html">Sources</a>')
    return "".join(links)


def _source_links(ids: Sequence[str], known: set[str], where: str) -> str:
    unknown = [s for s in ids if s not in known]
    if unknown:
        raise ValueError(f"{where} cites source id(s) {unknown} that are not in sources.csv")
    return ", ".join(f'<a class="source" href="sources.html#{html.escape(s)}">{html.escape(s)}</a>'
                     for s in ids)


def _cite_line(exhibit: Exhibit, page: str, citation: str) -> str:
    what = "Figure" if exhibit.kind == "figure" else "Table"
    return (f"How to cite this exhibit: {html.escape(citation)}, {what} "
            f"<span class=\"exhibit-id\">{exhibit.id}</span> ({html.escape(exhibit.name)}, "
            f"{html.escape(Path(exhibit.notebook).name)}), <a href=\"{page}#{exhibit.id}\">"
            f"{page}#{exhibit.id}</a>; and cite the sources listed.")


def _exhibit_html(exhibit: Exhibit, page: str, figures_dir: Path, known: set[str],
                  citation: str) -> str:
    parts = [f'<figure class="exhibit {exhibit.kind}" id="{exhibit.id}">',
             f'<span id="{html.escape(exhibit.name)}"></span>']
    if exhibit.kind == "figure":
        png = next((f for f in exhibit.files if f.endswith(".png")), None)
        if png:
            parts.append(f'<img src="figures/{html.escape(png)}" alt="{html.escape(exhibit.caption)}">')
    else:
        table_csv = next((f for f in exhibit.files if f.endswith(".csv")), None)
        if table_csv:
            frame = pd.read_csv(figures_dir / table_csv, dtype=str, keep_default_na=False)
            parts.append('<div class="table-wrap">' + frame.to_html(index=False, border=0, escape=True)
                         + "</div>")
    files = [f'<a href="figures/{html.escape(f)}">{html.escape(Path(f).suffix.lstrip(".").upper())}</a>'
             for f in exhibit.files]
    files += [f'<a href="figures/{html.escape(f)}" lang="zh">中文 {html.escape(Path(f).suffix.lstrip(".").upper())}</a>'
              for f in exhibit.variant_files]
    parts += [
        "<figcaption>",
        f'<p><span class="exhibit-id">{exhibit.id}</span> — {html.escape(exhibit.caption)}</p>',
        f"<p class=\"sources\">Sources: {_source_links(exhibit.sources, known, exhibit.name)}</p>",
        f"<p class=\"files\">Files: {' · '.join(files)}</p>",
        f'<p class="cite">{_cite_line(exhibit, page, citation)}</p>',
        "</figcaption>",
        "</figure>",
    ]
    return "\n".join(parts)


def _sources_page(sources: pd.DataFrame, nav: str) -> str:
    rows = []
    for row in sources.itertuples():
        url = row.url if isinstance(row.url, str) and row.url else ""
        link = f'<a href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""
        rows.append(
            f'<tr id="{html.escape(row.source_id)}"><td><code>{html.escape(row.source_id)}</code></td>'
            f"<td>{html.escape(str(row.title or ''))}</td><td>{html.escape(str(row.outlet or ''))}</td>"
            f"<td>{html.escape(str(row.pub_date or ''))}</td><td>{link}</td>"
            f"<td>{html.escape(str(row.notes or ''))}</td></tr>")
    body = ("<h1>Sources</h1>\n<p>Every figure in the study traces to one of these sources "
            "(<code>data/raw/sources.csv</code>); each row's anchor is its source id.</p>\n"
            "<table><thead><tr><th>id</th><th>title</th><th>outlet</th><th>date</th><th>address</th>"
            "<th>notes</th></tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")
    return _page("Sources", body, nav)


def _notebook_title(notebook) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def _render_notebook(path: Path, exhibits: Sequence[Exhibit], page: str, figures_dir: Path,
                     known: set[str], citation: str) -> tuple[str, str, list[Exhibit]]:
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(path, as_version=4)
    title = _notebook_title(notebook) or path.stem
    placed: list[Exhibit] = []
    cells = []
    pending = list(exhibits)
    for cell in notebook.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        here = [e for e in pending if re.search(rf"[\"']{re.escape(e.name)}[\"']", cell.source)]
        for exhibit in here:
            cells.append(nbformat.v4.new_markdown_cell(_placeholder(exhibit)))
            pending.remove(exhibit)
            placed.append(exhibit)
    if pending:
        cells.append(nbformat.v4.new_markdown_cell("## Exhibits of this notebook"))
        for exhibit in pending:
            cells.append(nbformat.v4.new_markdown_cell(_placeholder(exhibit)))
            placed.append(exhibit)
    notebook.cells = cells
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(notebook)
    # Keep the exporter's styles (inline) but drop scripts fetched from the internet (MathJax,
    # require.js), so the page opens offline and identically on every build.
    body = re.sub(r"<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", "", body)
    # The exporter sanitises raw HTML cells, so exhibits go in as placeholder paragraphs, replaced here.
    for exhibit in placed:
        block = _exhibit_html(exhibit, page, figures_dir, known, citation)
        body = body.replace(f"<p>{_placeholder(exhibit)}</p>", block, 1)
    return title, body, placed


def _placeholder(exhibit: Exhibit) -> str:
    return f"ZONESTUDY-EXHIBIT-{exhibit.name}"


def build_site(
    out: str | os.PathLike[str],
    *,
    notebooks_dir: str | os.PathLike[str] | None = None,
    figures_dir: str | os.PathLike[str] | None = None,
    sources_csv: str | os.PathLike[str] | None = None,
    citation: str | None = None,
    title: str = "zonestudy",
) -> Path:
    """Build the site into ``out`` (replacing an earlier build there); return ``index.html``.

    Parameters
    ----------
    out : path
        Output folder, e.g. ``build/site``. An existing folder is replaced only if it is empty or
        holds an earlier site (a ``.zonestudy-site`` marker file).
    notebooks_dir, figures_dir : path, optional
        The executed notebooks and the exhibits (``catalogue.csv`` and files); by default the
        project's ``notebooks/`` and ``figures/``.
    sources_csv : path, optional
        The sources table (``source_id``, ``title``, ``outlet``, ``pub_date``, ``url``, ``notes``);
        by default ``data/raw/sources.csv``.
    citation : str, optional
        How to cite the study, the start of each exhibit's citation line; by default read from the
        project's ``CITATION.cff`` (authors, year, title, version).
    title : str
        Title of the index page.

    Raises
    ------
    ValueError
        If an exhibit cites a source id that is not in the sources table, or ``out`` is a
        folder that is not an earlier site.
    """
    out = Path(out)
    notebooks = Path(notebooks_dir) if notebooks_dir is not None else paths.notebooks_dir()
    figures = Path(figures_dir) if figures_dir is not None else paths.figures_dir()
    sources_path = Path(sources_csv) if sources_csv is not None else paths.raw_dir() / "sources.csv"
    if citation is None:
        citation = _default_citation()
    if out.exists():
        if any(out.iterdir()) and not (out / _MARKER).is_file():
            raise ValueError(f"{out} exists and is not a zonestudy site; choose an empty folder")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / _MARKER).write_text("built by zonestudy.site\n", encoding="utf-8")

    if sources_csv is None:  # every file of the sources resource(s): sources.csv and its further parts
        from zonestudy import io

        parts = [p for r in io.read_datapackage()["resources"] if r.get("zonestudy", {}).get("family") == "sources"
                 for p in (r["path"] if isinstance(r["path"], list) else [r["path"]])]
        sources = pd.concat([pd.read_csv(paths.raw_dir() / p, dtype=str, keep_default_na=False) for p in parts],
                            ignore_index=True)
    else:
        sources = pd.read_csv(sources_path, dtype=str, keep_default_na=False)
    known = set(sources["source_id"])
    exhibits = read_exhibits(figures)
    for exhibit in exhibits:
        for name in [*exhibit.files, *exhibit.variant_files]:
            target = out / "figures" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(figures / name, target)

    numbered = sorted((p for p in notebooks.glob("*.ipynb") if _NUMBERED.match(p.name)),
                      key=lambda p: p.name)
    pages = [(f"{p.stem}.html", p.name[:2]) for p in numbered]
    nav = _nav(pages)
    listing, exhibit_rows = [], []
    placed_names: set[str] = set()
    for path, (page, _) in zip(numbered, pages):
        mine = [e for e in exhibits if Path(e.notebook).name == path.name]
        page_title, body, placed = _render_notebook(path, mine, page, figures, known, citation)
        # put the site's navigation and styles into the exported page
        body = body.replace("</head>", f"<style>{_CSS}</style>\n</head>", 1)
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + f"\n<nav>{nav}</nav>", body, count=1)
        (out / page).write_text(body, encoding="utf-8")
        listing.append(f'<li><a href="{page}">{html.escape(page_title)}</a></li>')
        for exhibit in placed:
            placed_names.add(exhibit.name)
            exhibit_rows.append(
                f'<tr><td><a href="{page}#{exhibit.id}"><code>{exhibit.id}</code></a></td>'
                f"<td>{html.escape(exhibit.caption)}</td><td>{_source_links(exhibit.sources, known, exhibit.name)}"
                "</td></tr>")
    missing = [e.name for e in exhibits if e.name not in placed_names]
    if missing:
        raise ValueError(f"exhibits {missing} name notebooks that are not in {notebooks}")
    (out / "sources.html").write_text(_sources_page(sources, nav), encoding="utf-8")
    body = (
        f"<h1>{html.escape(title)}</h1>\n"
        "<p>The study's notebooks as executed, with every figure and table, its caption, its sources "
        "and how to cite it.</p>\n"
        f"<p class=\"cite\">How to cite the study: {html.escape(citation)}.</p>\n"
        "<h2>Notebooks</h2>\n<ol>\n" + "\n".join(listing) + "\n</ol>\n"
        "<h2>Figures and tables</h2>\n<table><thead><tr><th>exhibit</th><th>caption</th><th>sources</th>"
        "</tr></thead><tbody>\n" + "\n".join(exhibit_rows) + "\n</tbody></table>\n"
        '<p><a href="sources.html">All sources</a></p>'
    )
    index = out / "index.html"
    index.write_text(_page(title, body, nav), encoding="utf-8")
    return index


def _default_citation() -> str:
    try:
        from zonestudy.citation import read_cff, short_citation

        return short_citation(read_cff(paths.project_root() / "CITATION.cff"))
    except (ImportError, FileNotFoundError, paths.ProjectRootNotFound):
        from zonestudy import __version__

        return f"zonestudy contributors, zonestudy {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m zonestudy.site --out build/site``: build the site, print nothing on success."""
    parser = argparse.ArgumentParser(prog="python -m zonestudy.site", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="build/site", help="output folder (default build/site)")
    args = parser.parse_args(argv)
    try:
        build_site(args.out)
    except ValueError as err:
        print(f"site: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
