"""Closest names by difflib's ratio, computed only where it can matter.

`closest` returns exactly what scoring every (query, label) pair with
``difflib.SequenceMatcher(None, query, label, autojunk=False).ratio()`` and ranking would
return, but scores few pairs:

* difflib's ratio is ``2 M / (len(query) + len(label))`` where M counts the characters of its
  matching blocks, a common subsequence of the two strings. So M is at most the length of the
  longest common subsequence (LCS), and ``2 LCS / (len(query) + len(label))`` -- RapidFuzz's
  ``Indel.normalized_similarity``, computed in compiled code for all pairs at once -- is an
  upper bound on the ratio. Labels are scored in decreasing order of that bound, and scoring
  stops once ``n`` items score strictly above the bound of every label left.
* M is also at most the shorter length, so a query more than four times as long as a label
  cannot reach a ratio of 0.4 against it. Queries too long for every label are dropped before
  anything is scored: the cost stays linear in the length of the text.
"""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Hashable, Sequence

import numpy as np

# the bound is computed as 1 - distance / total in floating point; leave room for rounding
_SLACK = 1e-9


def _length_ok(query_len: int, label_len: int, cutoff: float) -> bool:
    """Whether ``2 min / (sum)`` (the largest possible ratio) can reach ``cutoff``."""
    total = query_len + label_len
    return total == 0 or 2.0 * min(query_len, label_len) / total >= cutoff


def closest(
    queries: Sequence[str],
    labels: Sequence[str],
    items: Sequence[Sequence[Hashable]],
    *,
    n: int = 3,
    cutoff: float = 0.4,
) -> list:
    """The ``n`` items whose labels are closest to any of ``queries``, best first.

    An item's score is the best difflib ratio between any query and any of its labels;
    items scoring below ``cutoff`` are left out; ties are broken by the item itself (sorted).

    Parameters
    ----------
    queries : sequence of str
        Forms of the text to look up.
    labels : sequence of str
        Candidate labels.
    items : sequence of sequences
        ``items[i]`` are the items (e.g. zone ids) that label ``i`` names.
    n : int
        Number of items returned.
    cutoff : float
        Smallest score returned (> 0).

    Returns
    -------
    list
        At most ``n`` items, highest score first.

    Examples
    --------
    >>> closest(["太原经开区"], ["太原经济技术开发区", "太谷经济开发区", "大同经济开发区"],
    ...         [["taiyuan_etdz"], ["taigu_edz"], ["datong_edz"]])
    ['taiyuan_etdz', 'taigu_edz', 'datong_edz']
    """
    if not labels or not queries:
        return []
    longest = max(map(len, labels))
    # a query longer than every label scores best against the longest one
    queries = [
        q for q in dict.fromkeys(queries) if len(q) <= longest or _length_ok(len(q), longest, cutoff)
    ]
    if not queries:
        return []
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    bounds = cdist(queries, list(labels), scorer=Indel.normalized_similarity, dtype=np.float64)
    bound = bounds.max(axis=0) + _SLACK
    order = np.argsort(-bound, kind="stable")
    scores: dict = {}
    matchers = [difflib.SequenceMatcher(None, a=q, autojunk=False) for q in queries]
    for i in order:
        limit = bound[i]
        if limit < cutoff:
            break
        if len(scores) >= n and heapq.nlargest(n, scores.values())[-1] > limit:
            break
        label = labels[i]
        best = 0.0
        for matcher, query in zip(matchers, queries):
            if not _length_ok(len(query), len(label), cutoff):
                continue
            matcher.set_seq2(label)
            best = max(best, matcher.ratio())
        for item in items[i]:
            scores[item] = max(scores.get(item, 0.0), best)
    ranked = sorted((z for z, s in scores.items() if s >= cutoff), key=lambda z: (-scores[z], z))
    return ranked[:n]
