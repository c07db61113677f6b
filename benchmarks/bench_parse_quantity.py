"""Benchmark zonestudy.clean.parse_quantity on a million printed figures.

Two workloads, both seeded:

* ``drawn``: 1,000,000 strings drawn with replacement from the quantitative
  ``value_text`` cells of the source facts (many repeats, as in a real panel);
* ``distinct``: 1,000,000 different strings made from the same cells by
  replacing the printed number with a new one (no repeats at all).

For each, ``parse_quantity`` is timed against a row-wise ``Series.apply`` of
the same per-string parser. Targets: vectorised >= 10x the row-wise speed on
``drawn``; >= 200,000 values/s on ``distinct``. Peak memory is measured in a
separate, untimed pass with tracemalloc, and the process peak RSS is reported.

Run from the repository root::

    .venv/bin/python benchmarks/bench_parse_quantity.py            # ~3 minutes on 2 cores
    .venv/bin/python benchmarks/bench_parse_quantity.py --n 100000 # quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from zonestudy import clean

FACT_FILES = ("shanxi_sangeyipi_facts.csv", "peer_campaigns_facts.csv", "seed_article_facts.csv")
ARABIC_RUN = re.compile(r"\d+(?:[.,]\d+)*")


def source_texts(data_dir: Path) -> pd.Series:
    """Quantitative value_text cells of the source facts, OCR repairs applied."""
    texts = pd.concat(
        [pd.read_csv(data_dir / f, dtype="str")["value_text"] for f in FACT_FILES], ignore_index=True
    ).dropna()
    texts, _notes = clean.repair_ocr(texts)
    parsed = clean.parse_quantity(texts, errors="coerce")["parsed"]
    return texts[parsed].reset_index(drop=True)


def drawn_strings(texts: pd.Series, n: int, rng: np.random.Generator) -> pd.Series:
    return pd.Series(texts.to_numpy()[rng.integers(0, len(texts), n)], dtype="str")


def distinct_strings(texts: pd.Series, n: int, rng: np.random.Generator) -> pd.Series:
    """n different strings: source shapes with exactly one Arabic number, renumbered."""
    shapes = [t for t in texts if len(ARABIC_RUN.findall(t)) == 1]
    pick = rng.integers(0, len(shapes), n)
    out = []
    for i, k in enumerate(pick):
        shape = shapes[k]
        m = ARABIC_RUN.search(shape)
        number = f"{(i + 1) / 100:.2f}" if "." in m.group() else str(i + 1)
        out.append(shape[: m.start()] + number + shape[m.end():])
    s = pd.Series(out, dtype="str")
    assert s.nunique() == n, "generated strings are not all distinct"
    return s


def rowwise(s: pd.Series) -> pd.Series:
    """The same per-string parser applied row by row (the baseline)."""
    return s.apply(clean._parse_scalar)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def best_time(fn, arg, repeat: int) -> float:
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - t0)
    return best


def peak_traced(fn, arg) -> float:
    tracemalloc.start()
    fn(arg)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="timed repeats of parse_quantity (best is kept)")
    ap.add_argument("--seed", type=int, default=20240828)
    ap.add_argument(
        "--data",
        type=Path,
        default=Path(__file__).resolve().parents[1].parent / "shared" / "data",
        help="folder with the *_facts.csv files",
    )
    args = ap.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    texts = source_texts(args.data)
    drawn = drawn_strings(texts, args.n, rng)
    distinct = distinct_strings(texts, args.n, rng)
    coerce = lambda s: clean.parse_quantity(s, errors="coerce")  # noqa: E731

    # Both paths must agree before their speed means anything.
    sample = drawn.iloc[:20_000]
    fast, slow = coerce(sample), rowwise(sample)
    assert np.allclose(fast["value"], [r[0][0] for r in slow], equal_nan=True, rtol=0, atol=0)

    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}")
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}")
    print(f"date: {dt.date.today().isoformat()}; n = {args.n:,}; seed = {args.seed}")
    print(f"source cells: {len(texts)} ({texts.nunique()} distinct); drawn set has {drawn.nunique():,} distinct")

    handled, _ = clean._fast_rows(distinct.to_numpy(dtype=object))
    print(f"distinct strings read by the one-regex fast path: {handled.mean():.1%} (the rest: full parser)")

    rows = []
    for name, s in (("drawn", drawn), ("distinct", distinct)):
        t_vec = best_time(coerce, s, args.repeat)
        t_row = best_time(rowwise, s, 1)
        mem = peak_traced(coerce, s)
        rows.append((name, t_vec, t_row, mem))
        print(
            f"{name:>8}: parse_quantity {t_vec:6.2f} s = {args.n / t_vec:>12,.0f} values/s | "
            f"row-wise apply {t_row:6.2f} s = {args.n / t_row:>10,.0f} values/s | "
            f"speed-up {t_row / t_vec:6.1f}x | peak traced memory {mem:7.1f} MiB",
            flush=True,
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MiB")

    drawn_ok = rows[0][2] / rows[0][1] >= 10
    distinct_ok = args.n / rows[1][1] >= 200_000
    print(f"target drawn speed-up >= 10x: {'met' if drawn_ok else 'NOT met'}")
    print(f"target distinct >= 200,000 values/s: {'met' if distinct_ok else 'NOT met'}")
    return 0 if (drawn_ok and distinct_ok) else 1


if __name__ == "__main__":
    sys.exit(main())
