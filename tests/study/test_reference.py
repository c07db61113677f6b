"""The study's reference tables (data/reference): declared, loadable, read lazily, and missing ones
are reported by folder."""

import json
import subprocess
import sys

import pytest

from zonestudy import io, paths
from zonestudy.study import reference, structure


def _descriptor():
    return json.loads((reference.reference_dir() / io.DATAPACKAGE).read_text(encoding="utf-8"))


def test_every_table_is_declared_with_title_source_licence_and_column_descriptions():
    descriptor = _descriptor()
    declared = {r["path"] for r in descriptor["resources"]}
    assert declared == {p.name for p in reference.reference_dir().glob("*.csv")}
    for resource in descriptor["resources"]:
        assert resource["title"] and resource["description"], resource["name"]
        assert resource["sources"] and resource["licenses"], resource["name"]
        assert all(f.get("description") for f in resource["schema"]["fields"]), resource["name"]
        assert len(reference.load(resource["name"])) > 0


def test_tables_read_as_strings_with_empty_cells_as_empty_strings():
    table = reference.load("sector_map")
    assert (table["note"] == "").any() and table["note"].notna().all()
    assert set(structure.SECTOR_MAP.values()) <= set(structure.SECTOR_CLASSES) - {"unlisted"}


def test_words_of_one_module():
    words = reference.words("structure")
    assert words["not_printed"] == {"en": "not printed", "zh": "未公布"}
    with pytest.raises(TypeError):
        words["not_printed"]["en"] = "changed"


def test_lazy_mapping_and_sequence_build_once_on_first_use():
    calls = []

    def build():
        calls.append(1)
        return {"b": 2, "a": 1}

    mapping = reference.LazyMapping(build)
    assert calls == []
    assert list(mapping) == ["b", "a"] and mapping["a"] == 1 and len(mapping) == 2
    sequence = reference.LazySequence(lambda: tuple(mapping))
    assert sequence[-1] == "a" and list(sequence) == ["b", "a"]
    assert calls == [1]


def test_importing_the_study_reads_no_reference_table(tmp_path):
    # the root has no data/reference: importing works, and only the first use of a table needs it
    code = ("import zonestudy.study.structure, zonestudy.study.pipeline, zonestudy.study.peers\n"
            "from zonestudy.study import reference, structure\n"
            "try:\n"
            "    len(structure.SECTOR_CLASSES)\n"
            "except reference.ReferenceDataNotFound:\n"
            "    print('read on first use')\n")
    (tmp_path / paths.MARKER_FILE).write_text("")
    env = {"ZONESTUDY_ROOT": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "read on first use\n"


def test_a_missing_folder_is_named(tmp_path, monkeypatch):
    (tmp_path / paths.MARKER_FILE).write_text("")
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    with pytest.raises(reference.ReferenceDataNotFound, match="data/reference/datapackage.json"):
        reference.reference_dir()
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(reference.ReferenceDataNotFound, match="data/reference/ of a clone"):
        reference.reference_dir()
