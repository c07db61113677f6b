"""Update the declared size, sha256 and row/column digests of every table in
data/reference/datapackage.json.

Run after editing a reference table: ``python scripts/hash_reference.py``. The study reads the
tables through zonestudy.io.load_raw, which refuses a file whose bytes differ from the declared
ones and names the rows and columns that changed.
"""

import json
from pathlib import Path

from zonestudy import io

FOLDER = Path(__file__).resolve().parent.parent / "data" / "reference"


def main() -> None:
    path = FOLDER / io.DATAPACKAGE
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        entry = io.describe_resource(FOLDER / resource["path"])
        resource.update(bytes=entry["bytes"], hash=entry["hash"], zonestudy=entry["zonestudy"])
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
