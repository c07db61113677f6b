"""Stata files a Stata user can read: variable labels, value labels, daily dates and a data label.

:func:`write_dta` writes a table as a Stata 118 ``.dta`` file (Stata 14 and later; Unicode) with
:meth:`pandas.DataFrame.to_stata`:

* every variable has a **variable label**, "Title (unit)" from the clean schema
  (:func:`zonestudy.codebook.variable_label`), or its name where the schema has no entry;
* **coded columns** (those with ``codes`` in the schema) become labelled integers, codes 0, 1, …
  in the schema's order, and booleans become 0 = no / 1 = yes, so ``tab stage`` shows words;
* **dates** are Stata daily dates (``%td``), not date-times;
* the **data label** names the table, the zonestudy version and how to cite it;
* the bytes are **deterministic**: a fixed time stamp, so the same table gives the same file.

In Stata::

    use data/clean/campaign_facts.dta, clear
    describe            // variable labels
    label list stage    // 0 sign, 1 start, 2 produce, 3 all

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> import pandas as pd
>>> from zonestudy.stata import write_dta
>>> schema = pd.DataFrame([
...     {"table": "t", "column": "stage", "type": "string", "unit": "", "title": "Stage",
...      "description": "", "source": "", "codes": "sign|start|produce"},
...     {"table": "t", "column": "value_cny", "type": "number", "unit": "yuan", "title": "Value",
...      "description": "", "source": "", "codes": ""}])
>>> frame = pd.DataFrame({"stage": ["start", "sign"], "value_cny": [1e8, 2e8],
...                       "event_date": pd.to_datetime(["2023-12-01", "2024-01-05"])})
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = write_dta(frame, Path(tmp) / "t.dta", table="t", schema=schema)
...     with pd.io.stata.StataReader(path) as reader:
...         labels, values = reader.variable_labels(), reader.value_labels()
...         data_label = reader.data_label
...     back = pd.read_stata(path)
>>> labels
{'stage': 'Stage', 'value_cny': 'Value (yuan)', 'event_date': 'event date'}
>>> {int(code): word for code, word in values["stage"].items()}
{0: 'sign', 1: 'start', 2: 'produce'}
>>> back["stage"].tolist(), str(back["event_date"].dt.date.iloc[0])
(['start', 'sign'], '2023-12-01')
>>> data_label.startswith("t; zonestudy ")
True
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

import pandas as pd

from zonestudy import codebook

__all__ = ["STATA_VERSION", "TIME_STAMP", "data_label", "stata_frame", "write_dta"]

#: The .dta format written: 118 (Stata 14+, Unicode strings).
STATA_VERSION = 118
#: Time stamp written into every file, so that the bytes do not depend on the clock.
TIME_STAMP = _dt.datetime(2000, 1, 1)
_CITATION = "cite zonestudy contributors, zonestudy (CITATION.cff)"


def data_label(table: str, version: str | None = None, citation: str = _CITATION) -> str:
    """The data label: table name, zonestudy version and citation, at most 80 characters.

    Examples
    --------
    >>> data_label("zones", "0.1.0")
    'zones; zonestudy 0.1.0; cite zonestudy contributors, zonestudy (CITATION.cff)'
    """
    if version is None:
        from zonestudy import __version__ as version
    return f"{table}; zonestudy {version}; {citation}"[:80]


def stata_frame(frame: pd.DataFrame, table: str, schema: pd.DataFrame) -> pd.DataFrame:
    """Convert a table's columns to what Stata stores: labelled codes, floats, strings, dates.

    Raises
    ------
    ValueError
        If a coded column holds a value that is not among its codes (the message names it).
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        codes = codebook.value_codes(schema, table, column)
        if codes:
            present = series.dropna()
            unknown = sorted(set(present.astype(str)) - set(codes))
            if unknown:
                raise ValueError(
                    f"{table}.{column}: value(s) {unknown} are not among the codes {codes} of "
                    "data/clean_schema.csv; add them there")
            out[column] = pd.Categorical(series.where(series.notna(), None), categories=codes)
        elif pd.api.types.is_bool_dtype(series) or (
                series.dtype == object and set(series.dropna().map(type)) <= {bool}
                and series.notna().any()):
            words = series.map({True: "yes", False: "no"})
            out[column] = pd.Categorical(words, categories=["no", "yes"])
        elif pd.api.types.is_integer_dtype(series) and pd.api.types.is_extension_array_dtype(series):
            out[column] = series.astype("float64")
        elif pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.astype("datetime64[ns]")
        elif not pd.api.types.is_numeric_dtype(series):
            out[column] = series.astype("object").where(series.notna(), "").astype(str)
    return out


def write_dta(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    table: str,
    schema: str | os.PathLike[str] | pd.DataFrame | None = None,
    version: str | None = None,
) -> Path:
    """Write ``frame`` as a labelled Stata 118 file.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is not written.
    path : path
        The ``.dta`` file.
    table : str
        The table's name, used to look up its columns in the schema and in the data label.
    schema : path or DataFrame, optional
        The clean schema (:func:`zonestudy.codebook.read_clean_schema`); by default the project's
        ``data/clean_schema.csv``.
    version : str, optional
        The version in the data label; by default zonestudy's.

    Returns
    -------
    Path
        ``path``.
    """
    described = codebook.read_clean_schema(schema)
    out = stata_frame(frame, table, described)
    dates = {c: "td" for c in out.columns if pd.api.types.is_datetime64_any_dtype(out[c])}
    labels = {c: codebook.variable_label(described, table, c) for c in out.columns}
    strl = [c for c in out.columns
            if out[c].dtype == object and out[c].str.len().max() > 2000]
    path = Path(path)
    out.to_stata(path, write_index=False, version=STATA_VERSION,
                 data_label=data_label(table, version), variable_labels=labels,
                 convert_dates=dates, time_stamp=TIME_STAMP, convert_strl=strl)
    return path
