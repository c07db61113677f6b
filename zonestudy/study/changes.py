"""What a rebuild changed, against the committed outputs: clean rows, exhibits, finding values.

After ``make reproduce``, ``make diff`` (``python -m zonestudy.study diff``; also printed at the end of
the build) compares the rebuilt outputs with the version committed in git (``HEAD`` by default):

* **clean rows** — each table in ``data/clean`` with a key (:data:`CLEAN_KEYS`) is compared row by
  row with :func:`zonestudy.diffs.diff_tables`: rows added, removed, changed;
* **exhibits** — a figure or table (``fig01`` … ``tab11``) changed when any of its files under
  ``figures/`` differs;
* **findings** — each value of ``figures/tables/tab11_findings_values.csv`` (finding number, key,
  name) whose value changed, as ``old → new``.

Example line: ``finding 2 (province_lists) n_rounds: 9 → 10; exhibits changed: fig01, tab01``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zonestudy import diffs, paths

__all__ = ["CLEAN_KEYS", "FINDINGS_TABLE", "Changes", "what_changed", "summary_lines"]

CLEAN_KEYS: dict[str, list[str]] = {
    "campaign_facts": ["fact_id"],
    "article_facts": ["fact_id"],
    "article_projects": ["fact_id"],
    "zones": ["zone_id"],
    "published_rates": ["rate_id"],
    "cleaning_report": ["table", "fact_id", "column", "problem"],
    "double_entry": ["table", "fact_id"],
    "data_problems": ["file", "fact_id", "column", "value"],
}
"""Key columns of each clean table (rows are matched on them)."""
FINDINGS_TABLE = "figures/tables/tab11_findings_values.csv"
"""The table of every value stated in the findings (finding, key, name, value)."""
_EXHIBIT = re.compile(r"^((?:fig|tab)\d{2})_")


@dataclass
class Changes:
    """What changed against a commit: per clean table, the exhibits, the finding values."""

    rev: str
    clean: dict[str, pd.DataFrame] = field(default_factory=dict)
    exhibits: list[str] = field(default_factory=list)
    findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return (not self.exhibits and self.findings.empty and not self.notes
                and all(t.empty for t in self.clean.values()))


def _read(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else None


def what_changed(root: str | Path | None = None, rev: str = "HEAD") -> Changes:
    """Compare the outputs in the working tree with those committed at ``rev``.

    Raises
    ------
    zonestudy.diffs.NotAGitCheckout
        Outside a git checkout.
    """
    root = Path(root) if root is not None else paths.project_root()
    out = Changes(rev=rev)
    files = diffs.changed_files(["data/clean", "figures"], root=root, rev=rev)
    for name, key in CLEAN_KEYS.items():
        rel = f"data/clean/{name}.csv"
        if rel not in files:
            continue
        try:
            table = diffs.diff_tables(diffs.committed_table(rel, root=root, rev=rev), _read(root / rel), key)
        except ValueError as err:  # the key itself changed: no row-by-row comparison
            out.notes.append(f"{name} cannot be compared row by row ({err})")
            continue
        if not table.empty or table.attrs["columns_added"] or table.attrs["columns_removed"]:
            out.clean[name] = table
    out.exhibits = sorted({m.group(1) for f in files if f.startswith("figures/")
                           for m in [_EXHIBIT.match(Path(f).name)] if m})
    if FINDINGS_TABLE in files:
        old = diffs.committed_table(FINDINGS_TABLE, root=root, rev=rev)
        new = _read(root / FINDINGS_TABLE)
        key = ["finding", "key", "name"]
        table = diffs.diff_tables(old, new, key)
        before = (old if old is not None else pd.DataFrame(columns=[*key, "value"])).set_index(key)["value"]
        after = (new if new is not None else pd.DataFrame(columns=[*key, "value"])).set_index(key)["value"]
        table["old"] = [before.get(tuple(k), "") for k in table[key].itertuples(index=False)]
        table["new"] = [after.get(tuple(k), "") for k in table[key].itertuples(index=False)]
        out.findings = table
    return out


def summary_lines(changes: Changes, *, max_findings: int = 12) -> list[str]:
    """Short lines for the console: clean rows, finding values, exhibits.

    Examples
    --------
    >>> c = Changes(rev="HEAD", clean={"campaign_facts": pd.DataFrame(
    ...     {"fact_id": ["F1", "F2"], "change": ["added", "changed"], "columns": ["", "value_cny"]})},
    ...     exhibits=["fig01", "tab02"], findings=pd.DataFrame(
    ...     {"finding": ["2"], "key": ["province_lists"], "name": ["n_rounds"], "change": ["changed"],
    ...      "columns": ["value"], "old": ["9"], "new": ["10"]}))
    >>> print("\\n".join(summary_lines(c)))
    what changed against HEAD:
      clean rows: campaign_facts 1 added, 1 changed (value_cny)
      finding 2 (province_lists) n_rounds: 9 → 10
      exhibits changed: fig01, tab02
    """
    if changes.empty:
        return [f"what changed against {changes.rev}: nothing (clean tables, exhibits and findings as committed)"]
    lines = [f"what changed against {changes.rev}:"]
    parts = []
    for name, table in changes.clean.items():
        counts = table["change"].value_counts()
        words = [f"{int(counts[c])} {c}" for c in ("added", "removed", "changed") if c in counts]
        columns = sorted({c for cell in table.loc[table["change"] == "changed", "columns"] for c in cell.split(";") if c})
        shown = f" ({', '.join(columns[:6])}{', …' if len(columns) > 6 else ''})" if columns else ""
        for what in ("added", "removed"):
            new = table.attrs.get(f"columns_{what}", [])
            if new:
                words.append(f"columns {what}: {', '.join(new[:6])}{', …' if len(new) > 6 else ''}")
        parts.append(f"{name} {', '.join(words)}{shown}")
    if parts:
        lines.append("  clean rows: " + "; ".join(parts))
    lines += [f"  {note}" for note in changes.notes]
    for row in changes.findings.head(max_findings).itertuples(index=False):
        old = row.old if row.change != "added" else "(none)"
        new = row.new if row.change != "removed" else "(none)"
        lines.append(f"  finding {row.finding} ({row.key}) {row.name}: {old} → {new}")
    if len(changes.findings) > max_findings:
        lines.append(f"  … and {len(changes.findings) - max_findings} more finding values")
    lines.append("  exhibits changed: " + (", ".join(changes.exhibits) if changes.exhibits else "none"))
    return lines
