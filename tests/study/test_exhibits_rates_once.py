"""tab12 and tab13 read one rates table: it is built once for the same clean tables, again for others."""

import pandas as pd
import pytest

from zonestudy.study import exhibits


@pytest.fixture()
def counted(monkeypatch):
    calls = []

    def fake_rates_table(facts, published):
        calls.append(len(facts))
        return pd.DataFrame({"rate_id": ["R1", "R2"], "source_id": ["S1", "S2"], "province": ["山西省"] * 2,
                             "round_label": ["x", "y"], "geography": ["太原市小店区", "阳泉市"],
                             "verdict": ["v", "v"], "rate_word": ["开工率", "k of n printed"],
                             "evidence": ["decisive", ""], "exceeds_100": [False, False]})

    monkeypatch.setattr(exhibits.rates_table, "rates_table", fake_rates_table)
    monkeypatch.setattr(exhibits, "_RATES_BUILT", {})
    return calls


def tables(n=3):
    facts = pd.DataFrame({"fact_id": [f"F{i}" for i in range(n)], "value": [1.5 * i for i in range(n)]})
    return {"campaign_facts": facts, "published_rates": pd.DataFrame({"rate_id": ["P1"], "value": [58.82]})}


def test_the_same_tables_build_the_rates_once(counted):
    clean = tables()
    first = exhibits.build("tab12_published_rates", clean)
    assert list(first["city"]) == ["太原市", "阳泉市"] and "source_ids" in first.columns
    first.loc[0, "verdict"] = "edited by the caller"
    again = exhibits.build("tab12_published_rates", {k: v.copy() for k, v in clean.items()})
    exhibits.build("tab13_rate_verdicts", clean)
    assert counted == [3]
    assert again.loc[0, "verdict"] == "v"  # each caller gets its own copy


@pytest.mark.parametrize("edit", [
    lambda t: t["campaign_facts"].__setitem__("value", t["campaign_facts"]["value"] + 1),
    lambda t: t["published_rates"].__setitem__("rate_id", ["P2"]),
    lambda t: t.__setitem__("campaign_facts", t["campaign_facts"].rename(columns={"value": "v"})),
    lambda t: t.__setitem__("campaign_facts", t["campaign_facts"].astype({"value": "float32"})),
    lambda t: t.__setitem__("campaign_facts", t["campaign_facts"].set_axis([5, 6, 7])),
])
def test_other_tables_build_them_again(counted, edit):
    clean = tables()
    exhibits.build("tab12_published_rates", clean)
    edited = {k: v.copy() for k, v in clean.items()}
    edit(edited)
    exhibits.build("tab12_published_rates", edited)
    assert len(counted) == 2
