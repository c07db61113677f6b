"""Read the raw tables validated against ``data/raw/datapackage.json``; add raw files; write clean tables.

``data/raw`` holds the facts as transcribed from their sources, described by a standard Frictionless
Data Package (``datapackage.json``): every resource's CSV dialect, columns, types, units, allowed
values, primary and foreign keys, the sha256 of its bytes and its row count. ``frictionless validate
data/raw/datapackage.json`` accepts it as it is. :func:`load_raw` returns a typed DataFrame only when
the file still matches that description; otherwise it raises :class:`DataValidationError`, whose
message names the file, the line, the column and the offending value of every problem found.

Two layers do the checking:

- the generic checks of the standard (types, constraints, uniqueness, primary and foreign keys) are
  made by the ``frictionless`` library, file by file;
- zonestudy's own layer adds what the standard lacks: a descriptor that is broken or points outside
  ``data/raw`` is refused with the resource named; byte-level checks (UTF-8, byte-order mark, CRLF line
  endings, final newline); the declared row count; row and column digests that say which cell changed
  when the sha256 no longer matches; *families* of files sharing a layout; and messages in file / row /
  column / value form.

Row numbers in messages are line numbers in the CSV file: the header is line 1, the first data row
line 2, so ``sed -n 2p file.csv`` shows it.

Resources that share a layout carry the same ``zonestudy.family`` (for example ``campaign_facts``);
:func:`load_family` stacks them, so a new file of campaign facts is added by dropping it into
``data/raw/`` and running ``python -m zonestudy add data/raw/FILE.csv`` (:func:`add_files`) — no code
changes, no hand-edited JSON. New sources come in a file of their own: ``add`` makes it a further part
of the ``sources`` resource (a standard multi-file resource), so foreign keys resolve against every
sources file, in zonestudy and in standard tools alike.

A source cited by a row of a registry table is recorded in a *link table* (``zones_shanxi_sources.csv``:
one row per zone–source pair, with foreign keys to both tables). :func:`load_raw` joins the links back
into a ``source_ids`` column (ids ``'; '``-separated, in file order) for the study code.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable

import pandas as pd

from zonestudy import paths

__all__ = [
    "DataValidationError",
    "Problem",
    "read_datapackage",
    "resource_names",
    "declared_files",
    "load_raw",
    "load_family",
    "validate_raw",
    "describe_resource",
    "add_files",
    "write_clean",
    "load_clean",
    "format_float",
    "DATAPACKAGE",
    "CSV_DIALECT",
]

DATAPACKAGE = "datapackage.json"
#: The CSV dialect every raw and clean file is written in (declared on every resource).
CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True}
_MAX_LISTED = 30
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_BOOLEAN = {"true": True, "false": False}
_REFRESH = "python -m zonestudy add {path}"
_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 (the compilation; see LICENSE-DATA.md for the underlying sources)",
}


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is and what is wrong.

    ``row`` is the line number in ``file`` (CSV header = 1) or None when the problem concerns the whole
    file; for ``datapackage.json`` it is the JSON line, when known.
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
    """A raw table does not match its declaration in ``datapackage.json`` (or the declaration is broken).

    Attributes
    ----------
    problems : list of Problem
        Every problem found, each naming the file, row, column and value.
    """

    def __init__(self, problems: list[Problem], where: str = "data/raw"):
        self.problems = list(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems[:_MAX_LISTED])
        more = len(self.problems) - _MAX_LISTED
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s) in {where}:\n{listed}{tail}")


def _raw_dir(raw_dir: str | Path | None) -> Path:
    return Path(raw_dir) if raw_dir is not None else paths.raw_dir()


# --------------------------------------------------------------------------------------------------
# The descriptor
# --------------------------------------------------------------------------------------------------

def _json_problem(fname: str, text: str, err: json.JSONDecodeError, what: str = "") -> Problem:
    before = text[: err.pos].rstrip()
    hint = ""
    if before.endswith(",") and text[err.pos : err.pos + 1] in "}]":
        hint = f"; remove the trailing comma on line {text[: len(before)].count(chr(10)) + 1}"
    return Problem(fname, err.lineno, None, None,
                   f"{what}not valid JSON: {err.msg} (line {err.lineno}, column {err.colno}){hint}")


def _read_json(root: Path, rel: str, what: str = "") -> tuple[object, list[Problem]]:
    path = root / rel
    if not path.is_file():
        return None, [Problem(rel, None, None, None, f"{what}file is missing from {root}")]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(rel, None, None, None, f"{what}not valid UTF-8")]
    if not text.strip():
        return None, [Problem(rel, None, None, None, f"{what}file is empty; it must hold a JSON object")]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as err:
        return None, [_json_problem(rel, text, err, what)]


def _unsafe(root: Path, rel: object) -> str | None:
    """Why a relative path from the descriptor may not be used, or None when it is safe."""
    if not isinstance(rel, str) or not rel:
        return f"path must be a non-empty string, got {rel!r}"
    if "://" in rel or rel.startswith("//"):
        return f"path {rel!r} is remote; only files inside {root.name}/ are read"
    pure = PurePosixPath(rel.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", rel):
        return f"path {rel!r} is absolute; give it relative to {root.name}/"
    if ".." in pure.parts:
        return f"path {rel!r} climbs out of {root.name}/ ('..')"
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()):
        return f"path {rel!r} resolves outside {root.name}/ (to {target}); symbolic links out are not followed"
    return None


def read_datapackage(raw_dir: str | Path | None = None) -> dict:
    """Return the data package descriptor with every resource's schema resolved to a dict.

    A resource's ``schema`` may be inline or a path (relative to ``data/raw``) to a shared schema file,
    such as ``schemas/campaign_facts.json``; its path is kept in ``schema_path``. A resource's ``path``
    may be one file or a list of files (a standard multi-file resource, whose parts share a header).

    Raises
    ------
    DataValidationError
        When ``datapackage.json`` or a schema file is missing, empty or not valid JSON (with the line and
        the reason, e.g. a trailing comma), or a resource lacks a name, a path or a schema, declares a
        name twice, or has a path that is absolute, climbs out with ``..`` or resolves outside the
        folder through a symbolic link. Each problem names ``datapackage.json`` and the resource.
    """
    root = _raw_dir(raw_dir)
    descriptor, problems = _read_json(root, DATAPACKAGE)
    if problems:
        raise DataValidationError(problems)
    if not isinstance(descriptor, dict):
        raise DataValidationError([Problem(DATAPACKAGE, None, None, None, "must hold a JSON object")])
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise DataValidationError([Problem(DATAPACKAGE, None, "resources", None,
                                           "needs a non-empty list 'resources'")])
    seen: dict[str, int] = {}
    for i, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            problems.append(Problem(DATAPACKAGE, None, f"resources[{i}]", None, "resource must be a JSON object"))
            continue
        name = resource.get("name")
        label = f"resource {name!r}" if isinstance(name, str) and name else f"resource number {i}"
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(Problem(DATAPACKAGE, None, "name", None if name is None else str(name),
                                    f"{label}: needs a 'name' of lowercase letters, digits, '_', '-' or '.'"))
        elif name in seen:
            problems.append(Problem(DATAPACKAGE, None, "name", name, "resource name declared more than once"))
        else:
            seen[name] = i
        parts = resource.get("path")
        if parts is None:
            problems.append(Problem(DATAPACKAGE, None, "path", None, f"{label}: has no 'path'"))
        else:
            for part in parts if isinstance(parts, list) and parts else [parts]:
                why = _unsafe(root, part)
                if why:
                    problems.append(Problem(DATAPACKAGE, None, "path", str(part), f"{label}: {why}"))
        schema = resource.get("schema")
        if isinstance(schema, str):
            why = _unsafe(root, schema)
            if why:
                problems.append(Problem(DATAPACKAGE, None, "schema", schema, f"{label}: schema {why}"))
                continue
            schema, schema_problems = _read_json(root, resource["schema"], f"schema of {label}: ")
            problems += schema_problems
            if schema_problems:
                continue
            resource["schema_path"] = resource["schema"]
            resource["schema"] = schema
        if schema is None:
            problems.append(Problem(DATAPACKAGE, None, "schema", None, f"{label}: has no 'schema'"))
        elif not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not all(
                isinstance(fd, dict) and isinstance(fd.get("name"), str) for fd in schema["fields"]):
            problems.append(Problem(DATAPACKAGE, None, "schema", None,
                                    f"{label}: schema needs a list 'fields' of objects with a 'name'"))
        extra = resource.get("zonestudy", {})
        if not isinstance(extra, dict):
            problems.append(Problem(DATAPACKAGE, None, "zonestudy", None, f"{label}: 'zonestudy' must be an object"))
    if problems:
        raise DataValidationError(problems)
    return descriptor


def _resource(descriptor: dict, name: str) -> dict:
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            return resource
    known = ", ".join(r["name"] for r in descriptor["resources"])
    raise KeyError(f"no resource {name!r} in {DATAPACKAGE}; declared: {known}")


def _family(resource: dict) -> str | None:
    return resource.get("zonestudy", {}).get("family")


def resource_names(family: str | None = None, raw_dir: str | Path | None = None) -> list[str]:
    """Names of the declared resources, optionally only those of one ``zonestudy.family``."""
    descriptor = read_datapackage(raw_dir)
    return [r["name"] for r in descriptor["resources"] if family is None or _family(r) == family]


def declared_files(raw_dir: str | Path | None = None) -> list[str]:
    """Paths (relative to ``data/raw``) of every file the resources declare, in declaration order.

    A resource in several files (``"path": ["sources.csv", "sources_2025q1.csv"]``) counts each.
    """
    return [p for r in read_datapackage(raw_dir)["resources"] for p in _parts(r)]


def _parts(resource: dict) -> list[str]:
    path = resource["path"]
    return list(path) if isinstance(path, list) else [path]


def _integrity(resource: dict) -> list[dict]:
    """Declared bytes, sha256, row count and digests of each file of a resource."""
    extra = resource.get("zonestudy", {})
    if isinstance(resource["path"], list):
        declared = {p.get("path"): p for p in extra.get("parts", []) if isinstance(p, dict)}
        return [declared.get(part, {"path": part}) for part in resource["path"]]
    return [{"path": resource["path"], "bytes": resource.get("bytes"), "hash": resource.get("hash"),
             "rows": extra.get("rows"), "columnDigests": extra.get("columnDigests", {}),
             "rowDigests": extra.get("rowDigests", "")}]


# --------------------------------------------------------------------------------------------------
# zonestudy's own layer: bytes, line endings, header, row count, digests
# --------------------------------------------------------------------------------------------------

def _joined(parts: list[bytes]) -> bytes:
    """The bytes of a multi-file resource as the standard reads them: later parts without their header."""
    return b"".join(data if i == 0 else data.partition(b"\n")[2] for i, data in enumerate(parts))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _row_digest(cells: Iterable[str]) -> str:
    return _sha256("\x1f".join(cells).encode("utf-8"))[:8]


def _column_digest(values: Iterable[str]) -> str:
    return _sha256("\x1e".join(values).encode("utf-8"))[:16]


@dataclass
class _File:
    """One CSV file as read: its bytes, header and records with the line each record starts on."""

    name: str
    data: bytes
    header: list[str]
    records: list[tuple[int, list[str]]]
    problems: list[Problem] = field(default_factory=list)


def _read_file(root: Path, rel: str) -> _File:
    path = root / rel
    data = path.read_bytes()
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(Problem(rel, line, None, repr(data[err.start : err.end]), "not valid UTF-8"))
        text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        problems.append(Problem(rel, 1, None, None, "file starts with a byte-order mark; save as UTF-8 without BOM"))
        text = text[1:]
    crlf = text.find("\r\n")
    if crlf >= 0:
        problems.append(Problem(rel, text[:crlf].count("\n") + 1, None, None,
                                f"line endings are CRLF (Windows) on {text.count(chr(13) + chr(10))} line(s); "
                                "save the file with LF (Unix) line endings"))
    elif "\r" in text:
        problems.append(Problem(rel, text[: text.find("\r")].count("\n") + 1, None, None,
                                "line ends with a bare carriage return (old Mac); save with LF line endings"))
    if text and not text.endswith("\n"):
        problems.append(Problem(rel, text.count("\n") + 1, None, None,
                                "no newline at the end of the file; end the last line with a line break"))
    if not text.strip():
        problems.append(Problem(rel, 1, None, None, "file is empty"))
        return _File(rel, data, [], [], problems)
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    header = next(reader)
    records = []
    start = 2
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as err:
        problems.append(Problem(rel, reader.line_num, None, None, f"CSV syntax error: {err}"))
    return _File(rel, data, header, records, problems)


def _check_header(f: _File, fields: list[dict]) -> list[Problem]:
    expected = [fd["name"] for fd in fields]
    problems = []
    for name in expected:
        if name not in f.header:
            problems.append(Problem(f.name, 1, name, None, "declared column is missing from the header"))
    for name in f.header:
        if name not in expected:
            problems.append(Problem(f.name, 1, name, None, "column is not declared in the schema"))
    if not problems and f.header != expected:
        problems.append(Problem(f.name, 1, None, ",".join(f.header), f"columns out of the declared order {expected}"))
    return problems


def _check_integrity(f: _File, declared: dict) -> list[Problem]:
    """sha256, byte and row counts against the declaration; digests locate what changed."""
    refresh = _REFRESH.format(path=f"data/raw/{f.name}")
    problems = []
    digest_declared = declared.get("hash")
    if not digest_declared:
        return [Problem(f.name, None, None, None, f"no sha256 hash declared in {DATAPACKAGE}; run `{refresh}`")]
    algorithm, _, digest = digest_declared.partition(":") if ":" in digest_declared else ("sha256", "", digest_declared)
    if algorithm != "sha256":
        return [Problem(f.name, None, None, digest_declared, "only sha256 hashes are supported")]
    rows = declared.get("rows")
    if rows is None:
        problems.append(Problem(f.name, None, None, None, f"no row count declared in {DATAPACKAGE}; run `{refresh}`"))
    elif rows != len(f.records):
        problems.append(Problem(f.name, None, None, str(len(f.records)),
                                f"{len(f.records)} data rows, {rows} declared in {DATAPACKAGE}"
                                + ("; the file may have been cut short" if len(f.records) < rows else "")))
    actual = _sha256(f.data)
    if digest == actual and declared.get("bytes") in (None, len(f.data)):
        return problems
    row_digests = declared.get("rowDigests", "")
    declared_rows = [row_digests[i : i + 8] for i in range(0, len(row_digests), 8)]
    changed_rows = [line for j, (line, cells) in enumerate(f.records)
                    if j >= len(declared_rows) or _row_digest(cells) != declared_rows[j]]
    column_digests = declared.get("columnDigests", {})
    changed_columns = [name for i, name in enumerate(f.header)
                       if column_digests.get(name) != _column_digest(c[i] if i < len(c) else "" for _, c in f.records)]
    detail = (f"bytes changed since declared (sha256 {actual[:12]}…, declared {digest[:12]}…); "
              f"if the edit is intended, run `{refresh}` to refresh its entry")
    if not changed_rows and not changed_columns:
        problems.append(Problem(f.name, None, None, None,
                                "bytes changed but no cell did (line endings, quoting, spacing or the final "
                                f"newline differ): {detail}"))
    elif changed_rows and changed_columns and len(changed_rows) <= _MAX_LISTED:
        by_line = dict(f.records)
        for line in changed_rows:
            cells = dict(zip(f.header, by_line[line]))
            for column in changed_columns:
                problems.append(Problem(f.name, line, column, cells.get(column), detail))
    else:
        problems.append(Problem(f.name, changed_rows[0] if changed_rows else None,
                                ",".join(changed_columns) or None, None,
                                f"{detail}; rows changed: {changed_rows[:10]}"
                                + (" …" if len(changed_rows) > 10 else "")))
    return problems


# --------------------------------------------------------------------------------------------------
# The standard's checks, made by frictionless
# --------------------------------------------------------------------------------------------------

_TYPE_MESSAGES = {
    "integer": "not an integer",
    "year": "not a year",
    "number": "not a number (digits with an optional '.' and exponent; no units or separators)",
    "date": "not a date in YYYY-MM-DD form",
    "boolean": "not a boolean (true/false)",
}
_POSITION = re.compile(r"position \"?(\d+)\"?")


def _constraint_message(fd: dict, note: str) -> str:
    constraints = fd.get("constraints", {})
    kind = re.search(r'constraint "(\w+)"', note or "")
    kind = kind.group(1) if kind else ""
    if kind == "required":
        return "required value is missing"
    if kind == "enum":
        return f"not one of the allowed values {constraints.get('enum')}"
    if kind == "pattern":
        return f"does not match the pattern {constraints.get('pattern')!r}"
    if kind == "minimum":
        return f"below the minimum {constraints.get('minimum')}"
    if kind == "maximum":
        return f"above the maximum {constraints.get('maximum')}"
    return f"breaks the constraint {kind or note}"


def _frictionless_problems(root: Path, f: _File, schema: dict, dialect: dict,
                           targets: dict[str, tuple[list[dict], list[list[str]], str]]) -> list[Problem]:
    """Validate one file with frictionless; foreign keys against the given target tables."""
    from frictionless import Checklist, Dialect, Package, Resource, Schema

    line_of = {row: line for row, (line, _) in enumerate(f.records, start=2)}
    fields = {fd["name"]: fd for fd in schema["fields"]}
    resource = Resource(name="checked", path=f.name, basepath=str(root), format="csv", encoding="utf-8",
                        schema=Schema.from_descriptor(_standard_schema(schema, targets)),
                        dialect=Dialect.from_descriptor(dialect))
    lookups = [Resource(name=name, data=[[fd["name"] for fd in tfields], *rows],
                        schema=Schema.from_descriptor({"fields": tfields}))
               for name, (tfields, rows, _) in targets.items()]
    Package(resources=[resource, *lookups])
    report = resource.validate(checklist=Checklist(skip_errors=["hash-count", "byte-count"]))
    problems = []
    pk_rows = set()
    for error in [*report.errors, *(e for task in report.tasks for e in task.errors)]:
        line = line_of.get(getattr(error, "row_number", None), getattr(error, "row_number", None))
        column = getattr(error, "field_name", None) or None
        cell = getattr(error, "cell", None)
        code = error.type
        first = _POSITION.search(error.note or "")
        first = line_of.get(int(first.group(1)), int(first.group(1))) if first else None
        if code == "type-error":
            ftype = fields.get(column, {}).get("type", "string")
            problems.append(Problem(f.name, line, column, cell, _TYPE_MESSAGES.get(ftype, f"not of type {ftype}")))
        elif code == "constraint-error":
            problems.append(Problem(f.name, line, column, cell, _constraint_message(fields.get(column, {}), error.note)))
        elif code == "primary-key":
            if "None" in (error.note or "") and first is None:
                continue  # a missing key cell, reported as a missing required value
            keys = schema.get("primaryKey")
            keys = [keys] if isinstance(keys, str) else list(keys)
            cells = dict(zip(f.header, error.cells))
            shown = cells.get(keys[0]) if len(keys) == 1 else str(tuple(cells.get(k) for k in keys))
            pk_rows.add(line)
            problems.append(Problem(f.name, line, ",".join(keys), shown,
                                    f"duplicate id (first on row {first})"))
        elif code == "unique-error":
            problems.append(Problem(f.name, line, column, cell, f"duplicate value of unique column (first on row {first})"))
        elif code == "foreign-key":
            ref = targets.get(error.reference_name)
            where = ref[2] if ref else error.reference_name
            shown = error.field_cells[0] if len(error.field_cells) == 1 else str(tuple(error.field_cells))
            problems.append(Problem(f.name, line, ",".join(error.field_names), shown,
                                    f"resolves to nothing in {where} ({','.join(error.reference_field_names)})"))
        elif code == "extra-cell":
            problems.append(Problem(f.name, line, None, cell, f"has more cells than the header's {len(f.header)}"))
        elif code == "missing-cell":
            problems.append(Problem(f.name, line, column, None, f"row has fewer cells than the header's {len(f.header)}"))
        elif code == "blank-row":
            problems.append(Problem(f.name, line, None, None, "blank row; delete it"))
        elif code in ("incorrect-label", "missing-label", "extra-label", "blank-label", "duplicate-label"):
            problems.append(Problem(f.name, 1, column, None, error.message))
        else:
            problems.append(Problem(f.name, line, column, cell, f"{error.title}: {error.note or error.message}"))
    # a unique primary-key column breaks both 'unique' and the primary key: say it once
    return [p for p in problems if not (p.row in pk_rows and p.message.startswith("duplicate value of unique"))]


def _standard_schema(schema: dict, targets: dict) -> dict:
    """The schema as frictionless reads it: foreign keys only to the lookup tables given."""
    out = {k: v for k, v in schema.items() if k != "foreignKeys"}
    out["foreignKeys"] = [fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in targets]
    return out


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------

@dataclass
class _Context:
    root: Path
    descriptor: dict
    loaded: dict = field(default_factory=dict)
    skip_integrity: frozenset = frozenset()


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _lookup(ctx: _Context, fk: dict) -> tuple[list[dict], list[list[str]], str]:
    """Rows of a foreign key's target: every file of the target resource's family."""
    reference = fk["reference"]
    target = _resource(ctx.descriptor, reference["resource"])
    family = _family(target)
    members = [r for r in ctx.descriptor["resources"] if family is not None and _family(r) == family] or [target]
    ref_fields = _as_list(reference["fields"])
    by_name = {fd["name"]: fd for fd in target["schema"]["fields"]}
    tfields = [{"name": n, "type": by_name.get(n, {}).get("type", "string")} for n in ref_fields]
    rows: list[list[str]] = []
    for member in members:
        table = _load(ctx, member, check_foreign_keys=False)
        for f in table.files:
            index = [f.header.index(n) for n in ref_fields if n in f.header]
            if len(index) == len(ref_fields):
                rows += [[cells[i] if i < len(cells) else "" for i in index] for _, cells in f.records]
    where = " or ".join(p for m in members for p in _parts(m))
    declared = {p for r in ctx.descriptor["resources"] for p in _parts(r)}
    prefix = family or target["name"]
    undeclared = sorted(p.name for p in ctx.root.glob(f"{prefix}_*.csv") if p.name not in declared)
    if undeclared:
        where += (f" ({', '.join(undeclared)} not searched: not declared; run "
                  f"`{_REFRESH.format(path=' '.join('data/raw/' + u for u in undeclared))}`)")
    return tfields, rows, where


@dataclass
class _Table:
    frame: pd.DataFrame
    files: list[_File]
    lines: list[tuple[str, int]]


def _load(ctx: _Context, resource: dict, check_foreign_keys: bool = True) -> _Table:
    key = (resource["name"], check_foreign_keys)
    if key in ctx.loaded:
        if isinstance(ctx.loaded[key], DataValidationError):
            raise ctx.loaded[key]
        return ctx.loaded[key]
    try:
        table = _load_once(ctx, resource, check_foreign_keys)
    except DataValidationError as err:
        ctx.loaded[key] = err
        raise
    ctx.loaded[key] = table
    return table


def _load_once(ctx: _Context, resource: dict, check_foreign_keys: bool) -> _Table:
    schema = resource["schema"]
    fields = schema["fields"]
    dialect = resource.get("dialect", CSV_DIALECT)
    problems: list[Problem] = []
    files: list[_File] = []
    for declared in _integrity(resource):
        rel = declared["path"]
        if not (ctx.root / rel).is_file():
            problems.append(Problem(rel, None, None, None, f"file declared in {DATAPACKAGE} (resource "
                                    f"{resource['name']!r}) is missing"))
            continue
        f = _read_file(ctx.root, rel)
        files.append(f)
        problems += f.problems
        if not f.header:
            continue
        header_problems = _check_header(f, fields)
        problems += header_problems
        if resource["name"] not in ctx.skip_integrity:
            problems += _check_integrity(f, declared)
        if header_problems or f.problems:
            continue
        targets = {}
        if check_foreign_keys:
            for fk in schema.get("foreignKeys", []):
                name = fk["reference"]["resource"]
                if name and name != resource["name"] and name not in targets:
                    targets[name] = _lookup(ctx, fk)
        problems += _frictionless_problems(ctx.root, f, schema, dialect, targets)
    problems += _check_across_files(files, schema)
    if isinstance(resource["path"], list) and not problems and resource["name"] not in ctx.skip_integrity:
        whole = _joined([f.data for f in files])
        if resource.get("hash") != f"sha256:{_sha256(whole)}" or resource.get("bytes") != len(whole):
            problems.append(Problem(DATAPACKAGE, None, "hash", resource["name"],
                                    f"resource {resource['name']!r}: the sha256 or byte count of its files "
                                    f"together is out of date; run `{_REFRESH.format(path='data/raw/' + files[-1].name)}`"))
    if problems:
        raise DataValidationError(problems)
    records = [cells for f in files for _, cells in f.records]
    lines = [(f.name, line) for f in files for line, _ in f.records]
    frame = _typed_frame(fields, records, [f.header for f in files for _ in f.records])
    frame.attrs["units"] = {fd["name"]: fd["unit"] for fd in fields if fd.get("unit")}
    table = _Table(frame, files, lines)
    if check_foreign_keys:
        table = _join_links(ctx, resource, table)
    return table


def _check_across_files(files: list[_File], schema: dict) -> list[Problem]:
    """Primary keys unique across the parts of a multi-file resource."""
    if len(files) < 2 or not schema.get("primaryKey"):
        return []
    keys = _as_list(schema["primaryKey"])
    seen: dict[tuple, tuple[str, int]] = {}
    problems = []
    for f in files:
        if not all(k in f.header for k in keys):
            continue
        index = [f.header.index(k) for k in keys]
        for line, cells in f.records:
            key = tuple(cells[i] if i < len(cells) else "" for i in index)
            if key in seen and seen[key][0] != f.name:
                problems.append(Problem(f.name, line, ",".join(keys), key[0] if len(key) == 1 else str(key),
                                        f"id also used in {seen[key][0]}, row {seen[key][1]}"))
            seen.setdefault(key, (f.name, line))
    return problems


def _convert(value: str, ftype: str):
    if ftype in ("integer", "year"):
        return int(value)
    if ftype == "number":
        return float(value)
    if ftype == "date":
        return _dt.date.fromisoformat(value)
    if ftype == "boolean":
        return _BOOLEAN[value.lower()]
    return value


def _typed_frame(fields: list[dict], records: list[list[str]], headers: list[list[str]]) -> pd.DataFrame:
    """Validated records as a DataFrame with the declared types; empty cells are missing."""
    data = {}
    position = {}
    for fd in fields:
        name, ftype = fd["name"], fd.get("type", "string")
        values = []
        for cells, header in zip(records, headers):
            if id(header) not in position:
                position[id(header)] = {n: i for i, n in enumerate(header)}
            i = position[id(header)].get(name)
            raw = cells[i] if i is not None and i < len(cells) else ""
            values.append(None if raw == "" else _convert(raw, ftype))
        if ftype in ("integer", "year"):
            data[name] = pd.array(values, dtype="Int64")
        elif ftype == "number":
            data[name] = pd.array([float("nan") if v is None else v for v in values], dtype="float64")
        elif ftype == "date":
            data[name] = pd.to_datetime(pd.Series(values, dtype="object"))
        elif ftype == "boolean":
            data[name] = pd.array(values, dtype="boolean")
        else:
            data[name] = pd.Series(values, dtype="str")
    return pd.DataFrame(data)


def _links_of(descriptor: dict, name: str) -> list[dict]:
    return [r for r in descriptor["resources"] if r.get("zonestudy", {}).get("linksTo") == name]


def _join_links(ctx: _Context, resource: dict, table: _Table) -> _Table:
    """Add the ids of a link table as one ``'; '``-joined column (e.g. ``source_ids``)."""
    links = _links_of(ctx.descriptor, resource["name"])
    if not links:
        return table
    frame = table.frame.copy()
    problems = []
    for link in links:
        spec = link["zonestudy"]
        keys = [fk for fk in link["schema"].get("foreignKeys", []) if fk["reference"]["resource"] == resource["name"]]
        if not keys:
            raise DataValidationError([Problem(DATAPACKAGE, None, "foreignKeys", link["name"],
                                               f"link table {link['name']!r} has no foreign key to {resource['name']!r}")])
        own, theirs = _as_list(keys[0]["fields"]), _as_list(keys[0]["reference"]["fields"])
        linked = _load(ctx, link).frame
        value = spec.get("value", "source_id")
        joined: dict[tuple, list[str]] = {}
        for row in linked[[*own, value]].itertuples(index=False):
            joined.setdefault(tuple(row[:-1]), []).append(row[-1])
        column = []
        for j, row in enumerate(frame[theirs].itertuples(index=False)):
            ids = joined.get(tuple(row))
            if not ids and spec.get("required", True):
                fname, line = table.lines[j]
                problems.append(Problem(fname, line, spec.get("as", "source_ids"), None,
                                        f"no {value} for this row in {' or '.join(_parts(link))}; "
                                        "every row needs at least one"))
            column.append("; ".join(ids) if ids else None)
        frame[spec.get("as", "source_ids")] = pd.Series(column, dtype="str")
    if problems:
        raise DataValidationError(problems)
    frame.attrs = table.frame.attrs
    return _Table(frame, table.files, table.lines)


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
        numbers as ``float64``, dates as ``datetime64``; empty cells are missing. A table with a link
        table (``zonestudy.linksTo``) gets the linked ids as a last column (``source_ids``,
        ``'; '``-separated). ``attrs["units"]`` maps columns to their declared units. A resource in
        several files returns their rows stacked, in file order.

    Raises
    ------
    DataValidationError
        When the descriptor is broken or points outside ``data/raw``, a column is missing or
        undeclared, a cell has the wrong type or a value outside its allowed set, an id is duplicated,
        a source id resolves to nothing, the row count or the file's sha256 no longer matches the
        declared one, or line endings are not LF. Every problem is listed with file, row, column and
        value.
    KeyError
        When no resource of that name is declared.
    """
    root = _raw_dir(raw_dir)
    descriptor = read_datapackage(root)
    return _load(_Context(root, descriptor), _resource(descriptor, name)).frame


def _file_column(table: _Table, resource: dict) -> list[str]:
    if isinstance(resource["path"], list):
        return [Path(fname).stem for fname, _ in table.lines]
    return [resource["name"]] * len(table.lines)


def _stack_family(ctx: _Context, family: str) -> pd.DataFrame:
    members = [r for r in ctx.descriptor["resources"] if _family(r) == family]
    if not members:
        raise KeyError(f"no resource of family {family!r} in {DATAPACKAGE}")
    frames, lines, problems = [], [], []
    for resource in members:
        try:
            table = _load(ctx, resource)
        except DataValidationError as err:
            problems += err.problems
            continue
        frame = table.frame.copy()
        frame.insert(0, "resource", pd.Series(_file_column(table, resource), dtype="str"))
        frames.append(frame)
        lines += table.lines
    if problems:
        raise DataValidationError(problems)
    stacked = pd.concat(frames, ignore_index=True)
    keys = _as_list(members[0]["schema"].get("primaryKey") or [])
    first: dict[tuple, tuple[str, int]] = {}
    for (fname, line), key in zip(lines, stacked[keys].itertuples(index=False)) if keys else ():
        key = tuple(key)
        if key in first and first[key][0] != fname:
            problems.append(Problem(fname, line, ",".join(keys), str(key[0] if len(key) == 1 else key),
                                    f"id also used in another file of the family {family!r}: "
                                    f"{first[key][0]}, row {first[key][1]}"))
        first.setdefault(key, (fname, line))
    if problems:
        raise DataValidationError(problems)
    stacked.attrs["units"] = frames[0].attrs.get("units", {})
    return stacked


def load_family(family: str, *, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Stack every resource of one ``zonestudy.family`` (e.g. ``"campaign_facts"``).

    Adds a first column ``resource`` naming where each row came from: the resource name, or for a
    resource in several files (such as ``sources`` with a new round's sources file) the file's stem.
    Ids declared unique (the schema's primary key) must be unique across all the stacked files too;
    a clash names both files and rows.
    """
    root = _raw_dir(raw_dir)
    return _stack_family(_Context(root, read_datapackage(root)), family)


def validate_raw(raw_dir: str | Path | None = None) -> dict[str, int]:
    """Validate every declared resource of ``data/raw``; return the row count of each.

    Also refuses CSV files in the folder that no resource declares. Raises
    :class:`DataValidationError` listing every problem of every file.
    """
    root = _raw_dir(raw_dir)
    ctx = _Context(root, read_datapackage(root))
    problems, counts = [], {}
    for resource in ctx.descriptor["resources"]:
        try:
            counts[resource["name"]] = len(_load(ctx, resource).frame)
        except DataValidationError as err:
            problems += err.problems
    declared = {p for r in ctx.descriptor["resources"] for p in _parts(r)}
    problems = list(dict.fromkeys(problems))
    for path in sorted(root.glob("*.csv")):
        if path.name not in declared:
            problems.append(Problem(path.name, None, None, None, f"not declared in {DATAPACKAGE}; run "
                                    f"`{_REFRESH.format(path='data/raw/' + path.name)}` to declare it"))
    if problems:
        raise DataValidationError(problems)
    return counts


# --------------------------------------------------------------------------------------------------
# Adding or refreshing files
# --------------------------------------------------------------------------------------------------

def _file_entry(f: _File) -> dict:
    return {
        "bytes": len(f.data),
        "hash": f"sha256:{_sha256(f.data)}",
        "rows": len(f.records),
        "columnDigests": {col: _column_digest(c[i] if i < len(c) else "" for _, c in f.records)
                          for i, col in enumerate(f.header)},
        "rowDigests": "".join(_row_digest(cells) for _, cells in f.records),
    }


def describe_resource(path: str | Path, *, name: str | None = None, schema: str | None = None,
                      family: str | None = None) -> dict:
    """Return a ``datapackage.json`` entry for a raw CSV file (hash, row count, digests); writes nothing.

    :func:`add_files` (``python -m zonestudy add``) validates the file and writes the entry; use it
    instead of pasting this one.

    Parameters
    ----------
    path : path-like
        The CSV file (UTF-8, header row, LF line endings).
    name : str, optional
        Resource name; defaults to the file stem.
    schema : str, optional
        Path of a shared schema relative to ``data/raw`` (e.g. ``"schemas/campaign_facts.json"``).
    family : str, optional
        Family of resources with this layout (e.g. ``"campaign_facts"``).
    """
    path = Path(path)
    f = _read_file(path.parent, path.name)
    if f.problems:
        raise DataValidationError(f.problems)
    integrity = _file_entry(f)
    entry: dict = {
        "name": name or path.stem,
        "path": path.name,
        "title": name or path.stem,
        "description": "",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": dict(CSV_DIALECT),
        "bytes": integrity["bytes"],
        "hash": integrity["hash"],
        "licenses": [dict(_LICENCE)],
    }
    if schema is not None:
        entry["schema"] = schema
    entry["zonestudy"] = {**({"family": family} if family else {}),
                          **{k: integrity[k] for k in ("rows", "columnDigests", "rowDigests")}}
    return entry


def _descriptor_for_writing(descriptor: dict) -> dict:
    out = json.loads(json.dumps(descriptor))
    for resource in out["resources"]:
        if "schema_path" in resource:
            resource["schema"] = resource.pop("schema_path")
    return out


def _dump(descriptor: dict) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


def _fill_defaults(path: Path, f: _File, fields: list[dict]) -> tuple[_File, list[str]]:
    """Fill empty cells (and missing columns) of fields that declare a ``zonestudy:default``."""
    defaults = {fd["name"]: fd["zonestudy:default"] for fd in fields if "zonestudy:default" in fd}
    if not defaults or not f.header:
        return f, []
    header = list(f.header)
    order = [fd["name"] for fd in fields]
    added = [n for n in defaults if n not in header]
    if added and set(header) | set(added) == set(order):
        header = [n for n in order]
    filled = {n: 0 for n in defaults}
    rows = []
    for _, cells in f.records:
        row = dict(zip(f.header, cells))
        for n, default in defaults.items():
            if row.get(n, "") == "":
                row[n] = str(default)
                filled[n] += 1
        rows.append([row.get(n, "") for n in header])
    changed = [f"{n}: {k} cell(s) set to {defaults[n]!r}" for n, k in filled.items() if k]
    if not changed and header == f.header:
        return f, []
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return _read_file(path.parent, path.name), changed


def _family_of_file(descriptor: dict, stem: str, family: str | None) -> str | None:
    families = sorted({_family(r) for r in descriptor["resources"] if _family(r)}, key=len, reverse=True)
    if family:
        return family
    for r in descriptor["resources"]:
        if stem in [Path(p).stem for p in _parts(r)] and _family(r):
            return _family(r)
    for fam in families:
        if stem == fam or stem.startswith(fam + "_"):
            return fam
    return None


def add_files(files: Iterable[str | Path], *, raw_dir: str | Path | None = None, family: str | None = None,
              title: str | None = None, description: str | None = None) -> list[str]:
    """Validate raw CSV files and write (or refresh) their entries in ``datapackage.json``.

    Each file must sit in ``data/raw``. Its family (``campaign_facts``, ``sources`` …) comes from
    ``family``, from its existing entry, or from its name (``campaign_facts_2025q1.csv`` →
    ``campaign_facts``); it is checked against the family's schema, with every other declared file
    (ids unique across the family, source ids resolving to some sources file). Empty cells of fields
    with a ``zonestudy:default`` in the schema are filled in the file first. A new sources file
    becomes a further part of the ``sources`` resource, so standard tools resolve the foreign keys too.

    The entry carries what every declared resource has: title, description, licence, dialect, schema,
    bytes, sha256, row count and the row and column digests. Nothing is written when any problem is
    found. Running it again after an edit refreshes the entry; the JSON is written in a fixed layout.

    Parameters
    ----------
    files : iterable of path-like
        The CSV files, e.g. ``["data/raw/campaign_facts_2025q1.csv", "data/raw/sources_2025q1.csv"]``.
    raw_dir : path-like, optional
        Defaults to the project's ``data/raw``.
    family : str, optional
        Family of every file, when their names do not tell it.
    title, description : str, optional
        For a new resource (defaults: its name, and a sentence naming its family); an existing entry
        keeps its own unless given.

    Returns
    -------
    list of str
        One line per file saying what was done.

    Raises
    ------
    DataValidationError
        With file / row / column / value for every problem found.
    """
    root = _raw_dir(raw_dir)
    descriptor = read_datapackage(root)
    problems: list[Problem] = []
    paths_in = []
    for given in files:
        path = Path(given)
        if not path.is_file():
            problems.append(Problem(str(given), None, None, None, "no such file"))
            continue
        if path.resolve().parent != root.resolve():
            problems.append(Problem(str(given), None, None, None, f"copy the file into {root} first"))
            continue
        if path.suffix != ".csv" or not _NAME.match(path.stem):
            problems.append(Problem(path.name, None, None, None,
                                    "name raw files <family>_<something>.csv in lowercase letters, digits and '_'"))
            continue
        paths_in.append(root / path.name)
    if problems:
        raise DataValidationError(problems)
    originals = {path: path.read_bytes() for path in paths_in}
    try:
        done = _add(root, descriptor, paths_in, family, title, description)
    except BaseException:
        for path, data in originals.items():  # defaults filled in a refused file are undone
            if path.read_bytes() != data:
                path.write_bytes(data)
        raise
    (root / DATAPACKAGE).write_text(_dump(_descriptor_for_writing(descriptor)), encoding="utf-8")
    return done


def _add(root: Path, descriptor: dict, paths_in: list[Path], family, title, description) -> list[str]:
    problems: list[Problem] = []
    done: list[str] = []
    touched: set[str] = set()
    for path in paths_in:
        stem = path.stem
        fam = _family_of_file(descriptor, stem, family)
        known = sorted({_family(r) for r in descriptor["resources"] if _family(r)})
        if fam is None:
            problems.append(Problem(path.name, None, None, None, "cannot tell its family from the name; name it "
                                    f"<family>_<something>.csv or pass --family; families: {', '.join(known)}"))
            continue
        members = [r for r in descriptor["resources"] if _family(r) == fam]
        if not members:
            problems.append(Problem(path.name, None, None, fam, f"unknown family; families: {', '.join(known)}"))
            continue
        model = members[0]
        f = _read_file(root, path.name)
        if f.problems:
            problems += f.problems
            continue
        f, filled = _fill_defaults(path, f, model["schema"]["fields"])
        entry = _file_entry(f)
        owner = next((r for r in descriptor["resources"] if path.name in _parts(r)), None)
        if owner is None and fam == "sources":
            owner = model
            if not isinstance(owner["path"], list):
                owner["zonestudy"]["parts"] = [{"path": owner["path"], "bytes": owner["bytes"],
                                                "hash": owner["hash"],
                                                **{k: owner["zonestudy"].pop(k) for k in ("rows", "columnDigests", "rowDigests")}}]
                owner["path"] = [owner["path"]]
            owner["path"].append(path.name)
            owner["zonestudy"]["parts"].append({"path": path.name})
            action = f"added {path.name} as a further part of resource {owner['name']!r}"
        elif owner is None:
            owner = {
                "name": stem, "path": path.name,
                "title": title or stem,
                "description": description or f"Further rows of the {fam} family, in the layout of {model['name']}.",
                "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "dialect": dict(CSV_DIALECT),
                "licenses": json.loads(json.dumps(model.get("licenses", [_LICENCE]))),
                "schema": json.loads(json.dumps(model["schema"])),
                "zonestudy": {"family": fam},
            }
            if "schema_path" in model:
                owner["schema_path"] = model["schema_path"]
            at = descriptor["resources"].index(members[-1]) + 1
            descriptor["resources"].insert(at, owner)
            action = f"declared {path.name} as resource {stem!r} (family {fam})"
        else:
            action = f"refreshed the entry of {path.name} (resource {owner['name']!r})"
        if title and not isinstance(owner["path"], list):
            owner["title"] = title
        if description and not isinstance(owner["path"], list):
            owner["description"] = description
        if isinstance(owner["path"], list):
            part = next(p for p in owner["zonestudy"]["parts"] if p["path"] == path.name)
            part.update(entry)
        else:
            owner["bytes"], owner["hash"] = entry["bytes"], entry["hash"]
            owner["zonestudy"].update({k: entry[k] for k in ("rows", "columnDigests", "rowDigests")})
        touched.add(owner["name"])
        done.append(action + (f"; filled defaults ({'; '.join(filled)})" if filled else "")
                    + f"; {entry['rows']} rows")
    if problems:
        raise DataValidationError(problems)
    for resource in descriptor["resources"]:
        if isinstance(resource["path"], list):
            whole = _joined([(root / p).read_bytes() for p in resource["path"] if (root / p).is_file()])
            resource["bytes"], resource["hash"] = len(whole), f"sha256:{_sha256(whole)}"
            resource["zonestudy"]["rows"] = sum(p.get("rows") or 0 for p in resource["zonestudy"]["parts"])
    # validate what was touched, with everything else that is declared (families, foreign keys)
    ctx = _Context(root, descriptor)
    for name in sorted(touched):
        try:
            _load(ctx, _resource(descriptor, name))
        except DataValidationError as err:
            problems += err.problems
    if not problems:
        for fam in sorted({_family(_resource(descriptor, name)) for name in touched} - {None}):
            try:
                _stack_family(ctx, fam)
            except DataValidationError as err:
                problems += err.problems
    if problems:
        raise DataValidationError(list(dict.fromkeys(problems)))
    return done


# --------------------------------------------------------------------------------------------------
# Clean tables
# --------------------------------------------------------------------------------------------------

def format_float(value: float) -> str:
    """Text of ``value`` that reads back as the same float (lossless), in the clean tables' style.

    ``%.10g`` when that is exact (so values with at most ten significant digits are written as
    before: ``150000000``, ``0.1``), otherwise Python's shortest round-trip form (``repr``) without a
    trailing ``.0``; missing values are empty.

    >>> format_float(1234567890100.0), format_float(1.5e8), format_float(0.1), format_float(1 / 3)
    ('1234567890100', '150000000', '0.1', '0.3333333333333333')
    """
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = f"{value:.10g}"
    if float(text) == value:
        return text
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


_TYPES = [
    (pd.api.types.is_bool_dtype, "boolean"),
    (pd.api.types.is_integer_dtype, "integer"),
    (pd.api.types.is_float_dtype, "number"),
    (pd.api.types.is_datetime64_any_dtype, "date"),
]


def _clean_field(frame: pd.DataFrame, column: str) -> dict:
    dtype = frame[column].dtype
    ftype = next((t for test, t in _TYPES if test(dtype)), "string")
    if ftype == "string":
        values = frame[column].dropna()
        if len(values) and all(isinstance(v, bool) for v in values):
            ftype = "boolean"
    fd = {"name": str(column), "type": ftype}
    if ftype == "boolean":
        fd["trueValues"], fd["falseValues"] = ["True"], ["False"]
    return fd


def _update_clean_package(folder: Path, frame: pd.DataFrame, name: str, csv_path: Path) -> Path:
    """Write or update ``datapackage.json`` in the clean folder with this table's entry."""
    path = folder / DATAPACKAGE
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        resources = [r for r in descriptor.get("resources", []) if isinstance(r, dict)]
    except (OSError, ValueError):
        resources = []
    data = csv_path.read_bytes()
    entry = {
        "name": name,
        "path": csv_path.name,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": dict(CSV_DIALECT),
        "bytes": len(data),
        "hash": f"sha256:{_sha256(data)}",
        "schema": {"fields": [_clean_field(frame, c) for c in frame.columns], "missingValues": [""]},
    }
    resources = [r for r in resources if r.get("name") != name and (folder / str(r.get("path", ""))).is_file()]
    resources.append(entry)
    descriptor = {
        "profile": "tabular-data-package",
        "name": "zonestudy-clean",
        "title": "zonestudy: clean tables built from data/raw",
        "description": "Written by zonestudy.io.write_clean when the study is rebuilt (make reproduce); "
                       "every row carries its source ids, see data/raw/datapackage.json.",
        "licenses": [{k: v for k, v in _LICENCE.items()}],
        "resources": sorted(resources, key=lambda r: r["name"]),
    }
    path.write_text(_dump(descriptor), encoding="utf-8")
    return path


def write_clean(frame: pd.DataFrame, name: str, *, clean_dir: str | Path | None = None,
                stata: bool = True) -> list[Path]:
    """Write a clean table as UTF-8 CSV (and a Stata 118 ``.dta`` copy), byte-for-byte reproducibly.

    Floats are written losslessly (:func:`format_float`). The table's entry in the clean folder's
    ``datapackage.json`` (types, bytes, sha256, dialect) is written or updated too, so standard tools
    (``frictionless validate data/clean/datapackage.json``) read the clean tables as well.

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
        The table files written (not ``datapackage.json``).
    """
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"clean table name {name!r} must be lowercase ASCII letters, digits and '_'")
    folder = Path(clean_dir) if clean_dir is not None else paths.clean_dir()
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"{name}.csv"
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column].dtype):
            out[column] = pd.Series([None if pd.isna(v) else format_float(float(v)) for v in out[column]],
                                    index=out.index, dtype=object)
    out.to_csv(csv_path, index=False, encoding="utf-8", lineterminator="\n", date_format="%Y-%m-%d")
    written = [csv_path]
    if stata:
        from zonestudy import stata as _stata  # labelled .dta; imports io itself
        written.append(_stata.write_dta(frame, folder / f"{name}.dta", table=name))
    _update_clean_package(folder, frame, name, csv_path)
    from zonestudy import codebook as _codebook
    _codebook.write_codebook(folder)
    return written


def load_clean(name: str, *, clean_dir: str | Path | None = None) -> pd.DataFrame:
    """Read a clean table written by :func:`write_clean`.

    Numbers are read back exactly (round-trip float parsing). Columns named ``date``, ``*_date``,
    ``period_start`` and ``period_end`` are parsed as dates; ``year``, ``*_year`` and ``round_no`` as
    nullable integers (``Int64``).
    """
    folder = Path(clean_dir) if clean_dir is not None else paths.clean_dir()
    frame = pd.read_csv(folder / f"{name}.csv", encoding="utf-8")
    for column in frame.columns:
        if column.endswith("_date") or column in ("date", "period_start", "period_end"):
            frame[column] = pd.to_datetime(frame[column])
        elif column.endswith("year") or column == "round_no":
            frame[column] = frame[column].astype("Int64")
    return frame
