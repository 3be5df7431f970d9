"""Every Terraform file of the shared corpus is read without a crash or a parse error.

KICS keeps unrelated samples side by side, so each KICS file is read on its own
(copied into a folder of its own); a Checkov example folder is one module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("path", KICS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_kics_file_reads_cleanly(path: Path, tmp_path: Path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    inventory = load_module([(str(copy), str(path.relative_to(CORPUS)))])
    assert inventory.errors == ()


@pytest.mark.parametrize("folder", CHECKOV_FOLDERS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_checkov_folder_reads_cleanly(folder: Path):
    files = [(str(p), str(p.relative_to(CORPUS))) for p in sorted(folder.glob("*.tf"))]
    inventory = load_module(files)
    assert inventory.errors == ()


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
