"""Command line of the core library (the data commands).

``python -m zonestudy add FILE...``
    validate raw CSV files and write (or refresh) their entries in ``data/raw/datapackage.json``.
``python -m zonestudy validate``
    check every file of ``data/raw`` against ``datapackage.json``.
``python -m zonestudy describe FILE``
    print a file's entry (hash, row count, digests) without writing anything.

These commands use only the core library (``zonestudy.io``), never the study's modules. The study's
build is a separate command, ``python -m zonestudy.study build``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zonestudy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser(
        "add", help="validate raw CSV files and write or refresh their entries in data/raw/datapackage.json")
    add.add_argument("files", nargs="+", metavar="FILE", help="CSV files in data/raw, e.g. data/raw/campaign_facts_2025q1.csv")
    add.add_argument("--family", help="family of the files when their names do not tell it (campaign_facts, sources …)")
    add.add_argument("--title", help="title of a new resource (default: its name)")
    add.add_argument("--description", help="description of a new resource")
    add.add_argument("--raw-dir", help="folder holding datapackage.json (default: the project's data/raw)")
    check = sub.add_parser("validate", help="check every file of data/raw against datapackage.json")
    check.add_argument("--raw-dir", help="folder holding datapackage.json (default: the project's data/raw)")
    describe = sub.add_parser(
        "describe", help="print the datapackage.json entry (hash, digests) for a raw CSV file; writes nothing"
    )
    describe.add_argument("file")
    describe.add_argument("--schema", help="shared schema path relative to data/raw, e.g. schemas/campaign_facts.json")
    describe.add_argument("--family", help="resource family, e.g. campaign_facts")
    args = parser.parse_args(argv)

    from zonestudy import io

    if args.command == "add":
        try:
            done = io.add_files(args.files, raw_dir=args.raw_dir, family=args.family, title=args.title,
                                description=args.description)
        except io.DataValidationError as err:
            print(f"nothing added: {err}", file=sys.stderr)
            return 1
        for line in done:
            print(line)
        print(f"updated {io.DATAPACKAGE}")
        return 0
    if args.command == "validate":
        started = time.perf_counter()
        try:
            counts = io.validate_raw(args.raw_dir)
        except io.DataValidationError as err:
            print(err, file=sys.stderr)
            return 1
        print(f"{len(counts)} resources, {sum(counts.values())} rows: valid "
              f"({time.perf_counter() - started:.1f} s)")
        return 0
    if args.command == "describe":
        try:
            entry = io.describe_resource(args.file, schema=args.schema, family=args.family)
        except io.DataValidationError as err:
            print(err, file=sys.stderr)
            return 1
        print(json.dumps(entry, ensure_ascii=False, indent=2))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
