"""Citation metadata: read ``CITATION.cff`` and derive a BibTeX entry, a one-line citation and Zenodo metadata.

``CITATION.cff`` (Citation File Format 1.2.0) is the single record of how to cite the study. From it:

* :func:`to_bibtex` gives the BibTeX (biblatex ``@software``) entry shown in the README's "How to
  cite" section (``tests/study/test_citation.py`` checks that the README shows exactly this entry);
* :func:`to_zenodo` gives the deposit metadata of ``.zenodo.json``, which Zenodo reads when a release
  is archived and a DOI minted (the same test checks the file);
* :func:`short_citation` gives the one-line citation used on the rendered site (:mod:`zonestudy.site`).

Examples
--------
>>> cff = {"title": "zonestudy", "authors": [{"name": "zonestudy contributors"}],
...        "version": "0.1.0", "date-released": "2026-11-27", "license": ["BSD-3-Clause", "CC-BY-4.0"]}
>>> print(short_citation(cff))
zonestudy contributors (2026). zonestudy, version 0.1.0
>>> print(to_bibtex(cff))
@software{zonestudy_2026,
  author  = {{zonestudy contributors}},
  title   = {{zonestudy}},
  year    = {2026},
  month   = {11},
  version = {0.1.0},
  note    = {Licences: BSD-3-Clause, CC-BY-4.0},
}
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from pathlib import Path
from typing import Any

__all__ = ["read_cff", "short_citation", "to_bibtex", "to_zenodo", "zenodo_json"]


def read_cff(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a ``CITATION.cff`` file (YAML) into a dict.

    Raises
    ------
    ValueError
        If the file lacks ``title``, ``authors`` or ``version``.
    """
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    missing = [key for key in ("title", "authors", "version") if not data.get(key)]
    if missing:
        raise ValueError(f"{path}: CITATION.cff lacks {missing}")
    return data


def _date(cff: dict[str, Any]) -> _dt.date | None:
    value = cff.get("date-released")
    if value is None:
        return None
    return value if isinstance(value, _dt.date) else _dt.date.fromisoformat(str(value))


def _author(person: dict[str, Any]) -> str:
    if person.get("name"):
        return str(person["name"])
    given, family = person.get("given-names", ""), person.get("family-names", "")
    return f"{family}, {given}".strip(", ")


def _licences(cff: dict[str, Any]) -> list[str]:
    value = cff.get("license") or []
    return [value] if isinstance(value, str) else list(value)


def short_citation(cff: dict[str, Any]) -> str:
    """One line: "Authors (year). Title, version V" (and the DOI or address when known)."""
    authors = "; ".join(_author(a) for a in cff["authors"])
    date = _date(cff)
    year = f" ({date.year})" if date else ""
    text = f"{authors}{year}. {cff['title']}, version {cff['version']}"
    if cff.get("doi"):
        text += f". https://doi.org/{cff['doi']}"
    elif cff.get("repository-code"):
        text += f". {cff['repository-code']}"
    return text


def _braced(text: str) -> str:
    return "{" + str(text).replace("{", "\\{").replace("}", "\\}") + "}"


def to_bibtex(cff: dict[str, Any], key: str | None = None) -> str:
    """A biblatex ``@software`` entry for the citation (fields aligned, one per line).

    Authors given by a single ``name`` (an organisation or group) are protected with double
    braces so that BibTeX does not split them into given and family names.
    """
    date = _date(cff)
    first = re.sub(r"[^A-Za-z0-9]+", "", str(cff["title"]).split(":")[0].split()[0]).lower()
    key = key or f"{first}_{date.year if date else 'nd'}"
    authors = "{" + " and ".join(
        _braced(a["name"]) if a.get("name") else _author(a) for a in cff["authors"]) + "}"
    fields: list[tuple[str, str]] = [("author", authors), ("title", "{" + _braced(cff["title"]) + "}")]
    if date:
        fields += [("year", _braced(date.year)), ("month", _braced(date.month))]
    fields.append(("version", _braced(cff["version"])))
    if cff.get("doi"):
        fields.append(("doi", _braced(cff["doi"])))
    if cff.get("repository-code"):
        fields.append(("url", _braced(cff["repository-code"])))
    if _licences(cff):
        fields.append(("note", _braced("Licences: " + ", ".join(_licences(cff)))))
    width = max(len(name) for name, _ in fields)
    lines = [f"@software{{{key},"]
    lines += [f"  {name.ljust(width)} = {value}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines)


def to_zenodo(cff: dict[str, Any]) -> dict[str, Any]:
    """Zenodo deposit metadata (the content of ``.zenodo.json``) for the release in ``cff``.

    Zenodo takes one licence per deposit: the first one of ``cff`` (the code's); the others are
    named in the notes.
    """
    licences = _licences(cff)
    creators = [{"name": _author(a)} | ({"orcid": a["orcid"].rsplit("/", 1)[-1]} if a.get("orcid") else {})
                for a in cff["authors"]]
    meta: dict[str, Any] = {
        "title": cff["title"],
        "upload_type": "software",
        "creators": creators,
        "version": str(cff["version"]),
        "description": " ".join(str(cff.get("abstract", cff["title"])).split()),
        "keywords": list(cff.get("keywords", [])),
        "access_right": "open",
    }
    if licences:
        meta["license"] = licences[0]
    if len(licences) > 1:
        meta["notes"] = ("Licences: code " + licences[0] + "; data and figures " + ", ".join(licences[1:])
                         + " (see LICENSE and LICENSE-DATA.md).")
    date = _date(cff)
    if date:
        meta["publication_date"] = date.isoformat()
    if cff.get("repository-code"):
        meta["related_identifiers"] = [{"identifier": cff["repository-code"], "relation": "isSupplementTo",
                                        "scheme": "url"}]
    return meta


def zenodo_json(cff: dict[str, Any]) -> str:
    """:func:`to_zenodo` as the text of ``.zenodo.json`` (UTF-8, indented, newline at the end)."""
    return json.dumps(to_zenodo(cff), ensure_ascii=False, indent=2) + "\n"
