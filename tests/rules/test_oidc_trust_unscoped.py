"""IAM012: GitHub Actions trusts, `sub` scoping, `oidc_owners:` and the `aud` finding."""

import json

from iamlint.config import Config
from iamlint.registry import all_rules
from iamlint.scan import scan

GITHUB = "token.actions.githubusercontent.com"
PROVIDER = f"arn:aws:iam::111122223333:oidc-provider/{GITHUB}"
AUD = {f"{GITHUB}:aud": "sts.amazonaws.com"}


def findings(tmp_path, condition, owners=()):
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    path = tmp_path / "trust.json"
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2))
    report = scan([str(path)], all_rules(), config=Config(oidc_owners=tuple(owners)))
    return [(f.rule_id, f.severity, f.message) for f in report.findings]


def test_missing_aud_and_sub_are_two_findings(tmp_path):
    assert findings(tmp_path, {}) == [
        (
            "IAM012",
            "medium",
            f"GitHub Actions web-identity trust has no {GITHUB}:aud condition: tokens issued"
            " for any audience are accepted",
        ),
        (
            "IAM012",
            "critical",
            f"GitHub Actions web-identity trust has no {GITHUB}:sub condition that scopes the"
            " subject, so any GitHub repository can assume this role (it has no Condition)",
        ),
    ]


def test_repo_wildcard_matches_any_repository(tmp_path):
    condition = {"StringEquals": AUD, "StringLike": {f"{GITHUB}:sub": "repo:*"}}
    assert findings(tmp_path, condition) == [
        (
            "IAM012",
            "critical",
            f'{GITHUB}:sub StringLike "repo:*" matches any GitHub repository, so any of them can'
            " assume this role",
        )
    ]


def test_org_wildcard_needs_an_owned_org(tmp_path):
    condition = {"StringEquals": AUD, "StringLike": {f"{GITHUB}:sub": "repo:Octo-Org/*"}}
    ((_, severity, message),) = findings(tmp_path, condition)
    assert severity == "critical"
    assert "matches everything of Octo-Org, an owner not listed in config oidc_owners" in message
    assert findings(tmp_path, condition, owners=["octo-org"]) == []


def test_scoped_subject_passes(tmp_path):
    sub = {f"{GITHUB}:sub": "repo:octo-org/app:ref:refs/heads/main"}
    assert findings(tmp_path, {"StringEquals": {**AUD, **sub}}) == []


def test_customised_subject_without_a_repository_claim_matches_any_repository(tmp_path):
    condition = {"StringEquals": {**AUD, f"{GITHUB}:sub": "workflow:deploy:environment:prod"}}
    assert findings(tmp_path, condition) == [
        (
            "IAM012",
            "critical",
            f'{GITHUB}:sub "workflow:deploy:environment:prod" names no repository or owner:'
            " every repository that customises its subject claim the same way matches it, so"
            " any of them can assume this role",
        )
    ]


def test_customised_subjects_naming_the_repository_or_its_owner_are_scoped(tmp_path):
    for sub in (
        "repository_owner_id:1342004:repository_id:123456:environment:prod",
        "repository:octo-org/app:workflow:deploy",
        "job_workflow_ref:octo-org/ci/.github/workflows/d.yml@refs/heads/main:repo:octo-org/app",
    ):
        condition = {"StringEquals": {**AUD, f"{GITHUB}:sub": sub}}
        assert findings(tmp_path, condition) == [], sub


def test_an_identity_claim_whose_value_is_a_wildcard_names_nobody(tmp_path):
    for sub in (
        "repository_id:*",
        "repository_owner:*:environment:prod",
        "environment:prod:repo:*",
    ):
        condition = {"StringEquals": AUD, "StringLike": {f"{GITHUB}:sub": sub}}
        ((rule, severity, message),) = findings(tmp_path, condition)
        assert (rule, severity) == ("IAM012", "critical")
        assert f'"{sub}" names no repository or owner' in message
    # compared literally, a "*" claim value is no wildcard and matches no real token
    condition = {"StringEquals": {**AUD, f"{GITHUB}:sub": "repository_id:*"}}
    assert findings(tmp_path, condition) == []
