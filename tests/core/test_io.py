"""Writing and reading clean tables, in a temporary folder (the project's data/raw is tested in
tests/study/test_io_raw_data.py)."""

import pandas as pd
import pytest

from zonestudy import io


def test_write_clean_is_byte_identical(tmp_path):
    frame = pd.DataFrame({"fact_id": ["A", "B"], "value_cny": [1.5e8, None], "city": ["大同市", None],
                          "event_date": pd.to_datetime(["2024-08-19", None]), "round_no": pd.array([1, None], dtype="Int64")})
    first = [p.read_bytes() for p in io.write_clean(frame, "demo", clean_dir=tmp_path)]
    second = [p.read_bytes() for p in io.write_clean(frame, "demo", clean_dir=tmp_path)]
    assert first == second
    back = io.load_clean("demo", clean_dir=tmp_path)
    assert back["city"].iloc[0] == "大同市" and back["value_cny"].iloc[0] == 1.5e8
    stata = pd.read_stata(tmp_path / "demo.dta")
    assert list(stata.columns) == list(frame.columns)
    assert stata["city"].iloc[0] == "大同市"


def test_write_clean_rejects_bad_names(tmp_path):
    with pytest.raises(ValueError, match="lowercase"):
        io.write_clean(pd.DataFrame({"a": [1]}), "Bad Name", clean_dir=tmp_path)

