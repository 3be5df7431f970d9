"""Terraform plan JSON (`terraform show -json`): planned values read by the same
extractors as HCL, unknown values pending with their references, every element
at its resource's address token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iamlint.model import PolicyKind, Reference, Unresolved
from iamlint.sources.loader import load_file

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
OIDC_PLAN = CORPUS / "checkov/tf-data/example_GithubActionsOIDCTrustPolicy/tfplan.json"

ADMIN = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
)
PLAN = {
    "format_version": "1.2",
    "planned_values": {
        "root_module": {
            "resources": [
                {
                    "address": "aws_iam_policy.admin",
                    "mode": "managed",
                    "type": "aws_iam_policy",
                    "name": "admin",
                    "values": {"name": "admin", "policy": ADMIN},
                },
                {
                    "address": "aws_iam_access_key.k",
                    "mode": "managed",
                    "type": "aws_iam_access_key",
                    "name": "k",
                    "values": {"user": "deploy"},
                },
            ],
            "child_modules": [
                {
                    "address": "module.app",
                    "resources": [
                        {
                            "address": 'module.app.aws_iam_role.r["a"]',
                            "mode": "managed",
                            "type": "aws_iam_role",
                            "name": "r",
                            "index": "a",
                            "values": {
                                "name": "app-a",
                                "inline_policy": [{"name": "inline", "policy": ADMIN}],
                            },
                        },
                        {
                            "address": "module.app.aws_iam_role_policy_attachment.p",
                            "mode": "managed",
                            "type": "aws_iam_role_policy_attachment",
                            "name": "p",
                            "values": {"role": "app-a"},
                        },
                        {
                            "address": "module.app.aws_lambda_function.f",
                            "mode": "managed",
                            "type": "aws_lambda_function",
                            "name": "f",
                            "values": {"environment": [{"variables": {"KEY": None}}]},
                        },
                    ],
                }
            ],
        }
    },
    "resource_changes": [
        {
            "address": "module.app.aws_iam_role_policy_attachment.p",
            "change": {"after": {"role": "app-a"}, "after_unknown": {"policy_arn": True}},
        },
        {
            "address": "module.app.aws_lambda_function.f",
            "change": {"after_unknown": {"environment": [{"variables": {"KEY": True}}]}},
        },
    ],
    "configuration": {
        "root_module": {
            "module_calls": {
                "app": {
                    "module": {
                        "resources": [
                            {
                                "address": "aws_iam_role_policy_attachment.p",
                                "expressions": {
                                    "policy_arn": {
                                        "references": ["aws_iam_policy.shared.arn"],
                                    }
                                },
                            },
                            {
                                "address": "aws_lambda_function.f",
                                "expressions": {
                                    "environment": [
                                        {
                                            "variables": {
                                                "references": [
                                                    "var.secret",
                                                    "aws_iam_access_key.k.secret",
                                                    "aws_iam_access_key.k",
                                                ]
                                            }
                                        }
                                    ]
                                },
                            },
                        ]
                    }
                }
            }
        }
    },
}


def _address_line(text: str, address: str) -> int:
    token = json.dumps({"address": address}, indent=1).splitlines()[1].strip()
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip() == token + ",")


def test_plan_resources_are_read_at_their_address_tokens(tmp_path: Path):
    path = tmp_path / "plan.json"
    text = json.dumps(PLAN, indent=1)
    path.write_text(text)
    loaded = load_file(str(path), "plan.json")
    inventory = loaded.inventory
    assert loaded.supported
    assert inventory.errors == ()
    assert inventory.files == ("plan.json",)
    policies = {(p.resource, p.kind): p for p in inventory.policies}
    assert sorted(policies) == [
        ("aws_iam_policy.admin", PolicyKind.MANAGED),
        ('module.app.aws_iam_role.r["a"]', PolicyKind.IDENTITY),
    ]
    admin = policies[("aws_iam_policy.admin", PolicyKind.MANAGED)]
    (action,) = admin.statements[0].actions
    assert (action.text, action.location.line) == ("*", _address_line(text, "aws_iam_policy.admin"))
    inline = policies[('module.app.aws_iam_role.r["a"]', PolicyKind.IDENTITY)]
    role_line = _address_line(text, 'module.app.aws_iam_role.r["a"]')
    assert inline.statements[0].resources[0].location.line == role_line
    (role,) = inventory.principals
    assert (role.name, role.location.line) == ('module.app.aws_iam_role.r["a"]', role_line)
    # the attachment's policy_arn is known only after apply: unknown, never a wildcard
    (arn,) = role.managed_policy_arns
    assert arn.value == Unresolved("aws_iam_policy.shared.arn", "known only after apply")


def test_plan_unknown_value_keeps_the_configuration_references(tmp_path: Path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN, indent=1))
    inventory = load_file(str(path), "plan.json").inventory
    (compute,) = inventory.compute
    (value,) = compute.values
    assert value.path == "environment.variables.KEY"
    assert value.references == (
        Reference("var.secret", "", is_input=True),
        Reference("module.app.aws_iam_access_key.k", "secret"),
    )
    assert [key.name for key in inventory.access_keys] == ["aws_iam_access_key.k"]


def test_plan_with_only_resource_changes_is_read_from_their_after_values(tmp_path: Path):
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "aws_sqs_queue.q",
                "module_address": None,
                "mode": "managed",
                "type": "aws_sqs_queue",
                "name": "q",
                "change": {"actions": ["create"], "after": {"policy": ADMIN}},
            },
            {
                "address": "aws_sqs_queue.gone",
                "mode": "managed",
                "type": "aws_sqs_queue",
                "name": "gone",
                "change": {"actions": ["delete"], "after": None},
            },
        ],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    inventory = load_file(str(path), "plan.json").inventory
    assert [(p.resource, p.kind) for p in inventory.policies] == [
        ("aws_sqs_queue.q", PolicyKind.RESOURCE)
    ]


def test_checkov_oidc_plan_statement_count():
    display = str(OIDC_PLAN.relative_to(CORPUS))
    inventory = load_file(str(OIDC_PLAN), display).inventory
    assert inventory.errors == ()
    # four role instances with one inline statement each, and four policy document
    # instances (one statement each) whose trust use is known only after apply
    assert len(inventory.policies) == 8
    assert sum(len(policy.statements) for policy in inventory.policies) == 8
    kinds = sorted(policy.kind.value for policy in inventory.policies)
    assert kinds == ["identity"] * 4 + ["trust"] * 4
    assert [note.text for note in inventory.unresolved] == [
        "data.aws_iam_policy_document.r4",
        "data.aws_iam_policy_document.r4",
        "data.aws_iam_policy_document.r3",
        "data.aws_iam_policy_document.r3",
    ]


@pytest.mark.parametrize(
    ("plan", "line", "column", "where"),
    [
        (
            '{"format_version": "1.2",\n "planned_values": []}',
            2,
            20,
            "planned_values must be an object",
        ),
        (
            '{"format_version": "1.2", "planned_values": {\n "root_module": {"resources": {}}}}',
            2,
            31,
            "planned_values.root_module.resources must be a list",
        ),
        (
            '{"format_version": "1.2", "resource_changes": "none"}',
            1,
            47,
            "resource_changes must be a list",
        ),
        (
            '{"format_version": "1.2", "planned_values": {"root_module": {\n'
            ' "child_modules": [{"resources": []}, {"child_modules": [7]}]}}}',
            2,
            58,
            "planned_values.root_module.child_modules[1].child_modules[0] must be an object",
        ),
    ],
)
def test_a_plan_of_the_wrong_shape_is_an_error_at_the_wrong_value(
    tmp_path: Path, plan: str, line: int, column: int, where: str
):
    path = tmp_path / "plan.json"
    path.write_text(plan)
    inventory = load_file(str(path), "plan.json").inventory
    assert [(e.line, e.column, e.message) for e in inventory.errors] == [
        (line, column, f"not a Terraform plan as `terraform show -json` writes it: {where}")
    ]
    assert inventory.policies == ()
