"""Share measures over many groups at once give, row for row, exactly the one-vector result.

The measures accept a DataFrame of shares (rows = groups) and compute every row in one pass.
These tests compare each row of that result with the function applied to the row alone, with
``==`` (not approx): the vectorised path must do the same floating-point operations.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonestudy import metrics as m

try:
    from zonestudy.metrics._input import to_float_array
except ImportError:  # before the metrics were split into a package
    from zonestudy.metrics import _to_float_array as to_float_array


def _frames():
    rng = np.random.default_rng(7)
    out = {
        "two rows": pd.DataFrame({"coal": [0.5, 1.0], "chem": [0.5, 0.0]}, index=["A", "B"]),
        "spec": pd.DataFrame([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [1.0, 0.0, 0.0]],
                             columns=["coal", "chem", "food"], index=["x", "y", "z"]),
        "one column": pd.DataFrame({"only": [1.0, 1.0]}),
        "integer flags": pd.DataFrame({"a": [1, 0, 0], "b": [0, 1, 0], "c": [0, 0, 1]}),
        "nullable floats": pd.DataFrame({"a": [0.25, 0.5], "b": [0.75, 0.5]}, dtype="Float64"),
        "off by 5e-7": pd.DataFrame([[0.5, 0.3, 0.2 + 5e-7]], columns=list("abc")),
    }
    for width in (2, 7, 8, 9, 12, 17, 40, 130):
        values = rng.dirichlet(np.ones(width) * 0.7, 300)
        values[::7, 0] = 0.0
        values[::7] /= values[::7].sum(axis=1, keepdims=True)
        out[f"dirichlet {width}"] = pd.DataFrame(values, columns=[f"k{i}" for i in range(width)])
    return out


FRAMES = _frames()


def _row_by_row(func, frame, **kwargs):
    return pd.Series([func(row, **kwargs) for _, row in frame.iterrows()], index=frame.index,
                     dtype="float64")


def _same(got, want):
    assert got.index.equals(want.index)
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy(), strict=True)


@pytest.mark.parametrize("name", list(FRAMES))
@pytest.mark.parametrize("func", [m.hhi, m.entropy])
@pytest.mark.parametrize("normalized", [False, True])
def test_frame_equals_row_by_row(name, func, normalized):
    frame = FRAMES[name]
    if normalized and frame.shape[1] < 2:
        with pytest.raises(ValueError, match="at least 2 categories"):
            func(frame, normalized=True)
        return
    got = func(frame, normalized=normalized)
    assert got.name == func.__name__
    _same(got, _row_by_row(func, frame, normalized=normalized))


@pytest.mark.parametrize("func", [m.hhi, m.entropy])
def test_frame_with_n_equals_row_by_row(func):
    frame = FRAMES["spec"]
    _same(func(frame, normalized=True, n=5), _row_by_row(func, frame, normalized=True, n=5))
    with pytest.raises(ValueError, match="number of categories"):
        func(frame, normalized=True, n=2)


@pytest.mark.parametrize("func", [m.hhi, m.entropy])
@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([[0.5, 0.5], [0.5, 0.4]], r"shares row 'q' sums to"),
        ([[0.5, 0.5], [1.1, -0.1]], r"shares row 'q' has negative shares"),
        ([[0.5, 0.5], [np.nan, 1.0]], r"shares row 'q' has missing"),
    ],
)
def test_frame_errors_name_the_first_bad_row(func, values, message):
    frame = pd.DataFrame(values, index=["p", "q"], columns=["a", "b"])
    with pytest.raises(ValueError, match=message):
        func(frame)


def test_frame_of_text_is_refused_row_by_row():
    frame = pd.DataFrame({"a": ["0.5", "0.5"], "b": [0.5, 0.5]})
    with pytest.raises(ValueError, match="text such as '0.5'"):
        m.hhi(frame)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), st.integers(1, 20), st.integers(0, 2**32 - 1))
def test_random_frames_equal_row_by_row(width, rows, seed):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.dirichlet(np.ones(width), rows))
    for func in (m.hhi, m.entropy):
        _same(func(frame), _row_by_row(func, frame))


@pytest.mark.parametrize("name", [n for n in FRAMES if FRAMES[n].shape[1] >= 2])
def test_location_quotient_frame_equals_row_by_row(name):
    frame = FRAMES[name]
    reference = pd.Series(np.linspace(1, 2, frame.shape[1]), index=frame.columns)
    reference = reference / reference.sum()
    got = m.location_quotient(frame, reference)
    for label, row in frame.iterrows():
        want = m.location_quotient(row, reference)
        np.testing.assert_array_equal(got.loc[label].to_numpy(), want.to_numpy(), strict=True)
        assert list(got.columns) == list(want.index)


def test_location_quotient_frame_adds_reference_categories():
    frame = FRAMES["two rows"]
    reference = pd.Series({"coal": 0.2, "chem": 0.3, "food": 0.5})
    got = m.location_quotient(frame, reference)
    assert list(got.columns) == ["coal", "chem", "food"]
    assert got.loc["B"].tolist() == [5.0, 0.0, 0.0]


# --- conversion of inputs -------------------------------------------------------------------


def _element_by_element(values):
    """What the conversion has always done: ``float(v)`` for each element, NaN for None/NA."""
    return np.array([np.nan if v is None or v is pd.NA else float(v) for v in values], dtype=float)


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([0.5, 1.5, np.nan]),
        pd.Series([1, 2, 3]),
        pd.Series([1, None, 3], dtype="Int64"),
        pd.Series([0.5, None], dtype="Float64"),
        pd.Series([1, 2.5, None], dtype=object),
        pd.Series([np.uint64(2**63 + 5)], dtype="uint64"),
        np.array([1.5, 2.5], dtype=np.float32),
        np.arange(5),
        [1, 2.5, None, np.nan, pd.NA],
        [Decimal("0.1"), Decimal("2")],
        [np.float32(0.1), np.int64(3), 2],
        [[1.0, 2.0], [3.0, 4.0]],
        [],
    ],
    ids=repr,
)
def test_to_float_array_equals_element_by_element(values):
    flat = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else (
        np.asarray(values, dtype=object).reshape(-1))
    np.testing.assert_array_equal(to_float_array(values, "x"), _element_by_element(flat),
                                  strict=True)


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        (pd.Series([True, False]), TypeError, "boolean"),
        (pd.Series([True, None], dtype="boolean"), TypeError, "boolean"),
        ([1, True], TypeError, "boolean"),
        ([1.0, np.bool_(False)], TypeError, "boolean"),
        ([1.0, "2"], ValueError, "text such as '2'"),
        (pd.Series(["1", "2"]), ValueError, "text such as '1'"),
        ([1.0, b"2"], ValueError, "text such as b'2'"),
        ([1.0, 1 + 2j], ValueError, "must be numeric"),
        ([1.0, pd.Timestamp("2024-01-01")], ValueError, "must be numeric"),
        (pd.DataFrame({"a": [1.0]}), TypeError, "not a DataFrame"),
    ],
    ids=repr,
)
def test_to_float_array_errors(values, error, message):
    with pytest.raises(error, match=message):
        to_float_array(values, "x")


def test_to_float_array_of_floats_is_not_copied():
    series = pd.Series(np.linspace(0, 1, 11))
    assert np.shares_memory(to_float_array(series, "x"), series.to_numpy())


# --- similarity of many groups --------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in FRAMES if FRAMES[n].shape[1] >= 2])
@pytest.mark.parametrize("method", ["cosine", "krugman"])
def test_similarity_frame_equals_row_by_row(name, method):
    frame = FRAMES[name]
    reference = pd.Series(np.linspace(1, 2, frame.shape[1]), index=frame.columns)
    reference = reference / reference.sum()
    got = m.similarity(frame, reference, method)
    assert got.name == method
    _same(got, pd.Series([m.similarity(row, reference, method) for _, row in frame.iterrows()],
                         index=frame.index, dtype="float64"))
    other = frame.iloc[::-1].set_axis(frame.index)
    got = m.similarity(frame, other, method)
    _same(got, pd.Series([m.similarity(frame.iloc[i], other.iloc[i], method)
                          for i in range(len(frame))], index=frame.index, dtype="float64"))


def test_similarity_frame_aligns_on_the_union_of_categories():
    frame = pd.DataFrame({"coal": [1.0, 0.5], "chem": [0.0, 0.5]}, index=["A", "B"])
    reference = pd.Series({"food": 0.5, "coal": 0.5})
    got = m.similarity(frame, reference, "krugman")
    assert got.tolist() == [m.similarity(frame.loc[g], reference, "krugman") for g in "AB"]
    assert got.tolist() == [1.0, 1.0]


def test_similarity_frame_errors():
    frame = pd.DataFrame({"coal": [1.0, 0.5], "chem": [0.0, 0.4]}, index=["A", "B"])
    with pytest.raises(ValueError, match="a row 'B' sums to"):
        m.similarity(frame, pd.Series({"coal": 1.0}))
    with pytest.raises(ValueError, match="same row labels"):
        m.similarity(frame, frame.iloc[:1])
    with pytest.raises(TypeError, match="DataFrame"):
        m.similarity(pd.Series({"coal": 1.0}), frame)
    with pytest.raises(ValueError, match="mix kinds"):
        m.similarity(pd.DataFrame({1: [1.0]}), pd.Series({"1": 1.0}))
