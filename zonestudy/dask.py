"""zonestudy's functions on Dask DataFrames: ledgers larger than one machine's memory.

Needs the optional extra: ``pip install "zonestudy[dask]"``.

When you need it
----------------
Not for this study, nor for most provincial ledgers: pandas parses, matches and summarises ten
million rows on a laptop in well under a minute and 2 GB of memory (see
``benchmarks/README.md``). Use this module when the table does not fit in memory (hundreds of
millions of rows, many CSV or Parquet files) or is already a Dask DataFrame on a cluster.

Row-wise functions (`parse_quantity`, `match_zones`, `normalize_city`, `normalize_province`)
run partition by partition (``map_partitions`` with the pandas result's dtypes as ``meta``) and
give, row for row, the pandas function's result. Grouped tables (`count_table`,
`weighted_table`, `structure_shares`) are summed per partition and the small group × category
table is finished in pandas; it is a pandas DataFrame, so `zonestudy.hhi`, `entropy`,
`similarity` and `location_quotient` apply to it directly.

Differences from pandas
-----------------------
* Counts are exact, so count tables and count shares equal the pandas result. Weighted sums are
  added per partition first: equal to pandas when the amounts are whole numbers (yuan) below
  2**53, otherwise equal up to the rounding of floating-point addition.
* Dask converts text columns to ``string[pyarrow]`` (missing values ``pd.NA``) unless
  ``dask.config.set({"dataframe.convert-string": False})`` is set before the Dask DataFrame is
  made; group labels taken from such columns carry that dtype.
* ``errors="raise"`` raises when the result is computed, listing the failures of the partition
  where they were found (rows keep their index labels). ``errors="coerce"`` and a check of the
  result (``result["zone_id"].isna().sum().compute()``) count every failure.

Examples
--------
>>> import dask
>>> import dask.dataframe as dd
>>> import pandas as pd
>>> import zonestudy as zs
>>> import zonestudy.dask as zsd
>>> df = pd.DataFrame({"zone": ["太原经开区", "运城经开区", "太原经济技术开发区", "运城经开区"],
...                    "sector": ["coal", "chem", "coal", "food"],
...                    "amount": ["5亿元", "3000万元", "1.5亿元", "2亿元"]})
>>> ddf = dd.from_pandas(df, npartitions=2)
>>> ddf["zone_id"] = zsd.match_zones(ddf["zone"])["zone_id"]
>>> ddf["investment_cny"] = zsd.parse_quantity(ddf["amount"])["value"]
>>> with dask.config.set(scheduler="synchronous"):
...     shares = zsd.structure_shares(ddf, "zone_id", "sector", weight="investment_cny")
>>> shares.round(3)  # doctest: +NORMALIZE_WHITESPACE
sector         chem  coal  food
zone_id
taiyuan_etdz   0.00   1.0  0.00
yuncheng_etdz  0.13   0.0  0.87
>>> zs.hhi(shares).round(3).tolist()
[1.0, 0.773]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = [
    "parse_quantity",
    "match_zones",
    "normalize_city",
    "normalize_province",
    "count_table",
    "weighted_table",
    "structure_shares",
]


def _dd():
    try:
        import dask.dataframe as dd
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "zonestudy.dask needs Dask: pip install \"zonestudy[dask]\" "
            "(or pip install \"dask[dataframe]\")"
        ) from err
    return dd


def _series(values: Any, what: str):
    dd = _dd()
    if not isinstance(values, dd.Series):
        raise TypeError(f"{what} must be a dask.dataframe.Series, got {type(values).__name__}; "
                        "for pandas objects use the zonestudy function itself")
    return values


def parse_quantity(values, errors: str = "raise"):
    """`zonestudy.clean.parse_quantity` on each partition of a Dask Series.

    Parameters
    ----------
    values : dask.dataframe.Series
        Printed figures.
    errors : {"raise", "coerce"}
        As in `zonestudy.clean.parse_quantity`.

    Returns
    -------
    dask.dataframe.DataFrame
        The columns of `zonestudy.clean.parse_quantity`, indexed like ``values``.
    """
    from zonestudy import clean

    values = _series(values, "values")
    meta = clean.parse_quantity(values._meta, errors="coerce")
    return values.map_partitions(clean.parse_quantity, errors=errors, meta=meta)


def match_zones(names, registry: pd.DataFrame | None = None, errors: str = "coerce"):
    """`zonestudy.zones.match_zones` on each partition of a Dask Series.

    Parameters
    ----------
    names : dask.dataframe.Series
        Zone names.
    registry : DataFrame, optional
        A pandas registry from `zonestudy.zones.build_registry` (default: the project's).
    errors : {"coerce", "raise"}, default "coerce"
        ``"coerce"`` (the default here, unlike pandas): failures get a missing ``zone_id``
        and ``matched_by`` says why. ``"raise"``: the error of the first partition with a
        failure is raised when the result is computed.

    Returns
    -------
    dask.dataframe.DataFrame
        Columns ``zone_id``, ``matched_by``, ``candidates``, indexed like ``names``.
    """
    from zonestudy import zones

    names = _series(names, "names")
    meta = zones.match_zones(names._meta, registry, errors="coerce")
    return names.map_partitions(zones.match_zones, registry, errors=errors, meta=meta)


def _place(func, values, what):
    values = _series(values, what)
    meta = func(values._meta)
    return values.map_partitions(func, meta=meta)


def normalize_city(names):
    """`zonestudy.zones.normalize_city` on each partition of a Dask Series.

    Returns
    -------
    dask.dataframe.Series
        Full city names (missing stays missing); unknown names raise
        `zonestudy.zones.UnknownPlaceError` when computed.
    """
    from zonestudy import zones

    return _place(zones.normalize_city, names, "names")


def normalize_province(names):
    """`zonestudy.zones.normalize_province` on each partition of a Dask Series.

    Returns
    -------
    dask.dataframe.Series
        Full province names (missing stays missing); unknown names raise
        `zonestudy.zones.UnknownPlaceError` when computed.
    """
    from zonestudy import zones

    return _place(zones.normalize_province, names, "names")


# --- grouped tables ------------------------------------------------------------------------


def _partition_table(part: pd.DataFrame, by, category, weight, categories):
    from zonestudy import metrics

    if part.empty:
        return None
    if weight is None:
        return metrics.count_table(part, by, category, categories)
    return metrics.weighted_table(part, by, category, weight, categories)


def _combine(tables: list, df_meta: pd.DataFrame, by, category, weight, categories):
    """Add the per-partition tables into the table the pandas function gives."""
    from zonestudy import metrics

    tables = [t for t in tables if t is not None]
    if not tables:
        return metrics.count_table(df_meta, by, category, categories)  # raises "df is empty"
    keys = [by] if isinstance(by, str) else list(by)
    if categories is not None:
        columns = list(categories)
    elif isinstance(df_meta[category].dtype, pd.CategoricalDtype):
        columns = list(df_meta[category].cat.categories)
    else:
        columns = sorted({c for t in tables for c in t.columns})
    aligned = [t.reindex(columns=columns, fill_value=0) for t in tables]
    table = pd.concat(aligned).groupby(level=list(range(len(keys))), sort=True).sum()
    table.columns = pd.Index(columns, name=category)
    table = table.astype("int64" if weight is None else "float64")
    table.attrs = {}
    return table


def _table(df, by, category, weight, categories):
    import dask

    dd = _dd()
    if not isinstance(df, dd.DataFrame):
        raise TypeError(f"df must be a dask.dataframe.DataFrame, got {type(df).__name__}")
    parts = [dask.delayed(_partition_table)(p, by, category, weight, categories)
             for p in df.to_delayed()]
    tables = dask.compute(*parts)
    return _combine(list(tables), df._meta, by, category, weight, categories)


def count_table(df, by: str | Sequence[str], category: str, categories: Sequence[Any] | None = None):
    """`zonestudy.metrics.count_table` of a Dask DataFrame (a pandas DataFrame, computed).

    Examples
    --------
    >>> import dask, dask.dataframe as dd
    >>> projects = pd.DataFrame({"zone": ["A", "A", "B"], "sector": ["chem", "food", "chem"]})
    >>> with dask.config.set(scheduler="synchronous"):
    ...     count_table(dd.from_pandas(projects, npartitions=2), "zone", "sector").to_dict("index")
    {'A': {'chem': 1, 'food': 1}, 'B': {'chem': 1, 'food': 0}}
    """
    table = _table(df, by, category, None, categories)
    table.attrs["weight"] = None
    table.attrs["kind"] = "count"
    return table


def weighted_table(df, by: str | Sequence[str], category: str, weight: str,
                   categories: Sequence[Any] | None = None):
    """`zonestudy.metrics.weighted_table` of a Dask DataFrame (a pandas DataFrame, computed)."""
    if weight is None:
        raise ValueError("weighted_table needs a weight column; use count_table for counts")
    table = _table(df, by, category, weight, categories)
    table.attrs["weight"] = weight
    table.attrs["kind"] = "weighted"
    return table


def structure_shares(df, by: str | Sequence[str], category: str, weight: str | None = None,
                     categories: Sequence[Any] | None = None):
    """`zonestudy.metrics.structure_shares` of a Dask DataFrame (a pandas DataFrame, computed).

    The group × category table is summed partition by partition, then the shares are taken
    exactly as `zonestudy.metrics.structure_shares` takes them.
    """
    from zonestudy.metrics.concentration import shares_of_table

    table = _table(df, by, category, weight, categories)
    return shares_of_table(table, weight)
