"""Command line of the study: ``python -m zonestudy.study build [--from NN] [--only NN [NN ...]]``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zonestudy.study", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser(
        "build", help="execute notebooks/NN_*.ipynb in order; outputs change only if every notebook succeeds")
    group = build.add_mutually_exclusive_group()
    group.add_argument("--from", dest="start", type=int, metavar="NN", help="start at notebook NN")
    group.add_argument("--only", type=int, nargs="+", metavar="NN",
                       help="run only notebook NN (or several, in order); the others' outputs are kept")
    args = parser.parse_args(argv)

    if args.command == "build":
        from zonestudy.study.build import BuildFailed, NotebookFailed, build as run_build

        try:
            run_build(start=args.start, only=args.only)
        except NotebookFailed as failure:
            print(f"build failed: {failure}; nothing was changed (data/clean, figures and notebooks "
                  "are as they were before the build)", file=sys.stderr)
            return 1
        except BuildFailed as failure:
            print(f"build failed: {failure}", file=sys.stderr)
            return 1
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
