"""The codebook of the clean tables: every column's type, unit, label, description, source and codes.

The descriptions live in a data file, ``data/clean_schema.csv`` (one row per clean table and
column, see :data:`SCHEMA_COLUMNS`), edited by hand when a clean table gains a column. From it:

* :func:`variable_label` gives the Stata variable label of a column ("Title (unit)", at most 80
  characters) and :func:`value_codes` the value labels of a coded column (used by
  :mod:`zonestudy.stata`);
* :func:`write_codebook` writes ``data/clean/README.md``, listing every clean table (rows, files)
  and every column. A column missing from the schema is listed as *not described*, so that the
  codebook never hides a column (``tests/test_codebook.py`` fails on one).

Examples
--------
>>> import pandas as pd
>>> from zonestudy.codebook import variable_label
>>> schema = pd.DataFrame([{"table": "t", "column": "value_cny", "type": "number", "unit": "yuan",
...                         "title": "Value", "description": "Amount.", "source": "raw", "codes": ""}])
>>> variable_label(schema, "t", "value_cny")
'Value (yuan)'
>>> variable_label(schema, "t", "round_no")
'round no'
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from zonestudy import paths

__all__ = [
    "SCHEMA_COLUMNS",
    "TYPES",
    "column_type",
    "read_clean_schema",
    "value_codes",
    "variable_label",
    "write_codebook",
]

#: Columns of ``data/clean_schema.csv``. ``codes`` lists the allowed values of a coded column,
#: ``|``-separated, in the order of their Stata codes (0, 1, 2 …).
SCHEMA_COLUMNS: tuple[str, ...] = (
    "table", "column", "type", "unit", "title", "description", "source", "codes",
)
#: Column types of the schema (Frictionless names).
TYPES: tuple[str, ...] = ("string", "integer", "number", "boolean", "date")
_README = "README.md"


def schema_path() -> Path:
    """Path of the project's ``data/clean_schema.csv``."""
    return paths.project_root() / "data" / "clean_schema.csv"


def read_clean_schema(path: str | os.PathLike[str] | pd.DataFrame | None = None) -> pd.DataFrame:
    """Read the description table of the clean columns.

    Parameters
    ----------
    path : path or DataFrame, optional
        By default the project's ``data/clean_schema.csv``; an empty table outside a clone or if
        that file does not exist (then every column is labelled with its name).

    Returns
    -------
    pandas.DataFrame
        The columns in :data:`SCHEMA_COLUMNS`, all strings.

    Raises
    ------
    ValueError
        If a column is missing, a type is not one of :data:`TYPES` or a (table, column) repeats.
    """
    if isinstance(path, pd.DataFrame):
        frame = path.copy()
    else:
        try:
            file = Path(path) if path is not None else schema_path()
        except paths.ProjectRootNotFound:  # the library used outside a clone
            return pd.DataFrame(columns=list(SCHEMA_COLUMNS), dtype=str)
        if path is None and not file.is_file():
            return pd.DataFrame(columns=list(SCHEMA_COLUMNS), dtype=str)
        frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in SCHEMA_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"clean schema lacks the columns {missing}")
    frame = frame[list(SCHEMA_COLUMNS)].fillna("").astype(str)
    bad = sorted(set(frame["type"]) - set(TYPES))
    if bad:
        raise ValueError(f"clean schema: unknown type(s) {bad}; use one of {list(TYPES)}")
    dupes = frame[frame.duplicated(["table", "column"], keep=False)]
    if len(dupes):
        raise ValueError(f"clean schema repeats {sorted(set(zip(dupes['table'], dupes['column'])))}")
    return frame.reset_index(drop=True)


def _entry(schema: pd.DataFrame, table: str, column: str) -> pd.Series | None:
    rows = schema[(schema["table"] == table) & (schema["column"] == column)]
    return rows.iloc[0] if len(rows) else None


def variable_label(schema: pd.DataFrame, table: str, column: str) -> str:
    """The label of a column: its title and unit ("Value (yuan)"), at most 80 characters.

    Columns missing from the schema get their name with underscores as spaces.
    """
    row = _entry(schema, table, column)
    if row is None or not row["title"]:
        return column.replace("_", " ")[:80]
    label = row["title"]
    if row["unit"] and f"({row['unit']})" not in label:
        label = f"{label} ({row['unit']})"
    return label[:80]


def value_codes(schema: pd.DataFrame, table: str, column: str) -> list[str]:
    """The allowed values of a coded column in code order; empty for other columns."""
    row = _entry(schema, table, column)
    if row is None or not row["codes"]:
        return []
    return row["codes"].split("|")


def column_type(series: pd.Series) -> str:
    """The schema type of a loaded clean column.

    Examples
    --------
    >>> column_type(pd.Series([1, 2])), column_type(pd.Series(["a"])), column_type(pd.Series([True]))
    ('integer', 'string', 'boolean')
    """
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "string"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def write_codebook(clean_dir: str | os.PathLike[str] | None = None,
                   schema: str | os.PathLike[str] | pd.DataFrame | None = None) -> Path:
    """Write ``README.md`` in the clean folder: every clean table and every column.

    Parameters
    ----------
    clean_dir : path, optional
        The folder of clean tables (``*.csv``, read with :func:`zonestudy.io.load_clean`); by
        default the project's ``data/clean``.
    schema : path or DataFrame, optional
        The description table (:func:`read_clean_schema`).

    Returns
    -------
    Path
        The codebook's path. The same tables and schema give the same bytes.
    """
    from zonestudy import io as zio  # io writes the clean tables and calls this function

    folder = Path(clean_dir) if clean_dir is not None else paths.clean_dir()
    described = read_clean_schema(schema)
    lines = [
        "<!-- Generated by zonestudy.codebook.write_codebook from data/clean_schema.csv and the "
        "clean tables; do not edit by hand. -->",
        "# Codebook of the clean tables",
        "",
        "Every table is a UTF-8 CSV file and a Stata 118 `.dta` file with the same columns (index "
        "below). In the `.dta` files every variable has the label shown here (title and unit), "
        "coded columns and yes/no columns are labelled integers (codes 0, 1, … in the order listed under "
        "*codes*), and dates are Stata daily dates (`%td`). `source` says where a column comes from: "
        "`raw: file.column` in `data/raw`, or `derived:` the function that computes it. Every row "
        "carries the id of its source (`source_id`/`source_ids`, see `data/raw/sources.csv`) or the id "
        "of the fact it describes.",
        "",
        "| table | rows | columns | files |",
        "| --- | ---: | ---: | --- |",
    ]
    tables = sorted(p.stem for p in folder.glob("*.csv"))
    frames = {name: zio.load_clean(name, clean_dir=folder) for name in tables}
    for name in tables:
        files = [f"[{name}.csv]({name}.csv)"]
        if (folder / f"{name}.dta").is_file():
            files.append(f"[{name}.dta]({name}.dta)")
        lines.append(f"| [`{name}`](#{name}) | {len(frames[name])} | {frames[name].shape[1]} | "
                     f"{', '.join(files)} |")
    for name in tables:
        lines += ["", f"## {name}", "",
                  "| column | type | unit | label | description | source | codes |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for column in frames[name].columns:
            row = _entry(described, name, column)
            kind = column_type(frames[name][column])
            if row is None:
                lines.append(f"| `{column}` | {kind} |  | {_cell(variable_label(described, name, column))} "
                             "| *not described in data/clean_schema.csv* |  |  |")
                continue
            codes = ", ".join(f"{i} = {c}" for i, c in enumerate(value_codes(described, name, column)))
            if kind == "boolean":
                codes = "0 = no, 1 = yes"
            lines.append("| " + " | ".join([
                f"`{column}`", kind, _cell(row["unit"]), _cell(variable_label(described, name, column)),
                _cell(row["description"]), _cell(row["source"]), _cell(codes)]) + " |")
    lines.append("")
    path = folder / _README
    data = "\n".join(lines).encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
    return path
