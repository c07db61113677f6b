"""peers on the core's column-at-once functions: the similarity matrix from one call of
``zonestudy.metrics.similarity(frame, frame)`` and the provinces of the ETDZ ranks from
``zonestudy.zones.normalize_province(Series)``, with the values the pair-by-pair and row-by-row
forms give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zonestudy import metrics
from zonestudy.study import peers
from zonestudy.zones import UnknownPlaceError, example_registry


def _pairwise(shares: pd.DataFrame, method: str) -> np.ndarray:
    """The matrix one pair at a time: each pair i <= j computed once, then mirrored."""
    n = len(shares)
    out = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            out[i, j] = out[j, i] = metrics.similarity(shares.iloc[i], shares.iloc[j], method)
    return out


@pytest.mark.parametrize("method", ["cosine", "krugman"])
def test_matrix_is_bit_for_bit_the_pairwise_one(method):
    rng = np.random.default_rng(7)
    raw = rng.random((9, 5))
    raw[2, 1:] = 0.0  # one unit in one category only
    raw[5, 0] = 0.0
    shares = pd.DataFrame(raw / raw.sum(axis=1, keepdims=True), index=[f"u{i}" for i in range(9)],
                          columns=list("abcde"))
    matrix = peers.similarity_matrix(shares, method)
    assert list(matrix.index) == list(matrix.columns) == list(shares.index)
    np.testing.assert_array_equal(matrix.to_numpy(), _pairwise(shares, method))
    np.testing.assert_array_equal(matrix.to_numpy(), matrix.to_numpy().T)


def test_matrix_by_hand():
    # A = (1, 0), B = (0.5, 0.5), C = (0, 1): cosine(A, B) = 0.5 / sqrt(0.5) = sqrt(0.5)
    shares = pd.DataFrame({"x": [1.0, 0.5, 0.0], "y": [0.0, 0.5, 1.0]}, index=["A", "B", "C"])
    cosine = peers.similarity_matrix(shares)
    assert cosine.loc["A", "B"] == pytest.approx(0.5 ** 0.5)
    assert cosine.loc["A", "C"] == 0.0
    assert np.diag(cosine.to_numpy()).tolist() == [1.0, 1.0, 1.0]
    krugman = peers.similarity_matrix(shares, "krugman")
    assert krugman.loc["A", "C"] == 2.0 and krugman.loc["B", "C"] == 1.0


def test_one_unit_gives_a_one_by_one_matrix():
    shares = pd.DataFrame({"x": [0.25], "y": [0.75]}, index=["only"])
    assert peers.similarity_matrix(shares, "krugman").to_dict() == {"only": {"only": 0.0}}


def test_a_row_that_is_not_shares_is_named():
    shares = pd.DataFrame({"x": [0.5, 0.9], "y": [0.5, 0.3]}, index=["ok", "bad"])
    with pytest.raises(ValueError, match="bad.*sums to"):
        peers.similarity_matrix(shares)


def _ranks(provinces):
    return pd.DataFrame({"year": 2021, "rank": [str(i + 1) for i in range(len(provinces))],
                         "zone_name": "某开发区", "province": provinces, "source_ids": "W-1"})


def test_rank_provinces_are_normalised_and_missing_stays_missing():
    out = peers.rankings_with_province(_ranks(["江苏", "山西省", None, "Shaanxi"]), example_registry())
    assert out["province_full"].iloc[[0, 1, 3]].tolist() == ["江苏省", "山西省", "陕西省"]
    assert pd.isna(out["province_full"].iloc[2])


def test_rank_provinces_that_are_not_provinces_are_all_named():
    with pytest.raises(UnknownPlaceError, match="2 of 3 distinct province names") as err:
        peers.rankings_with_province(_ranks(["江苏", "太原", "火星"]), example_registry())
    assert "太原" in str(err.value) and "火星" in str(err.value)
