"""GitHub workflow annotations and GitLab Code Quality reports."""

import json
from pathlib import Path

from click.testing import CliRunner

from iamlint.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def output(*args):
    result = CliRunner().invoke(cli, ["scan", *args])
    return result.stdout


def test_github_format_prints_one_workflow_command_per_finding(monkeypatch):
    monkeypatch.chdir(ROOT)
    lines = output("examples/", "--format", "github").splitlines()
    findings = json.loads(output("examples/", "-f", "json"))["findings"]
    assert len(lines) == len(findings) == 5
    assert lines[0] == (
        "::error file=examples/policies/admin.json,line=7,col=17,endLine=7,"
        "title=IAM002 full-admin-statement::Allows every action (*) on every resource: full"
        " administrator access (it has no Condition)"
    )
    commands = [line.split(" ", 1)[0] for line in lines]
    assert commands == ["::error", "::error", "::error", "::error", "::warning"]
    for line, finding in zip(lines, findings, strict=True):
        assert f"file={finding['file']},line={finding['line']},col={finding['column']}," in line
        assert f"title={finding['rule_id']} {finding['slug']}::" in line


def test_github_format_escapes_properties_and_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a,b:c.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get%",'
        ' "Resource": "arn:aws:s3:::b/*"}]}'
    )
    (line,) = output(".", "-f", "github").splitlines()
    assert line.startswith("::error file=a%2Cb%3Ac.json,line=1,")
    assert "malformed action 's3:Get%25'" in line


def test_gitlab_code_quality(monkeypatch):
    monkeypatch.chdir(ROOT)
    issues = json.loads(output("examples/", "-f", "gitlab"))
    assert len(issues) == 5
    first = issues[0]
    assert first["check_name"] == "IAM002"
    assert first["severity"] == "blocker"
    assert first["location"] == {
        "path": "examples/policies/admin.json",
        "lines": {"begin": 7, "end": 7},
    }
    assert first["description"].startswith("IAM002 full-admin-statement: Allows every action")
    assert len({issue["fingerprint"] for issue in issues}) == 5
    assert {issue["severity"] for issue in issues} == {"blocker", "critical", "major"}
