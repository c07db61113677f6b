"""Update the ``bytes`` and ``hash`` of every table in data/reference/datapackage.json.

Run after editing a reference table: ``python scripts/hash_reference.py``. The study reads the
tables through zonestudy.io.load_raw, which refuses a file whose sha256 differs from the declared one.
"""

import hashlib
import json
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "data" / "reference"


def main() -> None:
    path = FOLDER / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        data = (FOLDER / resource["path"]).read_bytes()
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
