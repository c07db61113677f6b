"""make diff: what a rebuild changed against the committed outputs (a made-up project in a git repo)."""

import subprocess

import pytest

from zonestudy import diffs
from zonestudy.study import changes


def git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "data" / "clean").mkdir(parents=True)
    (tmp_path / "figures" / "tables").mkdir(parents=True)
    (tmp_path / "data" / "clean" / "campaign_facts.csv").write_text(
        "fact_id,value_count\nF1,10\nF2,20\nF3,30\n", encoding="utf-8")
    (tmp_path / "figures" / "tables" / "tab11_findings_values.csv").write_text(
        "finding,key,name,value\n1,cohort,k,40\n2,province_lists,n_rounds,9\n", encoding="utf-8")
    (tmp_path / "figures" / "tables" / "tab02_sizes.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "figures" / "fig01_lists.png").write_bytes(b"png-1")
    (tmp_path / "figures" / "fig02_other.png").write_bytes(b"png-2")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "outputs")
    return tmp_path


def test_nothing_changed_right_after_a_commit(repo):
    found = changes.what_changed(repo)
    assert found.empty
    assert "nothing" in changes.summary_lines(found)[0]


def test_rows_exhibits_and_finding_values_that_changed_are_named(repo):
    (repo / "data" / "clean" / "campaign_facts.csv").write_text(
        "fact_id,value_count\nF1,10\nF2,21\nF4,40\n", encoding="utf-8")
    (repo / "figures" / "tables" / "tab11_findings_values.csv").write_text(
        "finding,key,name,value\n1,cohort,k,40\n2,province_lists,n_rounds,10\n", encoding="utf-8")
    (repo / "figures" / "tables" / "tab02_sizes.csv").write_text("a\n2\n", encoding="utf-8")
    (repo / "figures" / "fig01_lists.png").write_bytes(b"png-1b")
    found = changes.what_changed(repo)
    table = found.clean["campaign_facts"]
    assert table[["fact_id", "change"]].values.tolist() == [["F2", "changed"], ["F3", "removed"], ["F4", "added"]]
    assert found.exhibits == ["fig01", "tab02", "tab11"]
    text = "\n".join(changes.summary_lines(found))
    assert "finding 2 (province_lists) n_rounds: 9 → 10" in text
    assert "campaign_facts 1 added, 1 removed, 1 changed (value_count)" in text
    assert "exhibits changed: fig01, tab02, tab11" in text
    assert "finding 1" not in text


def test_outside_a_git_checkout_there_is_nothing_to_compare_with(tmp_path):
    with pytest.raises(diffs.NotAGitCheckout):
        changes.what_changed(tmp_path)
