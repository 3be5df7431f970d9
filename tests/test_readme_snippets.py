"""Every snippet of the README's "Using iamlint where you work" section is exercised."""

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from iamlint.cli import cli
from iamlint.config import load_config

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCAN_OPTIONS = {
    option for param in cli.commands["scan"].params for option in getattr(param, "opts", [])
}


def section(heading: str) -> str:
    return README.split(f"\n### {heading}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def blocks(heading: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section(heading), re.S)


def iamlint_options(command: str) -> list[str]:
    return [word.split("=")[0] for word in shlex.split(command) if word.startswith("-")]


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(command: str):
    """Run a README command on the copied examples (a "." path becomes "examples")."""
    args = ["examples" if word == "." else word for word in shlex.split(command)]
    assert args[:2] == ["iamlint", "scan"], command
    return CliRunner().invoke(cli, args[1:])


def test_pre_commit_snippet_names_the_hook_this_repository_defines():
    (config,) = blocks("pre-commit", "yaml")
    (repo,) = yaml.safe_load(config)["repos"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in repo["hooks"]] == [h["id"] for h in hooks]


def test_action_uses_only_real_scan_options():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    (scan_step,) = [
        step for step in action["runs"]["steps"] if "iamlint scan" in step.get("run", "")
    ]
    command = scan_step["run"].split("iamlint scan", 1)[1].replace("\\\n", " ")
    assert set(iamlint_options(command)) <= SCAN_OPTIONS
    assert {"--format", "--output", "--sarif-category", "--fail-on"} <= set(
        iamlint_options(command)
    )
    for name in ("paths", "sarif-file", "category", "fail-on", "config"):
        assert f"inputs.{name}" in yaml.safe_dump(scan_step["env"])


def test_github_workflow_uses_the_action_and_uploads_its_sarif():
    (workflow_text,) = blocks("GitHub Actions and code scanning", "yaml")
    workflow = yaml.safe_load(workflow_text)
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["iamlint"]["steps"]
    (ours,) = [s for s in steps if s.get("uses", "").startswith("iamlint/iamlint@")]
    inputs = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    assert set(ours["with"]) <= set(inputs)
    (upload,) = [
        s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    ]
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]
    assert upload["if"] == "always()"


def readme_commands() -> list[str]:
    commands = []
    for heading in ("GitHub Actions and code scanning", "Baseline"):
        for block in blocks(heading, "sh"):
            commands += [line for line in block.splitlines() if line.startswith("iamlint ")]
    (gitlab,) = blocks("GitLab CI", "yaml")
    commands += [c for c in yaml.safe_load(gitlab)["iamlint"]["script"] if c.startswith("iamlint ")]
    return commands


def test_every_readme_command_runs_in_order(workspace):
    commands = readme_commands()
    assert len(commands) == 5
    for command in commands:
        result = run(command)
        assert result.exit_code in (0, 1), f"{command}: {result.stderr}"
        assert set(iamlint_options(command)) <= SCAN_OPTIONS


def test_gitlab_snippet_writes_the_report_gitlab_reads(workspace):
    (gitlab,) = blocks("GitLab CI", "yaml")
    job = yaml.safe_load(gitlab)["iamlint"]
    (command,) = [c for c in job["script"] if c.startswith("iamlint ")]
    run(command)
    report = job["artifacts"]["reports"]["codequality"]
    assert (workspace / report).is_file()


def test_baseline_snippet_round_trip(workspace):
    write, read = [c for c in readme_commands() if "baseline" in c]
    assert run(write).exit_code == 1
    result = run(read)
    assert result.exit_code == 0
    assert result.stdout == "0 findings, 0 errors in 3 files.\n"


def test_suppression_snippets_suppress(workspace):
    (hcl,) = blocks("Suppressions", "hcl")
    (workspace / "tf").mkdir()
    (workspace / "tf" / "main.tf").write_text(hcl)
    assert run("iamlint scan tf").stdout == "0 findings, 0 errors in 1 file.\n"
    (workspace / "tf" / "main.tf").write_text(hcl.replace("# iamlint:ignore", "# ignore"))
    assert "IAM004" in run("iamlint scan tf").stdout
    (metadata,) = blocks("Suppressions", "yaml")
    (workspace / "t.yaml").write_text(metadata)
    assert run("iamlint scan t.yaml").stdout == "0 findings, 0 errors in 1 file.\n"


def test_configuration_snippet_is_valid(workspace):
    (config,) = blocks("Configuration", "yaml")
    (workspace / ".iamlint.yaml").write_text(config)
    (workspace / "env").mkdir()
    (workspace / "env" / "prod.tfvars").write_text('bucket = "artifacts"\n')
    loaded = load_config(str(workspace / ".iamlint.yaml"))
    assert loaded.fail_on == "medium"
    assert loaded.accounts == ("111122223333",)
    result = run("iamlint scan examples")
    assert result.exit_code in (0, 1), result.stderr
    assert click.unstyle(result.stdout).endswith("in 3 files.\n")
