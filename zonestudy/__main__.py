"""Command line: ``python -m zonestudy build [--from NN] [--only NN]`` and ``describe FILE``."""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zonestudy", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="execute notebooks/NN_*.ipynb in order, in place")
    group = build.add_mutually_exclusive_group()
    group.add_argument("--from", dest="start", type=int, metavar="NN", help="start at notebook NN")
    group.add_argument("--only", type=int, metavar="NN", help="run only notebook NN")
    describe = sub.add_parser(
        "describe", help="print the datapackage.json entry (hash, digests) for a raw CSV file; writes nothing"
    )
    describe.add_argument("file")
    describe.add_argument("--schema", help="shared schema path relative to data/raw, e.g. schemas/campaign_facts.json")
    describe.add_argument("--family", help="resource family, e.g. campaign_facts")
    args = parser.parse_args(argv)

    if args.command == "build":
        from zonestudy.build import NotebookFailed, build as run_build

        try:
            run_build(start=args.start, only=args.only)
        except NotebookFailed as failure:
            print(f"build failed: {failure}", file=sys.stderr)
            return 1
        return 0
    if args.command == "describe":
        from zonestudy.io import describe_resource

        entry = describe_resource(args.file, schema=args.schema, family=args.family)
        print(json.dumps(entry, ensure_ascii=False, indent=2))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
