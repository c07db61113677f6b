"""Every table in figures/tables compiles with xelatex, with the README's preamble, without overfull boxes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from zonestudy import latex


ROOT = Path(__file__).resolve().parents[2]
TABLES = sorted((ROOT / "figures" / "tables").glob("tab*.tex"))


def readme_preamble() -> str:
    """The LaTeX preamble the README documents (its ```latex block that loads xeCJK)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```latex\n(.*?)```", text, flags=re.S):
        if r"\usepackage{xeCJK}" in block:
            return block
    raise AssertionError("README.md has no ```latex block with the xeCJK preamble")


def test_readme_preamble_names_a_cjk_font():
    assert re.search(r"\\setCJKmainfont\{[^}]+\}", readme_preamble())


def test_every_table_has_caption_and_label():
    assert TABLES, "no .tex tables under figures/tables"
    for tex in TABLES:
        text = tex.read_text(encoding="utf-8")
        assert r"\caption{" in text, tex.name
        assert f"\\label{{tab:{tex.stem}}}" in text, tex.name
        assert r"\toprule" in text and r"\bottomrule" in text, tex.name
        assert not re.search(r"(?<![A-Za-z])(True|False)(?![A-Za-z])", text.split("\n", 1)[1]), tex.name


@pytest.mark.skipif(shutil.which("xelatex") is None,
                    reason="xelatex is not installed (apt-get install texlive-xetex texlive-lang-chinese; "
                           ".ci/run installs it)")
def test_tables_compile_without_overfull_boxes(tmp_path):
    preamble = readme_preamble()
    body = []
    for tex in TABLES:
        body.append(f"\\typeout{{ZONESTUDY-TABLE {tex.stem}}}\n\\input{{{tex.as_posix()}}}\n\\clearpage\n")
    document = preamble + "\\begin{document}\n" + "".join(body) + "\\typeout{ZONESTUDY-TABLE end}\n\\end{document}\n"
    (tmp_path / "tables.tex").write_text(document, encoding="utf-8")
    for _ in range(2):  # longtable settles its column widths on the second run
        run = subprocess.run(
            ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "-no-pdf", "tables.tex"],
            cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=300)
    log = (tmp_path / "tables.log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, log[-3000:]
    current, problems = None, []
    for line in log.splitlines():
        marker = re.match(r"ZONESTUDY-TABLE (\S+)", line)
        if marker:
            current = marker.group(1)
        elif "Overfull \\hbox" in line or "Overfull \\vbox" in line:
            problems.append(f"{current}: {line.strip()}")
        elif "Missing character" in line:
            problems.append(f"{current}: {line.strip()}")
    assert not problems, "\n".join(problems)


def test_every_study_table_column_has_a_human_header():
    headers = latex.read_table_headers()
    known = set(headers["column"])
    missing = {}
    for path in sorted((ROOT / "figures" / "tables").glob("tab*.csv")):
        columns = pd.read_csv(path, nrows=0).columns
        absent = [c for c in columns if c not in known]
        if absent:
            missing[path.name] = absent
    assert not missing, f"add these columns to zonestudy/data/table_headers.csv: {missing}"
