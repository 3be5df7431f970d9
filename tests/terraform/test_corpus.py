"""Every Terraform file of the shared corpus goes through the whole scan, with
every rule, without a crash, a rule's internal error or a parse error (IAM000).

KICS keeps unrelated samples side by side, so each KICS file is scanned on its
own (copied into a folder of its own); a Checkov example folder is one module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from iamlint.registry import all_rules
from iamlint.scan import scan
from iamlint.sources.terraform import load_module

# the corpus sits next to the repository: ../shared/corpus
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

KICS_FILES = sorted(CORPUS.glob("kics/**/*.tf"))
CHECKOV_FOLDERS = sorted({path.parent for path in CORPUS.glob("checkov/**/*.tf")})

# No corpus file is invalid Terraform: the two Checkov files whose heredoc end
# markers carry trailing blanks are valid and are read after normalising them.


def test_the_corpus_is_there():
    assert len(KICS_FILES) == 254
    assert len(CHECKOV_FOLDERS) == 39


RULES = all_rules()


def _problems(path: Path) -> list[str]:
    """Parse errors, rules' internal errors and IAM000 findings of a whole scan of `path`."""
    report = scan([str(path)], RULES)
    assert report.files_scanned > 0
    return [f"{e.file}:{e.line}: {e.message}" for e in report.errors] + [
        f"{f.location.file}:{f.location.line}: {f.message}"
        for f in report.findings
        if f.rule_id == "IAM000"
    ]


@pytest.mark.parametrize("path", KICS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_kics_file_scans_cleanly(path: Path, tmp_path: Path):
    shutil.copy(path, tmp_path / path.name)
    assert _problems(tmp_path) == []


@pytest.mark.parametrize("folder", CHECKOV_FOLDERS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_checkov_folder_scans_cleanly(folder: Path):
    assert _problems(folder) == []


OIDC_PLAN = CORPUS / "checkov/tf-data/example_GithubActionsOIDCTrustPolicy/tfplan.json"


def test_checkov_plan_empty_bucket_arn_is_reported_once_per_role_instance():
    """The plan's planned values hold `"Resource": ["arn:aws:s3:::"]` verbatim in the
    inline policy of each of the four role instances (r1 and r6, for_each over p1 and
    p2): Terraform resolved the bucket name to nothing, so the reading is right. An
    S3 ARN with an empty bucket name names no bucket (bucket ARNs are
    arn:aws:s3:::<name>, names 3 to 63 characters; every bucket is arn:aws:s3:::*), so
    s3:ListBucket on it matches no request: IAM019, once per deployed policy, at the
    role's address token. The resource_changes copies of the same values add nothing."""
    report = scan([str(OIDC_PLAN)], RULES)
    assert report.errors == []
    lines = OIDC_PLAN.read_text(encoding="utf-8").splitlines()
    found = [(f.rule_id, lines[f.location.line - 1].strip(), f.message) for f in report.findings]
    message = (
        "resource 'arn:aws:s3:::' names no resource (the ARN ends before its resource part) "
        "(through module.poc)"
    )
    assert found == [
        ("IAM019", json.dumps({"address": f"module.poc.aws_iam_role.{r}"})[1:-1] + ",", message)
        for r in ('r6["p1"]', 'r6["p2"]', 'r1["p1"]', 'r1["p2"]')
    ]


@pytest.mark.parametrize(
    ("relative", "policies", "statements"),
    [
        # 6 aws_iam_policy + 2 SSO inline policies, two of them with two statements
        ("checkov/tf-resource/example_IAMAdminPolicyDocument/iam.tf", 8, 10),
        # python-hcl2 alone silently drops four of these five keys (heredoc markers
        # followed by blanks); the fifth key's policy has two statements
        ("checkov/tf-resource/example_KMSKeyWildcardPrincipal/pass.tf", 5, 6),
        # twelve policy documents of one statement each
        ("checkov/tf-data/example_GithubActionsOIDCTrustPolicy/main.tf", 12, 12),
    ],
)
def test_statement_counts(relative: str, policies: int, statements: int):
    path = CORPUS / relative
    inventory = load_module([(str(path), relative)])
    assert len(inventory.policies) == policies
    assert sum(len(policy.statements) for policy in inventory.policies) == statements
