"""IAM011 with and without `accounts:` configured."""

import json

from iamlint.config import Config
from iamlint.registry import all_rules
from iamlint.scan import scan


def findings(tmp_path, principal, accounts=(), **extra):
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    path = tmp_path / "trust.json"
    document = {"Version": "2012-10-17", "Statement": [{**statement, **extra}]}
    path.write_text(json.dumps(document, indent=2))
    report = scan([str(path)], all_rules(), config=Config(accounts=tuple(accounts)))
    return [(f.rule_id, f.severity, f.message) for f in report.findings]


def test_root_of_another_account_without_accounts_configured(tmp_path):
    assert findings(tmp_path, "arn:aws:iam::444455556666:root") == [
        (
            "IAM011",
            "medium",
            "trusts account 444455556666, not declared as yours (config accounts:), with no"
            " sts:ExternalId, aws:PrincipalOrgID, aws:PrincipalArn or MFA condition"
            " (it has no Condition)",
        )
    ]


def test_role_arn_counts_only_with_accounts_configured(tmp_path):
    role = "arn:aws:iam::444455556666:role/ci"
    assert findings(tmp_path, role) == []
    ((rule, _, message),) = findings(tmp_path, role, accounts=["111122223333"])
    assert rule == "IAM011"
    assert message.startswith("trusts account 444455556666, outside your configured accounts,")


def test_own_account_is_not_cross_account(tmp_path):
    assert findings(tmp_path, "111122223333", accounts=["111122223333"]) == []


def test_mfa_condition_is_accepted(tmp_path):
    condition = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    assert findings(tmp_path, "444455556666", Condition=condition) == []
