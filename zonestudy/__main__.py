"""Command line of the core library: ``python -m zonestudy describe FILE``.

The study's build is a separate command, ``python -m zonestudy.study build``.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zonestudy", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    describe = sub.add_parser(
        "describe", help="print the datapackage.json entry (hash, digests) for a raw CSV file; writes nothing"
    )
    describe.add_argument("file")
    describe.add_argument("--schema", help="shared schema path relative to data/raw, e.g. schemas/campaign_facts.json")
    describe.add_argument("--family", help="resource family, e.g. campaign_facts")
    args = parser.parse_args(argv)

    if args.command == "describe":
        from zonestudy.io import describe_resource

        entry = describe_resource(args.file, schema=args.schema, family=args.family)
        print(json.dumps(entry, ensure_ascii=False, indent=2))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
