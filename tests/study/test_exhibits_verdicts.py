"""tab13_rate_verdicts read off the tab12_published_rates frame (exhibits.rate_verdicts)."""

from __future__ import annotations

import pandas as pd

from zonestudy.study import exhibits

COHORT = "cohort rate k/n (k printed)"
NOTHING = "nothing printed beside it"


def _rates():
    """Four rates and one printed 'k of n' pair (a component, not a rate)."""
    return pd.DataFrame({
        "rate_id": ["R1", "R2", "R3", "R4", "P1"],
        "rate_word": ["开工率", "投产率", "履约率", "开工率", "k of n printed"],
        "verdict": [COHORT, COHORT, NOTHING, NOTHING, COHORT],
        "evidence": ["decisive", "uninformative", "", "", "decisive"],
        "exceeds_100": [False, False, True, False, False],
        "source_ids": ["S2", "S1", "S3", "S3", "S9"],
    })


def test_counts_by_verdict_then_all_and_checkable():
    out = exhibits.rate_verdicts(_rates()).set_index("verdict")
    assert list(out.index) == [COHORT, NOTHING, "all published rates", "checkable"]
    assert out["rates"].tolist() == [2, 2, 4, 2]
    assert out["decisive"].tolist() == [1, 0, 1, 1]
    assert out["uninformative"].tolist() == [1, 0, 1, 1]
    assert out["above_100"].tolist() == [0, 1, 1, 0]


def test_sources_of_every_row_of_the_rates_table():
    out = exhibits.rate_verdicts(_rates())
    assert set(out["source_ids"]) == {"S1;S2;S3;S9"}


def test_the_rates_frame_is_not_changed():
    rates = _rates()
    exhibits.rate_verdicts(rates)
    pd.testing.assert_frame_equal(rates, _rates())
