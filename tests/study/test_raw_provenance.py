"""Every transcribed fact and registry row is in data/raw with its printed value and its source's URL.

Compares data/raw with the transcription files in ``../shared/data`` when that folder sits beside the
project (as in the project's own checkouts); skipped elsewhere.
"""

import pandas as pd
import pytest

from zonestudy import io, paths

SHARED = paths.project_root().parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="transcription files (../shared/data) not present")


def shared(name):
    return pd.read_csv(SHARED / name, dtype=str, keep_default_na=False)


def sources_by_id():
    return io.load_raw("sources").fillna({"url": ""}).set_index("source_id")


@pytest.mark.parametrize(
    "facts_file, sources_file, resource, prefix",
    [
        ("shanxi_sangeyipi_facts.csv", "shanxi_sangeyipi_sources.csv", "campaign_facts_shanxi", "SX-"),
        ("peer_campaigns_facts.csv", "peer_campaigns_sources.csv", "campaign_facts_peers", "PC-"),
    ],
)
def test_campaign_facts_are_all_present(facts_file, sources_file, resource, prefix):
    original = shared(facts_file)
    urls = shared(sources_file).set_index("source_id")["url"]
    raw = io.load_raw(resource).set_index("fact_id")
    src = sources_by_id()
    assert len(raw) == len(original)
    for _, row in original.iterrows():
        ours = raw.loc[prefix + row["fact_id"]]
        assert ours["value_text"] == row["value_text"]
        assert float(ours["value"]) == float(row["value"])
        assert src.loc[ours["source_id"], "url"] == urls[row["source_id"]]


def test_article_facts_are_all_present():
    original = shared("seed_article_facts.csv")
    raw = io.load_raw("article_facts").set_index("fact_id")
    assert len(raw) == len(original)
    for _, row in original.iterrows():
        assert raw.loc["KX-" + row["fact_id"], "value_text"] == row["value_text"]
        assert raw.loc["KX-" + row["fact_id"], "source_id"] == "KX-2024-08"


@pytest.mark.parametrize(
    "registry_file, resource",
    [
        ("registry_national_etdz.csv", "zones_national_etdz"),
        ("registry_national_hitech.csv", "zones_national_hitech"),
        ("registry_shanxi_zones.csv", "zones_shanxi"),
        ("etdz_evaluation_rankings.csv", "etdz_rankings"),
    ],
)
def test_registry_rows_and_their_urls_are_all_present(registry_file, resource):
    original = shared(registry_file)
    raw = io.load_raw(resource)
    src = sources_by_id()
    assert len(raw) == len(original)
    assert list(raw["zone_name"]) == list(original["name"])
    for (_, ours), (_, row) in zip(raw.iterrows(), original.iterrows()):
        wanted = {t.strip() for t in row["source_url"].split("|") if t.strip().startswith("http")}
        cited = {src.loc[s.strip(), "url"] for s in ours["source_ids"].split(";")}
        assert wanted <= cited, (ours["zone_name"], wanted - cited)
