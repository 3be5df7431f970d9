"""The Terraform acceptance fixtures, read through the whole scan: what the
fixture test cannot say with line annotations (messages, the module named)."""

from __future__ import annotations

from pathlib import Path

from iamlint.registry import all_rules
from iamlint.scan import scan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _findings(relative: str) -> list[tuple[str, str, int, str]]:
    report = scan([str(FIXTURES / relative)], all_rules())
    assert report.errors == []
    return [
        (f.rule_id, Path(f.location.file).name, f.location.line, f.message) for f in report.findings
    ]


def test_module_call_findings_name_the_call_they_come_through():
    assert _findings("IAM002/module-call.module") == [
        (
            "IAM002",
            "main.tf",
            7,
            "Allows every action (*) on every resource: full administrator access "
            "(it has no Condition) (through module.deployer)",
        ),
        (
            "IAM004",
            "policy.tf",
            15,
            "Resource * leaves unscoped actions that accept specific resource ARNs: "
            "s3:GetObject (through module.reader)",
        ),
    ]


def test_admin_built_from_a_local_a_default_and_a_dynamic_block():
    report = scan([str(FIXTURES / "IAM002/built-admin.module")], all_rules())
    (finding,) = report.findings
    # the document is the policy; the resource that uses it is what the policy affects
    assert finding.resource == "data.aws_iam_policy_document.ci"
    assert finding.affected == ("aws_iam_policy.ci",)
    assert finding.element == "*"
    assert finding.message == (
        "Allows every action (*) on every resource: full administrator access (it has no Condition)"
    )
