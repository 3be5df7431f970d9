"""The benchmark scripts run (timings are never asserted: they belong to the machine)."""

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH = ROOT / "bench"


def _python(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=True
    )


def _digest(tree: Path) -> dict[str, str]:
    return {
        str(path.relative_to(tree)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(tree.rglob("*"))
        if path.is_file()
    }


def test_make_repo_is_deterministic_and_mixes_every_format(tmp_path):
    for name in ("a", "b"):
        _python(str(BENCH / "make_repo.py"), "--files", "200", "--seed", "7", str(tmp_path / name))
    first, second = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert first == second
    assert len(first) == 200
    names = {Path(path).name for path in first}
    assert {"template.yaml", "template.json", "sam.yaml", "policy.json", "variables.tf"} <= names
    assert any(path.startswith("modules/shared") for path in first)
    _python(str(BENCH / "make_repo.py"), "--files", "200", "--seed", "8", str(tmp_path / "c"))
    assert _digest(tmp_path / "c") != first


def test_make_repo_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "x").write_text("")
    result = subprocess.run(
        [sys.executable, str(BENCH / "make_repo.py"), "--files", "5", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "is not empty" in result.stderr


def test_parse_only_decodes_every_file(tmp_path):
    _python(str(BENCH / "make_repo.py"), "--files", "50", str(tmp_path / "repo"))
    result = _python(str(BENCH / "parse_only.py"), str(tmp_path / "repo"))
    assert result.stdout == "50 files decoded, 0 failed\n"


def test_quick_run_prints_the_table(tmp_path):
    output = tmp_path / "results.md"
    result = _python(
        str(BENCH / "run.py"),
        "--quick",
        "--sizes",
        "40",
        "--runs",
        "1",
        "--corpus",
        str(tmp_path / "no-corpus"),
        "--output",
        str(output),
    )
    table = output.read_text(encoding="utf-8")
    assert table in result.stdout
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| case | files | iamlint `--jobs 1` |")
    assert [row.split(" | ")[0] for row in rows[1:]] == [
        "| pre-commit: one raw policy",
        "| pre-commit: one Terraform file",
        "| pre-commit: one CloudFormation template",
        "| synthetic 40 files",
    ]
    assert "cores" in table and "Python" in table


def test_readme_shows_the_committed_results():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- bench:start -->\n", 1)[1].split("<!-- bench:end -->", 1)[0]
    assert block == (BENCH / "results.md").read_text(encoding="utf-8")
