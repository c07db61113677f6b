"""findings.Reader on a tiny exhibit folder: one cell (get) and several cells of one row (read)."""

from __future__ import annotations

import pytest

from zonestudy.study.findings import Cell, Reader


@pytest.fixture
def reader(tmp_path):
    (tmp_path / "tab_x.csv").write_text(
        "stage,year,low,high,source_ids\n"
        "sign,2021,10,12,S1\n"
        "sign,2022,7,9,S2;S3\n"
        "start,2021,5,6,S4\n", encoding="utf-8")
    return Reader(tmp_path)


def test_read_takes_several_columns_of_one_row_in_order(reader):
    got = reader.read("tab_x", {"high_22": "high", "low_22": "low"}, stage="sign", year=2022)
    assert got == {"high_22": 9, "low_22": 7}
    assert list(reader.values) == ["high_22", "low_22"]
    assert reader.cells["low_22"] == Cell("tab_x", "low", (("stage", "sign"), ("year", 2022)))
    assert reader.sources == {"S2", "S3"}


def test_read_records_exactly_what_get_records(reader, tmp_path):
    one_by_one = Reader(tmp_path)
    for name, column in (("a", "low"), ("b", "high")):
        one_by_one.get(name, "tab_x", column, stage="start", year=2021)
    reader.read("tab_x", {"a": "low", "b": "high"}, stage="start", year=2021)
    assert (reader.values, reader.cells, reader.sources) == (
        one_by_one.values, one_by_one.cells, one_by_one.sources)


def test_read_with_an_aggregate_over_the_matching_rows(reader):
    assert reader.read("tab_x", {"lowest": "low", "highest": "high"}, how="min", stage="sign") == {
        "lowest": 7, "highest": 9}
    assert reader.sources == {"S1", "S2", "S3"}


def test_read_refuses_a_key_that_matches_no_row_or_several(reader):
    with pytest.raises(KeyError, match="no row"):
        reader.read("tab_x", {"x": "low"}, stage="produce")
    with pytest.raises(KeyError, match="2 rows"):
        reader.read("tab_x", {"x": "low"}, stage="sign")
