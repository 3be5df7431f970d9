"""`iamlint scan --var-file`, and config `var_files` relative to the config file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import iamlint.scan
from iamlint.cli import cli

MAIN_TF = """\
variable "resource" {}
resource "aws_iam_group_policy" "g" {
  group  = "g"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = var.resource }]
  })
}
"""


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], iamlint.scan.ScanReport]]:
    """Every scan the command runs: the var files it was given and its report."""
    calls: list[tuple[list[str], iamlint.scan.ScanReport]] = []
    real = iamlint.scan.scan

    def spy(*args, **kwargs):
        report = real(*args, **kwargs)
        calls.append((list(kwargs["var_files"]), report))
        return report

    monkeypatch.setattr(iamlint.scan, "scan", spy)
    return calls


def test_var_file_and_config_var_files_reach_the_scan(tmp_path: Path, monkeypatch, scans):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(MAIN_TF)
    (tmp_path / "vars").mkdir()
    (tmp_path / "vars" / "base.tfvars").write_text('resource = "arn:aws:s3:::base/*"\n')
    (tmp_path / "prod.tfvars").write_text('resource = "arn:aws:s3:::prod/*"\n')
    (tmp_path / ".iamlint.yaml").write_text("var_files: [vars/base.tfvars]\n")
    monkeypatch.chdir(tmp_path / "infra")
    result = CliRunner().invoke(cli, ["scan", ".", "--var-file", "../prod.tfvars"])
    assert result.exit_code == 0, result.output
    ((var_files, report),) = scans
    assert var_files == [str(tmp_path / "vars" / "base.tfvars"), "../prod.tfvars"]
    # the variable now has a value: nothing is left unresolved
    assert report.unresolved == []


def test_without_var_files_the_variable_stays_unresolved(tmp_path: Path, monkeypatch, scans):
    (tmp_path / "main.tf").write_text(MAIN_TF)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["scan", "."])
    assert result.exit_code == 0, result.output
    ((var_files, report),) = scans
    assert var_files == []
    assert [(note.text, note.location.line) for note in report.unresolved] == [("var.resource", 6)]


def test_missing_var_file_is_a_usage_error(tmp_path: Path, monkeypatch):
    (tmp_path / "main.tf").write_text(MAIN_TF)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["scan", ".", "--var-file", "absent.tfvars"])
    assert result.exit_code == 2
    assert "'--var-file': File 'absent.tfvars' does not exist" in result.output
