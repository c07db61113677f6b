"""Benchmark the rebuild (``python -m zonestudy.study build``) against baselines timed in the same run.

Every build runs on a copy of the project (``zonestudy.toml``, ``data``, ``notebooks``, ``figures``)
in a temporary folder, in a fresh process, so the project's own files are never touched. The
configurations are interleaved round by round (the order rotates) and the median of the rounds is
reported, so the machine's load affects them alike:

``build``
    the build as ``make reproduce`` runs it;
``PDF font cache off``
    the same with ``ZONESTUDY_PDF_FONT_CACHE=0``: every PDF file reads and decompiles its fonts from
    disk, as matplotlib does on its own;
``before (REV)`` (with ``--before REV``)
    the same notebooks built by the library as it was at git revision ``REV`` (exported with
    ``git archive`` and put first on ``PYTHONPATH``): the same build before a change, in the same run;
``kernels not started ahead`` and ``one by one`` (with ``--all``)
    the same with ``build(prestart=False)`` (each group's kernels start only when the group
    begins), and the notebooks one after another (``build(parallel=False)``);
``bare kernels`` (the floor of the machinery), with and without starting kernels ahead
    the same six notebooks, stages and staging folder, each notebook reduced to one empty cell:
    what starting the kernels and moving files costs when the notebooks compute nothing.

Two parts are also timed on their own, in this process, interleaved with their baselines (the
whole builds vary by more than these parts save):

- saving a figure as PDF with the font cache and without (:mod:`zonestudy._pdf_fonts`), in English
  (DejaVu Sans) and in Chinese (WenQuanYi Micro Hei), with the study's axis words;
- building exhibits tab12 and tab13 from ``data/clean``, which share one rates table, against
  building that table for each.

CPU time is that of the build process and its kernels (user + system). A build cannot take less
wall time than its CPU time divided by the cores; that floor is reported beside each wall time.
After every build the outputs are compared byte for byte with the project's committed outputs.

With ``--tests`` the script also times the test suite as ``make test`` runs it (once, after the
builds) and reports its wall and CPU time and the slowest test files.

The results are written into ``benchmarks/README.md`` between ``<!-- build:begin -->`` and
``<!-- build:end -->``; the rest of the file is left alone.

Run from the repository root::

    .venv/bin/python benchmarks/bench_build.py              # 3 rounds, about 8 minutes on 2 cores
    .venv/bin/python benchmarks/bench_build.py --tests      # and the test suite, about 4 minutes more
    .venv/bin/python benchmarks/bench_build.py --rounds 1 --no-write   # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import README, cpu_model, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = (Path("data") / "clean", Path("figures"), Path("notebooks"))
DONE = re.compile(r"^(\d{2}_\w+)\.ipynb done in (\d+\.\d) s$")

BUILD = "from zonestudy.study import build\nbuild.build({arguments})\n"

CONFIGS = {
    "build": {"arguments": {}, "env": {}},
    "PDF font cache off": {"arguments": {}, "env": {"ZONESTUDY_PDF_FONT_CACHE": "0"}},
    "kernels not started ahead": {"arguments": {"prestart": False}, "env": {}},
    "one by one": {"arguments": {"parallel": False}, "env": {}},
}
TESTS_BEGIN, TESTS_END = "<!-- build-tests:begin -->", "<!-- build-tests:end -->"


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True)
    shutil.copy(ROOT / "zonestudy.toml", destination)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", ".zonestudy-build-*")
    for folder in ("data", "notebooks", "figures"):
        shutil.copytree(ROOT / folder, destination / folder, ignore=ignore)
    return destination


def bare_project(destination: Path) -> Path:
    """The project's notebooks, each reduced to one empty cell, with the same stages."""
    import nbformat

    copy_project(destination)
    for path in (destination / "notebooks").glob("[0-9][0-9]_*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        nb.cells = [nbformat.v4.new_code_cell("pass")]
        nbformat.write(nb, path)
    return destination


def digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in OUTPUTS for path in sorted((root / folder).rglob("*"))
        if path.is_file() and ".ipynb_checkpoints" not in path.parts
    }


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build(project: Path, config: dict) -> dict:
    env = {**os.environ, "ZONESTUDY_ROOT": str(project), **config["env"]}
    env.pop("ZONESTUDY_OUTPUT_ROOT", None)
    code = BUILD.format(arguments=", ".join(f"{k}={v!r}" for k, v in config["arguments"].items()))
    cpu, begun = children_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - begun, children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"the build failed in {project}:\n{done.stderr[-3000:]}")
    notebooks = {m.group(1): float(m.group(2)) for m in map(DONE.match, done.stdout.splitlines()) if m}
    return {"wall": wall, "cpu": cpu, "notebooks": notebooks}


def time_tests(workers: int) -> dict:
    junit = Path(tempfile.mkdtemp(prefix="bench-build-junit-")) / "junit.xml"
    command = [sys.executable, "-m", "pytest", "--doctest-modules", "-n", str(workers), "--dist", "loadfile",
               "--no-loadscope-reorder", "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
               "tests/nbval_sanitize.cfg", "zonestudy", "tests", "notebooks", "-q", "-p", "no:cacheprovider",
               f"--junitxml={junit}"]
    cpu, begun = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - begun, children_cpu() - cpu
    summary = (done.stdout.strip().splitlines() or [""])[-1]
    files: Counter = Counter()
    tests = 0
    if junit.is_file():
        for case in ET.parse(junit).iter("testcase"):
            tests += 1
            name = case.get("classname") or ""
            key = name if name.startswith("notebooks") else ".".join(name.split(".")[:3])
            files[key] += float(case.get("time") or 0)
    shutil.rmtree(junit.parent, ignore_errors=True)
    return {"wall": wall, "cpu": cpu, "returncode": done.returncode, "summary": summary,
            "files": files, "tests": tests, "workers": workers}


def pdf_saves(rounds: int) -> dict[str, dict[str, float]]:
    """Seconds per PDF file saved with and without the font cache, English and Chinese, interleaved."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from zonestudy import _pdf_fonts, figures

    keys = sorted(figures.LABELS)

    def figure(lang: str) -> Figure:
        fig = Figure(figsize=figures.FIGURE_SIZE)
        ax = fig.add_subplot()
        words = [figures.label(k, lang) for k in keys]
        ax.barh(range(len(words)), range(1, len(words) + 1))
        ax.set_yticks(range(len(words)), words, fontsize=5)
        ax.set_xlabel(figures.label("projects", lang))
        ax.set_ylabel(figures.label("stage", lang))
        return fig

    out: dict[str, dict[str, float]] = {}
    for lang in ["en"] + (["zh"] if figures.find_cjk_font() else []):
        times: dict[str, list[float]] = {"cache": [], "no cache": []}
        with figures.paper_style(lang):
            fig = figure(lang)
            fig.savefig(io.BytesIO(), format="pdf")  # fonts found, glyphs loaded
            for r in range(max(rounds, 1) * 4):
                for mode in (("cache", "no cache") if r % 2 else ("no cache", "cache")):
                    os.environ[_pdf_fonts.ENV_VAR] = "1" if mode == "cache" else "0"
                    _pdf_fonts.clear_cache() if r == 0 else None
                    begun = time.perf_counter()
                    with _pdf_fonts.cached_font_loading():
                        fig.savefig(io.BytesIO(), format="pdf", metadata={"CreationDate": None})
                    times[mode].append(time.perf_counter() - begun)
        os.environ.pop(_pdf_fonts.ENV_VAR, None)
        out[lang] = {mode: statistics.median(v) for mode, v in times.items()}
    return out


def rates_exhibits(rounds: int) -> dict[str, float]:
    """Seconds to build tab12 and tab13: one rates table shared, against one built for each."""
    os.environ["ZONESTUDY_ROOT"] = str(ROOT)
    from zonestudy.study import exhibits

    clean = exhibits.clean_tables()
    times: dict[str, list[float]] = {"shared": [], "each": []}
    for r in range(max(rounds, 1)):
        for mode in (("shared", "each") if r % 2 else ("each", "shared")):
            exhibits._RATES_BUILT.clear()
            begun = time.perf_counter()
            exhibits.build("tab12_published_rates", clean)
            if mode == "each":
                exhibits._RATES_BUILT.clear()
            exhibits.build("tab13_rate_verdicts", clean)
            times[mode].append(time.perf_counter() - begun)
    return {mode: statistics.median(v) for mode, v in times.items()}


def s(x: float) -> str:
    return f"{x:.1f} s"


BARE = {"bare kernels": CONFIGS["build"], "bare kernels, not started ahead": CONFIGS["kernels not started ahead"]}


def render(results: dict[str, list[dict]], identical: dict[str, bool], rounds: int, cores: int,
           pdf: dict, rates: dict, tests: dict | None, command: str) -> str:
    import matplotlib
    import pandas

    med = {name: {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu")}
           for name, runs in results.items()}
    main = med["build"]
    lines = [
        "## `bench_build.py` — the rebuild (`make reproduce`) and the test suite",
        "",
        f"Machine: {cpu_model()}, {cores} cores, {platform.system()} {platform.machine()}; Python "
        f"{platform.python_version()}, pandas {pandas.__version__}, matplotlib {matplotlib.__version__}. "
        f"Date: {dt.date.today().isoformat()} (the machine's clock). Median of {rounds} interleaved "
        f"round{'s' if rounds > 1 else ''}, each build in a fresh process on a copy of the project. "
        f"Command: `{command}`.",
        "",
        "| configuration | wall | CPU (build + kernels) | floor: CPU / cores | wall ÷ build's wall | outputs |",
        "|---|---|---|---|---|---|",
    ]
    for name, m in med.items():
        same = "—" if name.startswith("bare") else ("byte-identical" if identical[name] else "**differ**")
        lines.append(f"| {name} | {s(m['wall'])} | {s(m['cpu'])} | {s(m['cpu'] / cores)} | "
                     f"{m['wall'] / main['wall']:.2f}× | {same} |")
    per = {nb: statistics.median(r["notebooks"].get(nb, float("nan")) for r in results["build"])
           for nb in results["build"][0]["notebooks"]}
    lines += ["", "Each notebook in `build` (wall time of its kernel, side by side as `zonestudy.toml` groups "
              "them): " + ", ".join(f"{nb[:2]} {v:.1f} s" for nb, v in per.items()) + "."]
    lines += ["", "The parts, timed on their own in the same run (median, interleaved with their baseline):", "",
              "| part | with | without | saved |", "|---|---|---|---|"]
    for lang, t in pdf.items():
        font = "WenQuanYi Micro Hei" if lang == "zh" else "DejaVu Sans"
        lines.append(f"| saving one PDF figure, {lang} ({font}): font cache | {t['cache'] * 1000:.0f} ms | "
                     f"{t['no cache'] * 1000:.0f} ms | {(t['no cache'] - t['cache']) * 1000:.0f} ms "
                     f"({t['no cache'] / t['cache']:.2f}×) |")
    if pdf:
        saved = 12 * sum(t["no cache"] - t["cache"] for t in pdf.values())
        lines.append(f"| the build's 24 PDF files (12 per language) | | | about {saved:.1f} s of CPU |")
    lines.append(f"| exhibits tab12 + tab13: one rates table shared | {s(rates['shared'])} | {s(rates['each'])} | "
                 f"{s(rates['each'] - rates['shared'])} |")
    bare, late = med.get("bare kernels"), med.get("bare kernels, not started ahead")
    if bare and late:
        lines.append(f"| the machinery (six empty notebooks): kernels started ahead | {s(bare['wall'])} | "
                     f"{s(late['wall'])} | {s(late['wall'] - bare['wall'])} wall |")
    lines += ["", "What the numbers say:", ""]
    for name, m in med.items():
        if name.startswith("before ("):
            lines.append(f"- The library at {name[len('before ('):-1]} builds the same notebooks (outputs "
                         f"{'byte-identical' if identical[name] else 'different'}) in {m['wall'] / main['wall']:.2f}× "
                         f"the wall time ({m['wall'] - main['wall']:+.1f} s) with "
                         f"{m['cpu'] - main['cpu']:+.1f} s of CPU.")
    font_off = med.get("PDF font cache off")
    if font_off:
        lines.append(f"- With the font cache off the whole build takes {s(font_off['wall'])} "
                     f"({font_off['wall'] - main['wall']:+.1f} s wall, {font_off['cpu'] - main['cpu']:+.1f} s CPU). "
                     "Whole builds vary by several seconds from round to round on a shared machine, which "
                     "is why the parts are also timed on their own.")
    one = med.get("one by one")
    if one:
        lines.append(f"- Side by side against one by one: {one['wall'] / main['wall']:.2f}× faster.")
    if bare:
        lines.append(f"- The machinery alone (six kernels, staging, moving files; the notebooks computing "
                     f"nothing) takes {s(bare['wall'])} of wall time; the rest is the notebooks' own work. "
                     "Starting kernels ahead can only hide a kernel's start behind a notebook that is still "
                     "computing, so it shows in the whole build (under a second per group), not here.")
    lines.append(f"- The build uses {main['cpu']:.0f} s of CPU; on {cores} cores it cannot take less than "
                 f"{main['cpu'] / cores:.0f} s, and it takes {main['wall']:.0f} s "
                 f"({main['cpu'] / cores / main['wall']:.0%} of that floor's pace). A rebuild in 15 s would "
                 f"need the notebooks' CPU time below {15 * cores:.0f} s.")
    lines += ["", TESTS_BEGIN]
    if tests:
        lines += [
            f"Test suite (`make test`, {dt.date.today().isoformat()}: {tests['workers']} workers, whole files, "
            "the rebuild tests and the notebooks first): {s(tests['wall'])} wall, {s(tests['cpu'])} CPU, floor "
            f"{s(tests['cpu'] / cores)} ({tests['tests']} tests; pytest: {tests['summary'].strip('= ')}). "
            "Slowest files (summed test time, including the wait for the notebooks and builds they run):",
            "",
            "| file | seconds |",
            "|---|---|",
        ]
        for name, seconds in tests["files"].most_common(12):
            lines.append(f"| `{name}` | {seconds:.1f} |")
    else:
        lines.append(previous_tests_block())
    lines.append(TESTS_END)
    return "\n".join(lines) + "\n"


def previous_tests_block() -> str:
    """The test-suite lines of the last run with ``--tests`` (kept when this run did not time the tests)."""
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    if TESTS_BEGIN in text and TESTS_END in text:
        kept = text[text.index(TESTS_BEGIN) + len(TESTS_BEGIN):text.index(TESTS_END)].strip()
        if kept:
            return kept if "(from an earlier run" in kept else kept.replace(
                "Test suite (", "Test suite (from an earlier run with `--tests`; ", 1)
    return "Test suite: not timed (run with `--tests`)."


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--all", action="store_true",
                    help="also time whole builds without starting kernels ahead, and one by one")
    ap.add_argument("--before", metavar="REV", help="also time the build of the library at git revision REV")
    ap.add_argument("--tests", action="store_true", help="also time the test suite as `make test` runs it")
    ap.add_argument("--workers", type=int, default=2, help="pytest-xdist workers for --tests")
    ap.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/README.md alone")
    args = ap.parse_args(argv)

    committed = digests(ROOT)
    names = ["build", "PDF font cache off"] + (["kernels not started ahead", "one by one"] if args.all else [])
    configs = dict(CONFIGS)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        if args.before:
            library = Path(tmp) / "before"
            library.mkdir()
            archive = subprocess.run(["git", "archive", args.before, "zonestudy"], cwd=ROOT, capture_output=True,
                                     check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(library)], input=archive, check=True)
            name = f"before ({args.before})"
            configs[name] = {"arguments": {}, "env": {"PYTHONPATH": str(library)}}
            names.insert(1, name)
        results: dict[str, list[dict]] = {n: [] for n in [*names, *BARE]}
        identical = {n: True for n in names}
        projects = {n: copy_project(Path(tmp) / f"p{i}") for i, n in enumerate(names)}
        bare = bare_project(Path(tmp) / "bare")
        for r in range(args.rounds):
            order = names[r % len(names):] + names[:r % len(names)]
            for name in order:
                result = run_build(projects[name], configs[name])
                results[name].append(result)
                identical[name] &= digests(projects[name]) == committed
                print(f"round {r + 1} {name}: {s(result['wall'])} wall, {s(result['cpu'])} CPU", flush=True)
            for name in (list(BARE) if r % 2 == 0 else list(BARE)[::-1]):
                result = run_build(bare, BARE[name])
                results[name].append(result)
                print(f"round {r + 1} {name}: {s(result['wall'])} wall", flush=True)
    pdf = pdf_saves(args.rounds)
    rates = rates_exhibits(args.rounds)
    print(f"PDF saves: {pdf}; rates exhibits: {rates}", flush=True)
    tests = time_tests(args.workers) if args.tests else None
    command = "python benchmarks/bench_build.py" + "".join(
        f" {a}" for a in (argv if argv is not None else sys.argv[1:]) if a != "--no-write")
    body = render(results, identical, args.rounds, os.cpu_count() or 1, pdf, rates, tests, command)
    print(body)
    if not args.no_write:
        write_section("build", body)
    return 0 if all(identical.values()) and (tests is None or tests["returncode"] == 0) else 1


if __name__ == "__main__":
    sys.exit(main())
