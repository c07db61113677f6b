"""Command line of the study.

``python -m zonestudy.study build [--from NN] [--only NN [NN ...]]``
    rebuild the study (the numbered notebooks, in order; outputs change only if every notebook
    succeeds), then say what changed against git HEAD.
``python -m zonestudy.study diff [--rev REV]``
    say which clean rows, exhibits and finding values differ from the committed outputs.
"""

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
    diff = sub.add_parser("diff", help="which clean rows, exhibits and finding values differ from git HEAD")
    diff.add_argument("--rev", default="HEAD", help="commit to compare with (default HEAD)")
    args = parser.parse_args(argv)

    if args.command == "build":
        from zonestudy.checks import DataQualityError
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
        except DataQualityError as failure:
            print(f"build stopped: {failure}", file=sys.stderr)
            return 1
        _print_changes("HEAD", quiet=True)
        return 0
    if args.command == "diff":
        return 0 if _print_changes(args.rev) else 1
    return 2


def _print_changes(rev: str, quiet: bool = False) -> bool:
    from zonestudy.diffs import NotAGitCheckout
    from zonestudy.study.changes import summary_lines, what_changed

    try:
        lines = summary_lines(what_changed(rev=rev))
    except NotAGitCheckout as err:
        if not quiet:  # after a build outside a git checkout, say nothing
            print(f"what changed: no committed outputs to compare with ({str(err).splitlines()[0]})")
        return False
    except (OSError, ValueError) as err:  # a report that cannot be made never fails the build
        print(f"what changed: could not compare with {rev} ({err})")
        return False
    print("\n".join(lines))
    return True


if __name__ == "__main__":
    sys.exit(main())
