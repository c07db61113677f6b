"""Read the raw tables validated against ``data/raw/datapackage.json``; write clean tables.

``data/raw`` holds the facts as transcribed from their sources, described by a Frictionless Data
Package (``datapackage.json``): every resource's columns, types, units, allowed values, primary and
foreign keys, and the sha256 of its bytes. :func:`load_raw` returns a typed DataFrame only when the
file still matches that description; otherwise it raises :class:`DataValidationError`, whose message
names the file, the line, the column and the offending value of every problem found.

Row numbers in messages are line numbers in the CSV file: the header is line 1, the first data row
line 2, so ``sed -n 2p file.csv`` shows it.

Resources that share a layout carry the same ``zonestudy.family`` (for example ``campaign_facts``);
:func:`load_family` stacks them, so a new file of campaign facts is added by dropping it into
``data/raw/`` and declaring it in ``datapackage.json`` — no code changes. Foreign keys resolve against
every resource of the referenced resource's family, so new sources can come in a file of their own
(family ``sources``) instead of editing ``sources.csv``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from zonestudy import paths

__all__ = [
    "DataValidationError",
    "Problem",
    "read_datapackage",
    "resource_names",
    "load_raw",
    "load_family",
    "describe_resource",
    "write_clean",
    "load_clean",
    "DATAPACKAGE",
]

DATAPACKAGE = "datapackage.json"
_MAX_LISTED = 30
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BOOLEAN = {"true": True, "false": False}


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is and what is wrong.

    ``row`` is the CSV line number (header = 1) or None when the problem concerns the whole file.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{', '.join(where)}{value}: {self.message}"


class DataValidationError(ValueError):
    """A raw table does not match its declaration in ``datapackage.json``.

    Attributes
    ----------
    problems : list of Problem
        Every problem found, each naming the file, row, column and value.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems[:_MAX_LISTED])
        more = len(self.problems) - _MAX_LISTED
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s) in data/raw:\n{listed}{tail}")


def _raw_dir(raw_dir: str | Path | None) -> Path:
    return Path(raw_dir) if raw_dir is not None else paths.raw_dir()


def read_datapackage(raw_dir: str | Path | None = None) -> dict:
    """Return the data package descriptor with every resource's schema resolved to a dict.

    A resource's ``schema`` may be inline or a path (relative to ``data/raw``) to a shared schema file,
    such as ``schemas/campaign_facts.json``.
    """
    root = _raw_dir(raw_dir)
    descriptor = json.loads((root / DATAPACKAGE).read_text(encoding="utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise DataValidationError(
            [Problem(DATAPACKAGE, None, None, n, "resource name declared more than once") for n in duplicated]
        )
    for resource in descriptor["resources"]:
        if isinstance(resource.get("schema"), str):
            resource["schema_path"] = resource["schema"]
            resource["schema"] = json.loads((root / resource["schema"]).read_text(encoding="utf-8"))
    return descriptor


def _resource(descriptor: dict, name: str) -> dict:
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            return resource
    known = ", ".join(r["name"] for r in descriptor["resources"])
    raise KeyError(f"no resource {name!r} in {DATAPACKAGE}; declared: {known}")


def resource_names(family: str | None = None, raw_dir: str | Path | None = None) -> list[str]:
    """Names of the declared resources, optionally only those of one ``zonestudy.family``."""
    descriptor = read_datapackage(raw_dir)
    return [
        r["name"]
        for r in descriptor["resources"]
        if family is None or r.get("zonestudy", {}).get("family") == family
    ]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _row_digest(cells: Iterable[str]) -> str:
    return _sha256("\x1f".join(cells).encode("utf-8"))[:8]


def _column_digest(values: Iterable[str]) -> str:
    return _sha256("\x1e".join(values).encode("utf-8"))[:16]


def _read_records(path: Path, problems: list[Problem]) -> tuple[list[str], list[tuple[int, list[str]]], bytes]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(Problem(path.name, line, None, repr(data[err.start : err.end]), "not valid UTF-8"))
        text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        problems.append(Problem(path.name, 1, None, None, "file starts with a byte-order mark; save as UTF-8 without BOM"))
        text = text[1:]
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(path.name, 1, None, None, "file is empty"))
        return [], [], data
    records = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as err:
        problems.append(Problem(path.name, reader.line_num, None, None, f"CSV syntax error: {err}"))
    return header, records, data


def _convert(value: str, field: dict):
    """Convert one non-missing cell; return (value, error message or None)."""
    ftype = field.get("type", "string")
    if ftype == "string":
        return value, None
    if ftype in ("integer", "year"):
        if not _INTEGER.match(value):
            return None, f"not an {ftype}"
        return int(value), None
    if ftype == "number":
        if not _NUMBER.match(value):
            return None, "not a number (digits with an optional '.' and exponent; no units or separators)"
        return float(value), None
    if ftype == "date":
        if not _DATE.match(value):
            return None, "not a date in YYYY-MM-DD form"
        try:
            return _dt.date.fromisoformat(value), None
        except ValueError:
            return None, "not a calendar date"
    if ftype == "boolean":
        if value.lower() not in _BOOLEAN:
            return None, "not a boolean (true/false)"
        return _BOOLEAN[value.lower()], None
    return None, f"unsupported field type {ftype!r} in the schema"


def _check_constraints(value, raw: str, field: dict) -> str | None:
    constraints = field.get("constraints", {})
    if "enum" in constraints and raw not in constraints["enum"]:
        return f"not one of the allowed values {constraints['enum']}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], raw):
        return f"does not match the pattern {constraints['pattern']!r}"
    if "minimum" in constraints and value < constraints["minimum"]:
        return f"below the minimum {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:
        return f"above the maximum {constraints['maximum']}"
    return None


def _validate_cells(fname: str, fields: list[dict], header: list[str], records, missing: set[str], problems):
    position = {name: i for i, name in enumerate(header)}
    columns: dict[str, list] = {f["name"]: [] for f in fields}
    for line, cells in records:
        if len(cells) != len(header):
            problems.append(
                Problem(fname, line, None, None, f"has {len(cells)} cells, the header has {len(header)}")
            )
        for field in fields:
            name = field["name"]
            i = position.get(name)
            raw = cells[i] if i is not None and i < len(cells) else ""
            if raw in missing:
                if field.get("constraints", {}).get("required"):
                    problems.append(Problem(fname, line, name, raw, "required value is missing"))
                columns[name].append(None)
                continue
            value, error = _convert(raw, field)
            if error is None:
                error = _check_constraints(value, raw, field)
            if error is not None:
                problems.append(Problem(fname, line, name, raw, error))
                value = None
            columns[name].append(value)
    return columns


def _check_unique(fname, keys: list[str], columns, lines, problems, what="primary key"):
    seen: dict[tuple, int] = {}
    for j, line in enumerate(lines):
        key = tuple(columns[k][j] for k in keys)
        if any(v is None for v in key):
            continue
        if key in seen:
            shown = key[0] if len(key) == 1 else key
            problems.append(
                Problem(fname, line, ",".join(keys), str(shown), f"duplicate {what} (first on row {seen[key]})")
            )
        else:
            seen[key] = line


def _check_hash(fname, resource, header, records, data, problems):
    declared = resource.get("hash")
    if not declared:
        problems.append(Problem(fname, None, None, None, "no sha256 hash declared in datapackage.json"))
        return
    algorithm, _, digest = declared.partition(":") if ":" in declared else ("sha256", "", declared)
    if algorithm != "sha256":
        problems.append(Problem(fname, None, None, declared, "only sha256 hashes are supported"))
        return
    actual = _sha256(data)
    if digest == actual:
        return
    extra = resource.get("zonestudy", {})
    changed_rows: list[int] = []
    row_digests = extra.get("rowDigests", "")
    declared_rows = [row_digests[i : i + 8] for i in range(0, len(row_digests), 8)]
    for j, (line, cells) in enumerate(records):
        if j >= len(declared_rows) or _row_digest(cells) != declared_rows[j]:
            changed_rows.append(line)
    changed_columns = [
        name
        for i, name in enumerate(header)
        if extra.get("columnDigests", {}).get(name)
        != _column_digest(cells[i] if i < len(cells) else "" for _, cells in records)
    ]
    detail = f"bytes changed since declared (sha256 {actual[:12]}…, declared {digest[:12]}…)"
    if len(records) != len(declared_rows):
        detail += f"; {len(records)} data rows, {len(declared_rows)} declared"
    if changed_rows and changed_columns and len(changed_rows) <= _MAX_LISTED:
        for line in changed_rows:
            cells = dict(zip(header, next(c for ln, c in records if ln == line)))
            for column in changed_columns:
                problems.append(Problem(fname, line, column, cells.get(column), detail))
    else:
        problems.append(
            Problem(fname, changed_rows[0] if changed_rows else None,
                    ",".join(changed_columns) or None, None,
                    f"{detail}; rows changed: {changed_rows[:10]}")
        )


def _read_resource(resource: dict, root: Path, descriptor: dict, check_foreign_keys: bool = True):
    fname = resource["path"]
    path = root / fname
    problems: list[Problem] = []
    if not path.is_file():
        raise DataValidationError([Problem(fname, None, None, None, "file declared in datapackage.json is missing")])
    header, records, data = _read_records(path, problems)
    schema = resource["schema"]
    fields = schema["fields"]
    expected = [f["name"] for f in fields]
    for name in expected:
        if name not in header:
            problems.append(Problem(fname, 1, name, None, "declared column is missing from the header"))
    for name in header:
        if name not in expected:
            problems.append(Problem(fname, 1, name, None, "column is not declared in the schema"))
    if not problems and header != expected:
        problems.append(Problem(fname, 1, None, ",".join(header), f"columns out of the declared order {expected}"))
    missing = set(schema.get("missingValues", [""]))
    columns = _validate_cells(fname, fields, header, records, missing, problems)
    lines = [line for line, _ in records]
    for field in fields:
        if field.get("constraints", {}).get("unique"):
            _check_unique(fname, [field["name"]], columns, lines, problems, what=f"value of unique column")
    primary = schema.get("primaryKey")
    if primary:
        _check_unique(fname, [primary] if isinstance(primary, str) else list(primary), columns, lines, problems)
    if check_foreign_keys:
        for fk in schema.get("foreignKeys", []):
            _check_foreign_key(fname, fk, columns, lines, root, descriptor, problems)
    _check_hash(fname, resource, header, records, data, problems)
    if problems:
        raise DataValidationError(problems)
    return _typed_frame(fields, columns)


def _check_foreign_key(fname, fk, columns, lines, root, descriptor, problems):
    field = fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0]
    reference = fk["reference"]
    ref_field = reference["fields"] if isinstance(reference["fields"], str) else reference["fields"][0]
    target = _resource(descriptor, reference["resource"])
    family = target.get("zonestudy", {}).get("family")
    targets = [r for r in descriptor["resources"]
               if family is not None and r.get("zonestudy", {}).get("family") == family] or [target]
    known = set()
    for resource in targets:
        known |= set(_read_resource(resource, root, descriptor, check_foreign_keys=False)[ref_field].dropna())
    where = " or ".join(r["path"] for r in targets)
    separator = fk.get("zonestudy:listSeparator")
    for value, line in zip(columns[field], lines):
        if value is None:
            continue
        items = [v.strip() for v in value.split(separator)] if separator else [value]
        for item in items:
            if item not in known:
                problems.append(
                    Problem(fname, line, field, item,
                            f"resolves to nothing in {where} ({ref_field})")
                )


def _typed_frame(fields: list[dict], columns: dict) -> pd.DataFrame:
    data = {}
    for field in fields:
        values = columns[field["name"]]
        ftype = field.get("type", "string")
        if ftype in ("integer", "year"):
            data[field["name"]] = pd.array(values, dtype="Int64")
        elif ftype == "number":
            data[field["name"]] = pd.array([float("nan") if v is None else v for v in values], dtype="float64")
        elif ftype == "date":
            data[field["name"]] = pd.to_datetime(pd.Series(values, dtype="object"))
        elif ftype == "boolean":
            data[field["name"]] = pd.array(values, dtype="boolean")
        else:
            data[field["name"]] = pd.Series(values, dtype="str")
    frame = pd.DataFrame(data)
    frame.attrs["units"] = {f["name"]: f["unit"] for f in fields if f.get("unit")}
    return frame


def load_raw(name: str, *, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one raw table, validated against ``datapackage.json``.

    Parameters
    ----------
    name : str
        Resource name (the file stem), e.g. ``"campaign_facts_shanxi"`` or ``"sources"``.
    raw_dir : path-like, optional
        Folder holding ``datapackage.json``; defaults to the project's ``data/raw``.

    Returns
    -------
    pandas.DataFrame
        One column per declared field, in declared order: strings as ``str``, integers as ``Int64``,
        numbers as ``float64``, dates as ``datetime64``; empty cells are missing. ``attrs["units"]``
        maps columns to their declared units.

    Raises
    ------
    DataValidationError
        When a column is missing or undeclared, a cell has the wrong type or a value outside its
        allowed set, an id is duplicated, a source id resolves to nothing, or the file's sha256 no
        longer matches the declared one. Every problem is listed with file, row, column and value.
    KeyError
        When no resource of that name is declared.
    """
    root = _raw_dir(raw_dir)
    descriptor = read_datapackage(root)
    return _read_resource(_resource(descriptor, name), root, descriptor)


def load_family(family: str, *, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Stack every resource of one ``zonestudy.family`` (e.g. ``"campaign_facts"``).

    Adds a first column ``resource`` naming the file each row came from. Ids declared unique
    (the schema's primary key) must be unique across all the stacked files too.
    """
    root = _raw_dir(raw_dir)
    descriptor = read_datapackage(root)
    members = [r for r in descriptor["resources"] if r.get("zonestudy", {}).get("family") == family]
    if not members:
        raise KeyError(f"no resource of family {family!r} in {DATAPACKAGE}")
    frames = []
    for resource in members:
        frame = _read_resource(resource, root, descriptor)
        frame.insert(0, "resource", resource["name"])
        frames.append(frame)
    stacked = pd.concat(frames, ignore_index=True)
    primary = members[0]["schema"].get("primaryKey")
    if primary:
        keys = [primary] if isinstance(primary, str) else list(primary)
        dup = stacked[stacked.duplicated(keys, keep=False)]
        if len(dup):
            raise DataValidationError(
                [
                    Problem(f"{row['resource']}.csv", None, ",".join(keys), str(row[keys[0]]),
                            "id also used in another file of the same family")
                    for _, row in dup.iterrows()
                ]
            )
    stacked.attrs["units"] = frames[0].attrs.get("units", {})
    return stacked


def describe_resource(path: str | Path, *, name: str | None = None, schema: str | None = None,
                      family: str | None = None) -> dict:
    """Return the ``datapackage.json`` entry for a raw CSV file, to paste into ``resources``.

    Computes the sha256 of the bytes and the row and column digests that let :func:`load_raw` say
    which rows and columns changed when the bytes no longer match. Writes nothing.

    Parameters
    ----------
    path : path-like
        The CSV file (UTF-8, header row).
    name : str, optional
        Resource name; defaults to the file stem.
    schema : str, optional
        Path of a shared schema relative to ``data/raw`` (e.g. ``"schemas/campaign_facts.json"``).
    family : str, optional
        Family of resources with this layout (e.g. ``"campaign_facts"``).
    """
    path = Path(path)
    problems: list[Problem] = []
    header, records, data = _read_records(path, problems)
    if problems:
        raise DataValidationError(problems)
    entry: dict = {
        "name": name or path.stem,
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{_sha256(data)}",
    }
    if schema is not None:
        entry["schema"] = schema
    entry["zonestudy"] = {
        **({"family": family} if family else {}),
        "rows": len(records),
        "columnDigests": {
            col: _column_digest(cells[i] if i < len(cells) else "" for _, cells in records)
            for i, col in enumerate(header)
        },
        "rowDigests": "".join(_row_digest(cells) for _, cells in records),
    }
    return entry


def write_clean(frame: pd.DataFrame, name: str, *, clean_dir: str | Path | None = None,
                stata: bool = True) -> list[Path]:
    """Write a clean table as UTF-8 CSV (and a Stata 118 ``.dta`` copy), byte-for-byte reproducibly.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is not written. Numeric columns carry their unit in the name
        (``investment_cny``), and every row should carry its ``source_id``.
    name : str
        File stem, lowercase ASCII (``campaign_facts``).
    clean_dir : path-like, optional
        Defaults to the project's ``data/clean``.
    stata : bool
        Also write ``{name}.dta`` (Stata 14+ format 118) with variable and value labels, ``%td``
        dates and a fixed time stamp (:func:`zonestudy.stata.write_dta`).

    The folder's codebook ``README.md`` is rewritten too (:func:`zonestudy.codebook.write_codebook`).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"clean table name {name!r} must be lowercase ASCII letters, digits and '_'")
    folder = Path(clean_dir) if clean_dir is not None else paths.clean_dir()
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"{name}.csv"
    frame.to_csv(csv_path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.10g",
                 date_format="%Y-%m-%d")
    written = [csv_path]
    if stata:
        from zonestudy import stata as _stata  # labelled .dta; imports io itself
        written.append(_stata.write_dta(frame, folder / f"{name}.dta", table=name))
    from zonestudy import codebook as _codebook
    _codebook.write_codebook(folder)
    return written


def load_clean(name: str, *, clean_dir: str | Path | None = None) -> pd.DataFrame:
    """Read a clean table written by :func:`write_clean`.

    Columns named ``date``, ``*_date``, ``period_start`` and ``period_end`` are parsed as dates;
    ``year``, ``*_year`` and ``round_no`` as nullable integers (``Int64``).
    """
    folder = Path(clean_dir) if clean_dir is not None else paths.clean_dir()
    frame = pd.read_csv(folder / f"{name}.csv", encoding="utf-8")
    for column in frame.columns:
        if column.endswith("_date") or column in ("date", "period_start", "period_end"):
            frame[column] = pd.to_datetime(frame[column])
        elif column.endswith("year") or column == "round_no":
            frame[column] = frame[column].astype("Int64")
    return frame
