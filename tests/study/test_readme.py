"""The README's commands and examples work as written."""

import re
import subprocess
import sys

from zonestudy import paths

ROOT = paths.project_root()
README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_quick_start_has_exactly_the_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quick, flags=re.S).group(1)
    commands = [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make reproduce", "make test"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.M)


def test_library_example_runs_from_the_project_root():
    [example] = [b for b in python_blocks() if "project_list.csv" in b]
    result = subprocess.run([sys.executable, "-c", example], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "yuncheng_etdz" in result.stdout and "ambiguous" in result.stdout
