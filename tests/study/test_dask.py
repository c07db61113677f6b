"""zonestudy.dask: the same functions on a Dask DataFrame give the pandas results.

Runs on Dask's local schedulers: 10**6 rows in 8 partitions on the threads scheduler for
matching and count shares, 10**5 rows for the rest (synchronous and threads).
Needs the ``dask`` extra (``pip install "zonestudy[dask]"``), which ``make setup`` installs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

import zonestudy as zs  # noqa: E402
import zonestudy.dask as zsd  # noqa: E402
from zonestudy import zones  # noqa: E402

N = 1_000_000
SMALL = 100_000
SECTORS = np.array(["coal", "chem", "food", "steel", "textile"], dtype=object)


@pytest.fixture(scope="module")
def ledger():
    rng = np.random.default_rng(20240828)
    registry = zones.load_registry()
    pool = np.array(registry["zone_name"].tolist()[:80]
                    + ["运城经开区", "大同经开区", "太原经开区", "甘亭工业园区", None], dtype=object)
    cities = np.array(["大同", "太原市", "Lüliang", "运城", None], dtype=object)
    amounts = np.array(["5亿元", "3000万元", "约1.5亿元", "总投资12亿元", "2亿余元"], dtype=object)
    return pd.DataFrame({
        "zone": pd.Series(pool[rng.integers(0, len(pool), N)], dtype="str"),
        "city": pd.Series(cities[rng.integers(0, len(cities), N)], dtype="str"),
        "amount": pd.Series(amounts[rng.integers(0, len(amounts), N)], dtype="str"),
        "group": rng.integers(0, 300, N),
        "sector": pd.Series(SECTORS[rng.integers(0, len(SECTORS), N)], dtype="str"),
        # whole yuan: sums are exact in any order
        "investment_cny": rng.integers(1, 10_000, N).astype(float) * 1e4,
    }).set_axis(pd.RangeIndex(N) * 2)


@pytest.fixture(scope="module", autouse=True)
def pandas_string_dtypes():
    """Keep pandas' text dtype (Dask would otherwise convert it to ``string[pyarrow]``)."""
    with dask.config.set({"dataframe.convert-string": False}):
        yield


@pytest.fixture(scope="module")
def dledger(ledger, pandas_string_dtypes):
    return dd.from_pandas(ledger, npartitions=8)


@pytest.fixture(scope="module")
def small(ledger):
    return ledger.iloc[:SMALL]


@pytest.fixture(scope="module")
def dsmall(small, pandas_string_dtypes):
    return dd.from_pandas(small, npartitions=8)


def test_a_million_rows_on_the_threads_scheduler(ledger, dledger):
    with dask.config.set(scheduler="threads"):
        matched = zsd.match_zones(dledger["zone"]).compute()
        shares = zsd.structure_shares(dledger, "group", "sector")
    pd.testing.assert_frame_equal(matched, zs.match_zones(ledger["zone"], errors="coerce"))
    want = zs.structure_shares(ledger, "group", "sector")
    pd.testing.assert_frame_equal(shares, want)
    assert shares.attrs == want.attrs


@pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
def test_row_wise_functions_equal_pandas(small, dsmall, scheduler):
    with dask.config.set(scheduler=scheduler):
        matched = zsd.match_zones(dsmall["zone"]).compute()
        cities = zsd.normalize_city(dsmall["city"]).compute()
        amounts = zsd.parse_quantity(dsmall["amount"]).compute()
    pd.testing.assert_frame_equal(matched, zs.match_zones(small["zone"], errors="coerce"))
    pd.testing.assert_series_equal(cities, zs.normalize_city(small["city"]))
    pd.testing.assert_frame_equal(amounts, zs.parse_quantity(small["amount"]))


@pytest.mark.parametrize("weight", [None, "investment_cny"])
def test_structure_shares_equal_pandas(small, dsmall, weight):
    ledger, dledger = small, dsmall
    with dask.config.set(scheduler="threads"):
        shares = zsd.structure_shares(dledger, "group", "sector", weight=weight)
        table = (zsd.count_table(dledger, "group", "sector") if weight is None
                 else zsd.weighted_table(dledger, "group", "sector", weight))
    want = zs.structure_shares(ledger, "group", "sector", weight=weight)
    pd.testing.assert_frame_equal(shares, want)
    assert shares.attrs == want.attrs
    want_table = (zs.metrics.count_table(ledger, "group", "sector") if weight is None
                  else zs.metrics.weighted_table(ledger, "group", "sector", weight))
    pd.testing.assert_frame_equal(table, want_table)
    assert table.attrs == want_table.attrs
    pd.testing.assert_series_equal(zs.hhi(shares), zs.hhi(want))


def test_grouped_tables_with_categories_and_several_keys():
    df = pd.DataFrame({"zone": list("AABBBC"), "round": [1, 2, 1, 1, 2, 2],
                       "sector": ["chem", "food", "chem", "chem", "coal", "food"]})
    ddf = dd.from_pandas(df, npartitions=3)
    categories = ["coal", "chem", "food", "steel"]
    with dask.config.set(scheduler="synchronous"):
        got = zsd.count_table(ddf, ["zone", "round"], "sector", categories=categories)
        with pytest.raises(ValueError, match="values not in categories"):
            zsd.count_table(ddf, "zone", "sector", categories=["chem"])
    pd.testing.assert_frame_equal(
        got, zs.metrics.count_table(df, ["zone", "round"], "sector", categories=categories))


def test_empty_partitions_and_empty_frames():
    df = pd.DataFrame({"zone": list("AABB"), "sector": ["chem", "food", "chem", "chem"]})
    ddf = dd.from_pandas(df, npartitions=4)
    with dask.config.set(scheduler="synchronous"):
        some_empty = ddf[ddf["zone"] == "A"]
        pd.testing.assert_frame_equal(
            zsd.structure_shares(some_empty, "zone", "sector"),
            zs.structure_shares(df[df["zone"] == "A"], "zone", "sector"))
        with pytest.raises(ValueError, match="df is empty"):
            zsd.structure_shares(ddf[ddf["zone"] == "Z"], "zone", "sector")


def test_errors_raise_when_computed():
    names = dd.from_pandas(pd.Series(["运城经开区", "甘亭工业园区"] * 4), npartitions=2)
    result = zsd.match_zones(names, errors="raise")  # nothing computed yet
    with dask.config.set(scheduler="synchronous"), pytest.raises(zones.ZoneMatchError,
                                                                 match="could not be matched"):
        result.compute()


def test_pandas_input_is_refused():
    with pytest.raises(TypeError, match="dask.dataframe.Series"):
        zsd.match_zones(pd.Series(["运城经开区"]))
    with pytest.raises(TypeError, match="dask.dataframe.DataFrame"):
        zsd.structure_shares(pd.DataFrame({"a": [1]}), "a", "a")
