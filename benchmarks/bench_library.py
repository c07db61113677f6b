"""Benchmark zone matching, place names, share measures and the Dask path against baselines.

Every ratio compares zonestudy with a hand-written baseline timed in the same run, on the
same data, interleaved round by round (median of the rounds), so the machine's load affects
both alike. The baselines do the minimum: they factorize and look up, or compute the formula
on a NumPy matrix with the same checks, without zonestudy's error reporting.

Sections written to ``benchmarks/README.md`` (between ``<!-- library:begin -->`` and
``<!-- library:end -->``; the rest of the file is left alone):

1. side by side: ``match_zones``, ``normalize_city``, ``hhi``, ``entropy``,
   ``structure_shares``, ``location_quotient`` and the float conversion of the measures;
2. failures: building the ``ZoneMatchError`` when many rows fail;
3. growth from 10^4 to 10^7 rows for ``match_zones`` and a grouped measure, each size in a
   fresh process so its peak resident memory is its own, and a 10^7-row ledger through
   ``parse_quantity``, ``match_zones`` and ``structure_shares`` + ``hhi``;
4. long names: ``match_zone`` on names of 10^3 to 10^6 characters;
5. Dask: the same functions on a Dask DataFrame, compared with pandas.

Run from the repository root::

    .venv/bin/python benchmarks/bench_library.py            # about 4 minutes on 2 cores
    .venv/bin/python benchmarks/bench_library.py --quick    # smaller sizes, README untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

import zonestudy as zs
from zonestudy import zones

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import interleaved, machine, peak_mib, reset_peak, resident_mib, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = 20240828
SECTORS = ["coal", "chem", "steel", "food", "textile", "equip", "auto", "pharma", "energy",
           "logistics", "tourism", "digital"]


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------


def name_pool(size: int = 510) -> np.ndarray:
    """Zone names as sources write them: full names, short names, prefixed forms, unknown names.

    All 450 registry names, the registry's short names, the names with a province prefix,
    and ten names of zones the registry does not hold, up to ``size`` names.
    """
    registry = zones.load_registry()
    full = registry["zone_name"].tolist()
    short = [s.split("/")[0].strip() for s in registry["short_name"].dropna()]
    prefixed = [
        f"{p}{n}" for p, n in zip(registry["province"], registry["zone_name"]) if not n.startswith(p)
    ]
    unknown = [f"甲{i}乙工业园区" for i in range(10)]
    pool = list(dict.fromkeys(full + short))
    pool = pool + prefixed[: size - len(pool) - len(unknown)] + unknown
    return np.array(pool[:size], dtype=object)


def city_pool() -> np.ndarray:
    cities = sorted(zones._CITY_BY_NAME)
    return np.array(cities, dtype=object)


def draw(pool: np.ndarray, n: int, rng: np.random.Generator) -> pd.Series:
    return pd.Series(pool[rng.integers(0, len(pool), n)], dtype="str")


def share_frame(groups: int, rng: np.random.Generator) -> pd.DataFrame:
    values = rng.dirichlet(np.ones(len(SECTORS)), groups)
    return pd.DataFrame(values, columns=pd.Index(SECTORS, name="sector"),
                        index=pd.RangeIndex(groups, name="group"))


def ledger(n: int, groups: int, rng: np.random.Generator, *, amounts: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame({
        "group": rng.integers(0, groups, n),
        "sector": pd.Series(np.array(SECTORS, dtype=object)[rng.integers(0, len(SECTORS), n)],
                            dtype="str"),
    })
    if amounts:
        frame["investment_cny"] = rng.integers(1, 10_000, n).astype(float) * 1e4
    return frame


def amount_pool(size: int, rng: np.random.Generator) -> np.ndarray:
    """Printed amounts as the sources write them (``总投资12.5亿元``, ``3800万元`` ...)."""
    shapes = ["总投资{}亿元", "{}万元", "投资{}亿元", "计划投资约{}亿元", "{}亿元"]
    out = [shapes[i % len(shapes)].format(f"{v:.1f}" if i % 2 else str(int(v)))
           for i, v in enumerate(rng.uniform(1, 500, size))]
    return np.array(list(dict.fromkeys(out)), dtype=object)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def traced_peak_mib(fn) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def fmt_s(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_rate(n: int, seconds: float) -> str:
    rate = n / seconds
    if rate >= 1e9:
        return f"{rate / 1e9:.1f}G/s"
    if rate >= 1e6:
        return f"{rate / 1e6:.1f}M/s"
    return f"{rate / 1e3:.0f}k/s"


def to_float_array():
    try:
        from zonestudy.metrics._input import to_float_array as conv
    except ImportError:  # before the metrics were split into a package
        from zonestudy.metrics import _to_float_array as conv
    return conv


# --------------------------------------------------------------------------------------------
# baselines
# --------------------------------------------------------------------------------------------


def baseline_match(names: pd.Series, index) -> np.ndarray:
    """factorize, resolve each distinct name once, take back by code."""
    codes, uniques = pd.factorize(names)
    ids = np.array([index.resolve(u)[0] for u in uniques] + [None], dtype=object)
    return ids[codes]


def baseline_city(names: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(names)
    table = np.array([zones._CITY_BY_NAME[u] for u in uniques] + [None], dtype=object)
    return table[codes]


def baseline_checked_matrix(shares: pd.DataFrame, tol: float = 1e-6) -> np.ndarray:
    v = shares.to_numpy(dtype=float)
    if not np.isfinite(v).all() or (v < 0).any() or (np.abs(v.sum(axis=1) - 1) > tol).any():
        raise ValueError("bad shares")
    return v


def baseline_hhi(shares: pd.DataFrame) -> pd.Series:
    v = baseline_checked_matrix(shares)
    return pd.Series((v**2).sum(axis=1), index=shares.index)


def baseline_entropy(shares: pd.DataFrame) -> pd.Series:
    from scipy.special import xlogy

    v = baseline_checked_matrix(shares)
    return pd.Series(-xlogy(v, v).sum(axis=1), index=shares.index)


def baseline_lq(shares: pd.DataFrame, reference: pd.Series) -> pd.DataFrame:
    v = baseline_checked_matrix(shares)
    return pd.DataFrame(v / reference.to_numpy(), index=shares.index, columns=shares.columns)


def baseline_structure(df: pd.DataFrame) -> pd.DataFrame:
    table = df.groupby(["group", "sector"]).size().unstack("sector", fill_value=0)
    return table.div(table.sum(axis=1), axis=0)


# --------------------------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------------------------


def side_by_side(n: int, groups: int, rounds: int, rng: np.random.Generator) -> list[dict]:
    rows = []
    index = zones._default_index()

    names = draw(name_pool(), n, rng)
    got = zs.match_zones(names, errors="coerce")["zone_id"].to_numpy(dtype=object, na_value=None)
    assert (got == baseline_match(names, index)).all(), "match_zones and its baseline disagree"
    t = interleaved({"zs": lambda: zs.match_zones(names, errors="coerce"),
                     "base": lambda: baseline_match(names, index)}, rounds)
    rows.append(dict(op=f"`match_zones`, {n:,} names from a 510-name pool", n=n, goal=3, **t,
                     baseline="`pd.factorize` + resolve each distinct name + take"))

    cities = draw(city_pool(), n, rng)
    assert (zs.normalize_city(cities).to_numpy(dtype=object) == baseline_city(cities)).all()
    t = interleaved({"zs": lambda: zs.normalize_city(cities), "base": lambda: baseline_city(cities)},
                    rounds)
    rows.append(dict(op=f"`normalize_city`, {n:,} names from {len(city_pool())} city names", n=n,
                     goal=None, **t, baseline="`pd.factorize` + dict lookup + take"))

    shares = share_frame(groups, rng)
    for label, fn, base in (("hhi", zs.hhi, baseline_hhi), ("entropy", zs.entropy, baseline_entropy)):
        assert np.allclose(fn(shares).to_numpy(), base(shares).to_numpy(), rtol=1e-12, atol=0)
        t = interleaved({"zs": lambda fn=fn: fn(shares), "base": lambda base=base: base(shares)},
                        rounds)
        rows.append(dict(op=f"`{label}` over {groups:,} groups × {len(SECTORS)} categories",
                         n=groups, goal=5 if label == "hhi" else None, **t,
                         baseline="NumPy on the matrix, same checks"))

    reference = share_frame(1, rng).iloc[0]
    t = interleaved({"zs": lambda: zs.location_quotient(shares, reference),
                     "base": lambda: baseline_lq(shares, reference)}, rounds)
    rows.append(dict(op=f"`location_quotient` over {groups:,} groups × {len(SECTORS)} categories",
                     n=groups, goal=None, **t, baseline="NumPy division, same checks"))

    df = ledger(n, groups, rng)
    t = interleaved({"zs": lambda: zs.structure_shares(df, "group", "sector"),
                     "base": lambda: baseline_structure(df)}, rounds)
    rows.append(dict(op=f"`structure_shares`, {n:,} rows into {groups:,} groups", n=n, goal=None,
                     **t, baseline="`groupby().size().unstack()` ÷ row sums"))

    conv = to_float_array()
    floats = pd.Series(rng.normal(size=10 * n))
    t = interleaved({"zs": lambda: conv(floats, "x"), "base": lambda: floats.to_numpy(float)}, rounds)
    peak = traced_peak_mib(lambda: conv(floats, "x"))
    base_peak = traced_peak_mib(lambda: floats.to_numpy(float))
    rows.append(dict(op=f"float conversion of the measures, {10 * n:,} floats", n=10 * n, goal=None,
                     **t, baseline="`Series.to_numpy(float)`",
                     note=f"traced peak {peak:.0f} MiB vs {base_peak:.0f} MiB"))
    return rows


def failures(sizes: list[tuple[int, int]], rng: np.random.Generator) -> list[dict]:
    """Time to build the ZoneMatchError when ``bad`` distinct names fail among ``n`` rows."""
    rows = []
    good = name_pool()[:400]
    for n, bad in sizes:
        unknown = np.array([f"甲{i}乙{i % 97}丙工业园" for i in range(bad)], dtype=object)
        pool = np.concatenate([good, unknown])
        names = draw(pool, n, rng)
        failing = int(names.isin(set(unknown)).sum())
        start = time.perf_counter()
        try:
            zs.match_zones(names)
        except zones.ZoneMatchError as err:
            message = str(err)
        seconds = time.perf_counter() - start
        rows.append(dict(n=n, bad=bad, failing=failing, seconds=seconds, lines=message.count("\n")))
    return rows


def long_names(lengths: list[int]) -> list[dict]:
    rows = []
    for length in lengths:
        name = ("太原" * (length // 2))[: length - 5] + "经济开发区"
        start = time.perf_counter()
        try:
            zs.match_zone(name)
        except zones.ZoneMatchError:
            pass
        rows.append(dict(length=len(name), seconds=time.perf_counter() - start))
    return rows


# --- growth (each size in a fresh process) ----------------------------------------------------


def ledger_pipeline(data: pd.DataFrame) -> pd.Series:
    """Printed amounts and zone names in, HHI of each matched zone's sector mix out.

    Written as a user would for a large table: keep the columns needed, drop the rest.
    """
    amounts = zs.parse_quantity(data["amount_text"], errors="coerce")["value"]
    zone_ids = zs.match_zones(data["zone"], errors="coerce")["zone_id"]
    keep = (zone_ids.notna() & amounts.notna()).to_numpy()
    work = pd.DataFrame({"zone_id": zone_ids, "sector": data["sector"],
                         "investment_cny": amounts})[keep]
    del amounts, zone_ids, keep
    return zs.hhi(zs.structure_shares(work, "zone_id", "sector", weight="investment_cny"))


def child(kind: str, n: int, *, warm: bool = True) -> dict:
    if warm:  # first calls import libraries and build the registry: not part of the growth
        child(kind, 1_000, warm=False)
        gc.collect()
    rng = np.random.default_rng(SEED)
    if kind == "match":
        data = draw(name_pool(), n, rng)
        run = lambda: zs.match_zones(data, errors="coerce")  # noqa: E731
    elif kind == "measure":
        data = ledger(n, max(n // 100, 10), rng, amounts=True)
        run = lambda: zs.hhi(zs.structure_shares(data, "group", "sector",  # noqa: E731
                                                 weight="investment_cny"))
    elif kind == "ledger":
        data = pd.DataFrame({
            "zone": draw(name_pool(), n, rng),
            "amount_text": draw(amount_pool(2_000, rng), n, rng),
            "sector": ledger(n, 1, rng)["sector"].astype("category"),
        })
        run = lambda: ledger_pipeline(data)  # noqa: E731
    else:
        raise ValueError(kind)
    gc.collect()
    before = resident_mib()
    reset_peak()
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    return dict(kind=kind, n=n, seconds=seconds, before_mib=before, peak_mib=peak_mib())


def run_child(kind: str, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(n)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- Dask ---------------------------------------------------------------------------------------


def dask_check(n: int, rng: np.random.Generator) -> list[dict]:
    try:
        import dask
        import dask.dataframe as dd

        import zonestudy.dask as zsd
    except ImportError as err:
        return [dict(op="Dask", note=f"not installed ({err}); pip install 'zonestudy[dask]'")]
    rows = []
    names = draw(name_pool(), n, rng)
    df = ledger(n, 1_000, rng, amounts=True).assign(zone=names)
    with dask.config.set({"dataframe.convert-string": False}):  # keep pandas' text dtype
        ddf = dd.from_pandas(df, npartitions=8)
    for scheduler in ("synchronous", "threads"):
        with dask.config.set(scheduler=scheduler):
            start = time.perf_counter()
            got = zsd.match_zones(ddf["zone"], errors="coerce").compute()
            t_dask = time.perf_counter() - start
            start = time.perf_counter()
            shares = zsd.structure_shares(ddf, "group", "sector")
            t_shares = time.perf_counter() - start
        start = time.perf_counter()
        want = zs.match_zones(df["zone"], errors="coerce")
        t_pd = time.perf_counter() - start
        start = time.perf_counter()
        want_shares = zs.structure_shares(df, "group", "sector")
        t_pd_shares = time.perf_counter() - start
        rows.append(dict(op=f"`match_zones`, {n:,} names, 8 partitions", scheduler=scheduler,
                         dask=t_dask, pandas=t_pd, identical=got.equals(want)))
        rows.append(dict(op=f"`structure_shares`, {n:,} rows, 8 partitions", scheduler=scheduler,
                         dask=t_shares, pandas=t_pd_shares, identical=shares.equals(want_shares)))
    return rows


# --------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------


def render(results: dict, command: str, wall: float) -> str:
    import numpy
    import pandas

    lines = ["## `bench_library.py` — matching, place names, share measures, Dask", "",
             "Written by the script; edit the script, not this section. Command (from the "
             "repository root):", "", "```", command, "```", "",
             f"Machine: {machine()}; Python {platform.python_version()}, pandas {pandas.__version__}, "
             f"numpy {numpy.__version__}. Date: {dt.date.today().isoformat()} (the machine's clock). "
             f"Seed {SEED}. Median of {results['rounds']} interleaved rounds. Wall time of the "
             f"whole script: {wall:.0f} s.", "",
             "### Side by side", "",
             "Ratio = zonestudy time ÷ baseline time, both measured in this run (lower is better; "
             "goal where the project set one).", "",
             "| operation | zonestudy | baseline | ratio | goal | baseline is |",
             "|---|---|---|---|---|---|"]
    for r in results["side"]:
        ratio = r["zs"] / r["base"]
        goal = "" if r["goal"] is None else (f"≤ {r['goal']}× — {'met' if ratio <= r['goal'] else 'missed'}")
        note = f" ({r['note']})" if r.get("note") else ""
        lines.append(f"| {r['op']} | {fmt_s(r['zs'])} — {fmt_rate(r['n'], r['zs'])} | "
                     f"{fmt_s(r['base'])} — {fmt_rate(r['n'], r['base'])} | {ratio:.1f}× | {goal} | "
                     f"{r['baseline']}{note} |")
    lines += ["", "### Failures: building the `ZoneMatchError`", "",
              "`match_zones(names)` with unknown names among the rows; the error lists every "
              "failing row with its index and the closest registry zones of each distinct name.", "",
              "| rows | distinct unknown names | failing rows | time | per failing row |",
              "|---|---|---|---|---|"]
    for r in results["failures"]:
        lines.append(f"| {r['n']:,} | {r['bad']:,} | {r['failing']:,} | {fmt_s(r['seconds'])} | "
                     f"{fmt_s(r['seconds'] / r['failing'])} |")
    lines += ["", "### Growth (each size in a fresh process)", "",
              "Each size runs once in a fresh process, after a warm-up call on 1,000 rows (imports, "
              "registry). *Before* = the process's resident memory just before the call (Python, the "
              "libraries and the input); *peak* = its highest resident memory during the call "
              "(`VmHWM`, reset just before the call). `match_zones` on "
              "names drawn from the 510-name pool; the grouped measure is "
              "`hhi(structure_shares(df, \"group\", \"sector\", weight=\"investment_cny\"))` with "
              "n/100 groups; the ledger runs `parse_quantity` on printed amounts (2,000 distinct), "
              "`match_zones` on zone names and the weighted shares + HHI by matched zone "
              "(`ledger_pipeline` in the script: text columns as read from CSV, the sector as a "
              "categorical; only the columns needed are kept).", "",
              "| step | rows | time | rows/s | per row vs 10⁴ rows | peak memory during the call | before the call |",
              "|---|---|---|---|---|---|---|"]
    first = {}
    for r in results["growth"]:
        per_row = r["seconds"] / r["n"]
        first.setdefault(r["kind"], per_row)
        label = {"match": "`match_zones`", "measure": "grouped measure",
                 "ledger": "ledger: parse + match + measure"}[r["kind"]]
        lines.append(f"| {label} | {r['n']:,} | {fmt_s(r['seconds'])} | {fmt_rate(r['n'], r['seconds'])} "
                     f"| {per_row / first[r['kind']]:.2f}× | {r['peak_mib']:,.0f} MiB | "
                     f"{r['before_mib']:,.0f} MiB |")
    big = [r for r in results["growth"] if r["kind"] == "ledger"][-1]
    lines += ["", f"Goal: the {big['n']:,}-row ledger in under 2 GB (2,048 MiB) of peak memory: "
              f"{big['peak_mib']:,.0f} MiB — {'met' if big['peak_mib'] < 2048 else 'missed'}. "
              "Goal: linear growth — see the per-row column (1.00× = the cost per row at 10⁴ rows; "
              "below 1 means fixed costs are spread over more rows)."]
    lines += ["", "### Long names (`match_zone`)", "",
              "A name of n characters that matches nothing (`太原太原…经济开发区`).", "",
              "| characters | time |", "|---|---|"]
    for r in results["long"]:
        lines.append(f"| {r['length']:,} | {fmt_s(r['seconds'])} |")
    lines += ["", "### Dask", "",
              "`zonestudy.dask` on `dd.from_pandas(df, npartitions=8)` against the pandas function "
              "on `df`; *identical* compares the computed result with the pandas result "
              "(`DataFrame.equals`).", ""]
    if results["dask"] and "dask" not in results["dask"][0]:
        lines.append(f"{results['dask'][0]['note']}")
    else:
        lines += ["| operation | scheduler | Dask | pandas | identical |", "|---|---|---|---|---|"]
        for r in results["dask"]:
            lines.append(f"| {r['op']} | {r['scheduler']} | {fmt_s(r['dask'])} | {fmt_s(r['pandas'])} "
                         f"| {'yes' if r['identical'] else '**no**'} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; README not written")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return 0

    start = time.perf_counter()
    rng = np.random.default_rng(SEED)
    n, groups = (100_000, 10_000) if args.quick else (1_000_000, 100_000)
    results = {"rounds": args.rounds}
    print("side by side ...", flush=True)
    results["side"] = side_by_side(n, groups, args.rounds, rng)
    print("failures ...", flush=True)
    results["failures"] = failures([(n, n // 100), (2 * n, n // 50)], rng)
    print("growth ...", flush=True)
    top = 6 if args.quick else 7
    results["growth"] = [run_child(kind, 10**k) for kind in ("match", "measure")
                         for k in range(4, top + 1)]
    results["growth"] += [run_child("ledger", 10**k) for k in (4, top)]
    print("long names ...", flush=True)
    results["long"] = long_names([10**3, 10**4, 10**5, 10**6])
    print("dask ...", flush=True)
    results["dask"] = dask_check(n, rng)
    wall = time.perf_counter() - start
    command = ".venv/bin/python benchmarks/bench_library.py" + (" --quick" if args.quick else "")
    text = render(results, command, wall)
    print(text)
    if not args.quick:
        write_section("library", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
