"""Tests for zonestudy.sources: splitting and joining ';'-joined id cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zonestudy.sources import join_ids, split_ids


def test_split_ids_splits_sorts_and_drops_empties():
    cells = pd.Series(["b;a", "", None])
    assert split_ids([*cells, "c", "a"]) == ["a", "b", "c"]
    assert split_ids(pd.Series([], dtype=object)) == []


def test_split_ids_strips_and_skips_missing_values():
    assert split_ids(["A;B", " C ; A", None, np.nan, pd.NA, ""]) == ["A", "B", "C"]


def test_split_ids_of_one_cell_is_not_split_into_characters():
    assert split_ids("SX-S009;SX-S002") == ["SX-S002", "SX-S009"]


def test_split_ids_of_a_column():
    assert split_ids(pd.DataFrame({"source_id": ["b", "a", "b"]})["source_id"]) == ["a", "b"]
    assert split_ids(pd.DataFrame({"source_ids": ["x;y", "y;z"]})["source_ids"]) == ["x", "y", "z"]


def test_split_ids_refuses_a_frame():
    with pytest.raises(TypeError):
        split_ids(pd.DataFrame({"x": ["a"]}))


def test_join_ids():
    assert join_ids(["B", "A;B"]) == "A;B"
    assert join_ids([None, ""]) == ""


def test_join_ids_as_a_groupby_aggregation():
    frame = pd.DataFrame({"key": [1, 1, 2], "ids": ["S2;S1", "S3", np.nan]})
    assert frame.groupby("key")["ids"].agg(join_ids).tolist() == ["S1;S2;S3", ""]
