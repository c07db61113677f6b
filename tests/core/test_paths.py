import pytest

from zonestudy import paths


def test_root_found_from_a_subfolder(monkeypatch):
    root = paths.project_root()
    monkeypatch.delenv(paths.ROOT_ENV_VAR, raising=False)
    monkeypatch.chdir(root / "notebooks")
    assert paths.project_root() == root
    assert paths.raw_dir() == root / "data" / "raw"


def test_env_override(monkeypatch, tmp_path):
    (tmp_path / paths.MARKER_FILE).write_text("")
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    assert paths.clean_dir() == tmp_path / "data" / "clean"


def test_env_override_without_marker_fails(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    with pytest.raises(paths.ProjectRootNotFound, match="marker"):
        paths.project_root()


def test_library_does_not_depend_on_working_directory(monkeypatch, tmp_path):
    root = paths.project_root()
    monkeypatch.chdir(tmp_path)
    assert paths.project_root() == root
