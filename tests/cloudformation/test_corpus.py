"""Every CloudFormation file of the shared corpus decodes into the model."""

import json
from pathlib import Path

import pytest

from iamlint.registry import all_rules
from iamlint.scan import scan
from iamlint.sources.loader import load_file

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FILES = sorted(
    entry["file"]
    for manifest in sorted(CORPUS.glob("*/manifest.json"))
    for entry in json.loads(manifest.read_text(encoding="utf-8"))
    if entry["format"] == "cloudformation"
)
# Files that decode but hold a policy the model reports as malformed (IAM019).
INVALID_DOCUMENTS = {
    # PolicyDocument is a list (of two Fn::If branches), not an object.
    "checkov/cfn-resource/example_IAMStarActionPolicyDocument/cfn_bad_iam_pass.yaml",
    # "Principal": "otherPrincipal" is neither "*" nor a principal map.
    "kics/cloudformation/sns_topic_is_publicly_accessible/negative1.yaml",
    "kics/cloudformation/sns_topic_is_publicly_accessible/negative2.json",
}


def test_the_corpus_is_there():
    assert len(FILES) == 214


@pytest.mark.parametrize("name", FILES)
def test_corpus_file_decodes(name):
    loaded = load_file(str(CORPUS / name), name)
    assert loaded.supported
    assert loaded.inventory.errors == ()
    has_problems = any(policy.problems for policy in loaded.inventory.policies)
    assert has_problems == (name in INVALID_DOCUMENTS)


def test_every_rule_runs_on_the_whole_corpus_without_an_error():
    """A rule that crashes on a file is reported as an error of that file; none may."""
    report = scan([str(CORPUS / name) for name in FILES], all_rules())
    assert report.files_scanned == len(FILES)
    assert [(error.file, error.message) for error in report.errors] == []


@pytest.mark.parametrize(
    ("name", "policies", "statements"),
    [
        ("checkov/cfn-resource/Cloudsplaining_IAMRole/FAILED.yml", 6, 6),
        ("checkov/cfn-resource/example_IAMAdminPolicyDocument/iam_role.fail.json", 2, 2),
        (
            "checkov/cfn-resource/example_KMSKeyWildCardPrincipal/"
            "KMSKeyWildCardPrincipal-FAILED-AWS-Wildcard.yaml",
            2,
            2,
        ),
    ],
)
def test_statement_counts(name, policies, statements):
    inventory = load_file(str(CORPUS / name), name).inventory
    assert len(inventory.policies) == policies
    assert sum(len(policy.statements) for policy in inventory.policies) == statements
