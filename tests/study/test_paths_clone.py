"""Finding the project root inside this clone (from a subfolder, from another working directory).
Root finding on temporary folders is tested in tests/core/test_paths.py."""

from zonestudy import paths


def test_root_found_from_a_subfolder(monkeypatch):
    root = paths.project_root()
    monkeypatch.delenv(paths.ROOT_ENV_VAR, raising=False)
    monkeypatch.chdir(root / "notebooks")
    assert paths.project_root() == root
    assert paths.raw_dir() == root / "data" / "raw"


def test_library_does_not_depend_on_working_directory(monkeypatch, tmp_path):
    root = paths.project_root()
    monkeypatch.chdir(tmp_path)
    assert paths.project_root() == root
