"""The real pre-commit, trying this repository's hook on a throwaway git repository."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

VULNERABLE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Admin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
"""

CLEAN = """resource "aws_iam_policy" "reader" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = ["arn:aws:s3:::artifacts/*"]
    }]
  })
}
"""


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def git_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    subprocess.run(["git", "add", "."], cwd=path, check=True)
    return path


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "iamlint", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "iamlint"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert "types_or" not in hook
    files = re.compile(hook["files"])
    for name in ["main.tf", "x.tf.json", "p.json", "t.yaml", "t.yml", "stack.template"]:
        assert files.search(name), name
    assert not files.search("README.md")


def test_pre_commit_fails_on_a_vulnerable_template_and_passes_on_clean_files(
    tmp_path, pre_commit_home
):
    repo = git_repo(tmp_path / "bad", {"admin.yaml": VULNERABLE, "main.tf": CLEAN})
    result = try_repo(repo, pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "iamlint" in result.stdout and "Failed" in result.stdout
    assert "admin.yaml:10:21: IAM002 [critical]" in result.stdout
    assert "main.tf" not in result.stdout.split("- exit code: 1", 1)[1]

    repo = git_repo(tmp_path / "good", {"main.tf": CLEAN})
    result = try_repo(repo, pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
