"""Baselines report only new findings; moving lines does not make a finding new."""

import json

from click.testing import CliRunner

from iamlint.cli import cli

TWO_STATEMENTS = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::a/*"},
    {"Sid": "B", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
  ]
}
"""


def scan(path, *args):
    result = CliRunner().invoke(cli, ["scan", str(path), "-f", "json", *args])
    return result.exit_code, json.loads(result.stdout) if result.stdout else None


def test_write_then_read_reports_nothing_new(tmp_path):
    policy = tmp_path / "p.json"
    policy.write_text(TWO_STATEMENTS)
    baseline = tmp_path / "baseline.json"
    code, report = scan(policy, "--write-baseline", str(baseline))
    assert code == 1 and report["summary"]["findings"] > 0
    recorded = json.loads(baseline.read_text())
    assert recorded["version"] == 1
    assert recorded["findings"] == sorted(
        recorded["findings"], key=lambda e: (e["file"], e["rule_id"], e["fingerprint"])
    )
    code, report = scan(policy, "--baseline", str(baseline))
    assert (code, report["findings"]) == (0, [])


def test_moving_lines_keeps_findings_known_but_a_new_one_is_reported(tmp_path):
    policy = tmp_path / "p.json"
    policy.write_text(TWO_STATEMENTS)
    baseline = tmp_path / "baseline.json"
    scan(policy, "--write-baseline", str(baseline))
    policy.write_text("\n" * 10 + TWO_STATEMENTS)
    assert scan(policy, "--baseline", str(baseline))[1]["findings"] == []
    policy.write_text(
        TWO_STATEMENTS.replace('"s3:*"', '"s3:GetObject"').replace(
            '"Resource": "*"',
            '"Resource": "*"}, {"Effect": "Allow", "Action": "kms:*", "Resource": "*"',
        )
    )
    code, report = scan(policy, "--baseline", str(baseline))
    assert code == 1
    assert {f["rule_id"] for f in report["findings"]} == {"IAM003", "IAM004"}
    assert all("kms" in f["message"] for f in report["findings"])


def test_a_bad_baseline_is_a_usage_error(tmp_path):
    (tmp_path / "p.json").write_text(TWO_STATEMENTS)
    bad = tmp_path / "baseline.json"
    bad.write_text('{"findings": []}')
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--baseline", str(bad)])
    assert result.exit_code == 2
    assert "not an iamlint baseline" in result.stderr
