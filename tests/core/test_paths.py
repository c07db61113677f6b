import pytest

from zonestudy import paths


def test_env_override(monkeypatch, tmp_path):
    (tmp_path / paths.MARKER_FILE).write_text("")
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    assert paths.clean_dir() == tmp_path / "data" / "clean"


def test_env_override_without_marker_fails(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    with pytest.raises(paths.ProjectRootNotFound, match="marker"):
        paths.project_root()

