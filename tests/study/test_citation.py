"""CITATION.cff, .zenodo.json and the README's BibTeX agree."""

import json
import re

import pytest

from zonestudy import citation, paths

ROOT = paths.project_root()
CFF = citation.read_cff(ROOT / "CITATION.cff")


def test_cff_names_both_licences_and_describes_data_and_software():
    assert CFF["license"] == ["BSD-3-Clause", "CC-BY-4.0"]
    kinds = {ref["type"]: ref["license"] for ref in CFF["references"]}
    assert kinds == {"data": "CC-BY-4.0", "software": "BSD-3-Clause"}


def test_cff_version_is_the_package_version():
    import zonestudy

    assert CFF["version"] == zonestudy.__version__


def test_readme_bibtex_is_generated_from_citation_cff():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How to cite", 1)[1]
    blocks = re.findall(r"```bibtex\n(.*?)\n```", section, flags=re.S)
    assert blocks == [citation.to_bibtex(CFF)], "rerun zonestudy.citation.to_bibtex and paste it into README.md"


def test_zenodo_json_is_generated_from_citation_cff():
    text = (ROOT / ".zenodo.json").read_text(encoding="utf-8")
    assert text == citation.zenodo_json(CFF)
    meta = json.loads(text)
    assert meta["license"] == "BSD-3-Clause" and "CC-BY-4.0" in meta["notes"]


def test_a_cff_without_a_title_is_refused(tmp_path):
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\nversion: '1'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="title"):
        citation.read_cff(tmp_path / "CITATION.cff")


def test_bibtex_protects_group_authors_and_escapes_braces():
    entry = citation.to_bibtex({"title": "A {b} c", "authors": [{"name": "Team X"},
                                {"given-names": "Li", "family-names": "Wang"}], "version": "2"})
    assert "author  = {{Team X} and Wang, Li}," in entry
    assert "title   = {{A \\{b\\} c}}," in entry
    assert entry.startswith("@software{a_nd,")
