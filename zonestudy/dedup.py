"""One canonical row per distinct fact: the same figure printed by several sources counts once.

Reports are reposted and rewritten: Shanxi's 2021 first-round totals are printed, identically, by
four sources. A transcription keeps one row per source (every number traces to its source), so a
naive group sum over the rows counts such figures four times. This module marks the copies:

* two rows are copies of one *distinct fact* when they agree on every column of :data:`FACT_KEYS`
  (place, round, stage, breakdown, measure and the parsed value — not the source, the notes or
  the exact printed text); figures that disagree stay separate facts;
* the *canonical* row of a distinct fact is its copy with the smallest ``fact_id``;
* ``distinct_fact_id`` (the canonical row's fact id), ``is_canonical``, ``n_sources`` (number of
  sources printing it) and ``source_ids_all`` (all of them, ``;``-joined) are added to every row.

Summing over ``is_canonical`` rows counts each distinct fact once; :func:`canonical` returns them.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FACT_KEYS", "mark_distinct", "canonical"]

FACT_KEYS: tuple[str, ...] = (
    "province", "campaign", "year", "round_no", "round_label_unnumbered", "event_date", "scope",
    "geography", "stage", "breakdown", "category", "measure", "value_count", "value_cny",
    "value_ratio", "qualifier",
)
"""Columns on which two rows must agree to be the same fact. ``round_label_unnumbered`` is the
printed round label where no round number is parsed (empty otherwise), so unnumbered events are
kept apart by their label while numbered rounds match across differently worded labels."""


def mark_distinct(facts: pd.DataFrame) -> pd.DataFrame:
    """Add ``distinct_fact_id``, ``is_canonical``, ``n_sources`` and ``source_ids_all`` to every row.

    Examples
    --------
    >>> facts = pd.DataFrame({"fact_id": ["F1", "F7", "F2"], "source_id": ["S2", "S9", "S2"],
    ...     "province": "山西省", "campaign": "c", "year": 2021, "round_no": 1,
    ...     "round_label": ["2021年第一期", "第一期", "2021年第一期"], "event_date": pd.NaT,
    ...     "scope": "province", "geography": "山西省", "stage": ["sign", "sign", "start"],
    ...     "breakdown": "none", "category": None, "measure": "projects",
    ...     "value_count": [413.0, 413.0, 268.0], "value_cny": None, "value_ratio": None,
    ...     "qualifier": "exact"})
    >>> mark_distinct(facts)[["fact_id", "distinct_fact_id", "is_canonical", "n_sources", "source_ids_all"]]
      fact_id distinct_fact_id  is_canonical  n_sources source_ids_all
    0      F1               F1          True          2          S2;S9
    1      F7               F1         False          2          S2;S9
    2      F2               F2          True          1             S2
    """
    if facts["fact_id"].duplicated().any():
        dupes = facts.loc[facts["fact_id"].duplicated(), "fact_id"].tolist()
        raise ValueError(f"fact ids must be unique; repeated: {dupes[:10]}")
    work = facts.copy()
    work["round_label_unnumbered"] = work["round_label"].where(work["round_no"].isna(), "")
    keys = [k for k in FACT_KEYS if k in work.columns]
    key_frame = work[keys].astype("string").fillna("\u0000")
    group = key_frame.apply(lambda r: "\u0001".join(r), axis=1)
    order = work["fact_id"].astype(str)
    canonical_id = order.groupby(group).transform("min")
    sources = work.groupby(group)["source_id"].agg(lambda s: ";".join(sorted(set(map(str, s)))))
    out = facts.copy()
    out["distinct_fact_id"] = canonical_id.to_numpy()
    out["is_canonical"] = (out["fact_id"].astype(str) == out["distinct_fact_id"]).to_numpy()
    out["source_ids_all"] = group.map(sources).to_numpy()
    out["n_sources"] = out["source_ids_all"].str.count(";").add(1).astype("int64")
    return out


def canonical(facts: pd.DataFrame) -> pd.DataFrame:
    """The canonical rows only (one per distinct fact), marking them first if needed.

    >>> facts = pd.DataFrame({"fact_id": ["F1", "F7"], "source_id": ["S2", "S9"],
    ...     "round_no": 1, "round_label": "x", "measure": "projects", "value_count": [413.0, 413.0]})
    >>> canonical(facts)[["fact_id", "n_sources"]].values.tolist()
    [['F1', 2]]
    """
    marked = facts if "is_canonical" in facts.columns else mark_distinct(facts)
    return marked[marked["is_canonical"]].reset_index(drop=True)
