"""The command line as users and CI see it: output, exit codes, usage errors."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamlint import __version__
from iamlint.cli import cli, main
from iamlint.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

WILDCARD_S3 = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "*"
    }
  ]
}
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.fixture
def policy_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wild.json").write_text(WILDCARD_S3)
    return tmp_path


def test_text_output_shows_each_finding_with_its_source_line(policy_dir):
    code, out, _ = run("scan", "wild.json")
    assert code == 1
    assert out.splitlines() == [
        "wild.json:6:17: IAM003 [high] s3:* grants all 180 actions of s3, a sensitive service",
        '    6 |       "Action": "s3:*",',
        "      |                 ^~~~~~",
        "wild.json:7:19: IAM004 [high] Resource * leaves unscoped actions that accept specific"
        " resource ARNs: s3:AssociateAccessGrantsIdentityCenter, s3:BypassGovernanceRetention,"
        " s3:CreateAccessGrant, s3:CreateAccessGrantsInstance, s3:CreateAccessGrantsLocation"
        " and 160 more",
        '    7 |       "Resource": "*"',
        "      |                   ^~~",
        "",
        "2 findings (2 high), 0 errors in 1 file.",
    ]


def test_text_output_groups_files_and_colours_only_when_asked(policy_dir):
    from iamlint.registry import all_rules
    from iamlint.report import render
    from iamlint.report.options import RenderOptions
    from iamlint.scan import scan

    (policy_dir / "b.json").write_text(WILDCARD_S3)
    report = scan(["."], all_rules())
    plain = render("text", report, RenderOptions(color=False))
    assert "\033[" not in plain
    assert plain.count("\n\nwild.json:6:17") == 1  # a blank line between files
    coloured = render("text", report, RenderOptions(color=True))
    assert "\033[31m[high]\033[0m" in coloured
    assert coloured.replace("\033[31m", "").replace("\033[2m", "").replace("\033[0m", "") == plain


def test_no_color_and_pipes_get_plain_text(policy_dir, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in run("scan", "wild.json")[1]


def test_progress_bar_only_for_many_units(capsys):
    from iamlint.cli import ProgressBar

    bar = ProgressBar()
    bar(1, 10)
    assert capsys.readouterr().err == ""
    bar(100, 400)
    assert capsys.readouterr().err == "\r[#######-----------------------] 100/400 units"
    bar(400, 400)
    assert capsys.readouterr().err.strip(" \r") == ""


def test_json_output_matches_the_contract(policy_dir):
    code, out, _ = run("scan", ".", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert list(report) == ["tool", "version", "findings", "errors", "summary"]
    assert report["tool"] == "iamlint"
    assert report["version"] == __version__
    assert report["errors"] == []
    assert report["summary"] == {
        "files_scanned": 1,
        "findings": 2,
        "by_severity": {"critical": 0, "high": 2, "medium": 0, "low": 0, "info": 0},
    }
    first = report["findings"][0]
    assert list(first) == [
        "rule_id",
        "slug",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "resource",
        "resource_type",
        "affected",
        "fingerprint",
    ]
    assert (first["rule_id"], first["slug"], first["severity"]) == (
        "IAM003",
        "service-wildcard-action",
        "high",
    )
    assert (first["file"], first["line"], first["column"]) == ("wild.json", 6, 17)
    assert (first["end_line"], first["end_column"]) == (6, 23)
    assert first["resource"] is None and first["resource_type"] is None
    assert first["affected"] == []
    assert len({f["fingerprint"] for f in report["findings"]}) == 2


def test_format_name_is_case_insensitive(policy_dir):
    _, out, _ = run("scan", "wild.json", "--format", "JSON")
    assert json.loads(out)["summary"]["findings"] == 2


def test_output_option_writes_the_report_to_a_file(policy_dir):
    code, out, _ = run("scan", "wild.json", "-f", "json", "-o", "report.json")
    assert code == 1
    assert out == ""
    assert json.loads((policy_dir / "report.json").read_text())["summary"]["findings"] == 2


def test_fail_on_raises_the_threshold(policy_dir):
    assert run("scan", "wild.json", "--fail-on", "critical")[0] == 0
    assert run("scan", "wild.json", "--fail-on", "HIGH")[0] == 1


def test_select_and_ignore_take_ids_and_slugs(policy_dir):
    _, out, _ = run("scan", "wild.json", "--select", "IAM004", "-f", "json")
    assert [f["rule_id"] for f in json.loads(out)["findings"]] == ["IAM004"]
    _, out, _ = run("scan", "wild.json", "--ignore", "missing-resource-scoping", "-f", "json")
    assert [f["rule_id"] for f in json.loads(out)["findings"]] == ["IAM003"]


def test_clean_policy_exits_zero(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",'
        ' "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}'
    )
    code, out, _ = run("scan", ".")
    assert code == 0
    assert out == "0 findings, 0 errors in 1 file.\n"


def test_broken_json_is_iam000_and_other_files_are_still_linted(policy_dir):
    (policy_dir / "broken.json").write_text(
        '{\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}\n'
    )
    code, out, _ = run("scan", ".", "-f", "json")
    report = json.loads(out)
    assert code == 1
    assert len(report["errors"]) == 1
    error = report["errors"][0]
    assert (error["rule_id"], error["file"], error["line"]) == ("IAM000", "broken.json", 3)
    assert error["message"].startswith("invalid JSON: ")
    assert [f["file"] for f in report["findings"]] == ["wild.json", "wild.json"]
    assert report["summary"]["files_scanned"] == 2


def test_broken_json_error_only_still_fails(policy_dir):
    (policy_dir / "wild.json").unlink()
    (policy_dir / "broken.json").write_text('{"Statement": [')
    code, out, _ = run("scan", ".")
    assert code == 1
    assert out.startswith("broken.json:1:16: IAM000 [high] invalid JSON: unexpected end of file")
    assert out.endswith("\n0 findings, 1 error in 1 file.\n")


def test_unrelated_json_is_counted_not_linted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "package.json").write_text('{"name": "app", "version": "1.0.0"}')
    (tmp_path / "broken-unrelated.json").write_text('{"name": ')
    code, out, _ = run("scan", ".")
    assert code == 0
    assert out == "0 findings, 0 errors in 0 files.\n"


def test_explain_prints_the_rule_documentation():
    code, out, _ = run("explain", "IAM004")
    assert code == 0
    assert out.startswith("# IAM004 missing-resource-scoping (medium)\n")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in out
    assert run("explain", "missing-resource-scoping")[1] == out


def test_rules_lists_every_implemented_rule():
    code, out, _ = run("rules")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert ids == [rule.id for rule in all_rules()]
    assert {"IAM000", "IAM002", "IAM003", "IAM004", "IAM008", "IAM009"} <= set(ids)
    assert {"IAM016", "IAM018", "IAM019", "IAM020", "IAM022"} <= set(ids)


def test_no_arguments_prints_help(capsys):
    code, out, _ = run_main(capsys)
    assert code == 0
    assert out.startswith("Usage: iamlint [OPTIONS] COMMAND [ARGS]...")
    assert "scan" in out and "explain" in out


def test_version(capsys):
    code, out, _ = run_main(capsys, "--version")
    assert code == 0
    assert out == f"iamlint {__version__}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["scan", "--select", "IAM999"],
            "iamlint: error: unknown rule 'IAM999' (see `iamlint rules`)\n",
        ),
        (["explain", "nope"], "iamlint: error: unknown rule 'nope' (see `iamlint rules`)\n"),
        (["scan", "no/such/path"], None),
        (["scan", "--format", "xml"], None),
        (["scan", "--bogus"], None),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(capsys, policy_dir, args, message):
    code, out, err = run_main(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("iamlint: error: ")
    if message:
        assert err == message


def test_installed_console_script_runs_on_the_examples():
    executable = shutil.which("iamlint")
    assert executable, "the iamlint console script is not installed"
    result = subprocess.run(
        [executable, "scan", "examples", "-f", "json"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["files_scanned"] == 3
    assert {f["rule_id"] for f in report["findings"]} >= {"IAM002", "IAM003", "IAM016", "IAM018"}


def test_python_dash_m_is_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "iamlint", "rules"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout == run("rules")[1]


def test_verbose_lists_unresolved_policy_elements(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(
        'variable "bucket" {}\n'
        'resource "aws_iam_policy" "p" {\n'
        "  policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect = "Allow", Action = "s3:GetObject",'
        ' Resource = "arn:aws:s3:::${var.bucket}/*"\n'
        "    }]\n"
        "  })\n"
        "}\n"
    )
    code, out, _ = run("scan", ".")
    assert (code, out) == (0, "0 findings, 0 errors in 1 file.\n")
    code, out, _ = run("scan", ".", "--verbose")
    assert out.splitlines() == [
        "main.tf:6:61: unresolved: arn:aws:s3:::${var.bucket}/* "
        "(its value is only known at deploy time)",
        "",
        "0 findings, 0 errors in 1 file.",
    ]
    _, out, _ = run("scan", ".", "--verbose", "-f", "json")
    assert json.loads(out)["unresolved"] == [
        {
            "file": "main.tf",
            "line": 6,
            "column": 61,
            "text": "arn:aws:s3:::${var.bucket}/*",
            "reason": "its value is only known at deploy time",
        }
    ]


def test_a_policy_read_by_terraform_file_and_on_its_own_is_reported_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",'
        ' "Action": "s3:GetObject", "Resource": "*"}]}'
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  policy = file("${path.module}/p.json")\n}\n'
    )
    _, out, _ = run("scan", ".", "-f", "json")
    report = json.loads(out)
    assert [(f["rule_id"], f["file"], f["resource"]) for f in report["findings"]] == [
        ("IAM004", "p.json", "aws_iam_policy.p")
    ]
    assert report["summary"]["files_scanned"] == 2


def test_excerpts_never_carry_terminal_escapes_or_huge_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "esc.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Sid": "\\u001b[2J",'
        ' "Action": "s3:GetObject", "Resource": "*"}]}'.replace("\\u001b", "\x1b")
    )
    (tmp_path / "long.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Sid": "'
        + "x" * 400
        + '", "Action": "s3:GetObject", "Resource": "*"}]}'
    )
    _, out, _ = run("scan", ".")
    assert "\x1b" not in out
    assert "?[2J" in out
    assert "x" * 400 not in out
    assert out.count("IAM004") == 1  # esc.json: a raw control character is invalid JSON
    assert "esc.json:1:68: IAM000" in out
