import re

import pytest
from policy_lint import POLICY_RULES

from iamlint.model import Inventory
from iamlint.registry import all_rules, find_rule
from iamlint.scan import scan
from iamlint.settings import RuleSettings

JSON_BLOCK = re.compile(r"```json\n(.*?)```", re.S)


def test_parse_errors_come_from_the_loader(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"Version": "2012-10-17",\n "Statement": [}\n')
    report = scan([str(path)], all_rules())
    assert [(e.line, e.message.startswith("invalid JSON")) for e in report.errors] == [(2, True)]
    assert list(find_rule("IAM000").check(Inventory(), RuleSettings())) == []


def test_every_rule_is_documented_in_the_ruff_shape():
    headings = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")
    for rule in all_rules():
        doc = rule.documentation
        for heading in (*headings, "## References"):
            assert heading in doc, f"{rule.id} lacks {heading}"

    for rule_id in POLICY_RULES:
        assert "```json" in find_rule(rule_id).documentation, rule_id


def test_metadata_matches_the_catalogue():
    expected = {
        "IAM000": ("parse-error", "high"),
        "IAM002": ("full-admin-statement", "critical"),
        "IAM003": ("service-wildcard-action", "high"),
        "IAM004": ("missing-resource-scoping", "medium"),
        "IAM008": ("allow-not-action", "high"),
        "IAM009": ("allow-not-resource", "medium"),
        "IAM016": ("passrole-unscoped", "high"),
        "IAM018": ("unknown-action", "medium"),
        "IAM019": ("invalid-policy", "high"),
        "IAM020": ("policy-version-missing", "low"),
        "IAM022": ("deny-shadowed-allow", "info"),
    }
    for rule_id, (slug, severity) in expected.items():
        rule = find_rule(rule_id)
        assert (rule.slug, rule.severity) == (slug, severity), rule_id


@pytest.mark.parametrize("rule_id", sorted(POLICY_RULES | {"IAM000"}))
def test_the_documented_example_fires_and_the_fix_does_not(tmp_path, rule_id):
    doc = find_rule(rule_id).documentation
    example, fixed = (
        JSON_BLOCK.search(doc.split(heading)[1])[1] for heading in ("## Example", "## Use instead")
    )
    fired = []
    for name, text in (("example.json", example), ("fixed.json", fixed)):
        (tmp_path / name).write_text(text)
        report = scan([str(tmp_path / name)], all_rules())
        ids = {f.rule_id for f in report.findings} | {"IAM000" for _ in report.errors}
        fired.append(rule_id in ids)
    assert fired == [True, False]
