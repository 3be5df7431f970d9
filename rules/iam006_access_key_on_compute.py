import dataclasses
import re
from collections.abc import Iterator

from iamlint.model import Compute, ComputeValue, Finding, Inventory, Location, Reference
from iamlint.rule import Rule
from iamlint.settings import RuleSettings

# Attributes of a declared access key that carry its id or secret: CloudFormation
# `Ref` (the id) and `SecretAccessKey`; Terraform `id`, `secret`, `ses_smtp_password_v4`.
_KEY_PARTS = {
    "": "id",
    "id": "id",
    "secret": "secret",
    "SecretAccessKey": "secret",
    "ses_smtp_password_v4": "secret",
}
# Fragments of a parameter / variable name (lower case, separators removed) that say
# it holds an access key id or secret: aws_access_key_id, SecretAccessKey, secret_key...
_INPUT_NAME_FRAGMENTS = ("accesskey", "secretkey", "awssecret")
# Outputs are not compute, but a secret in one is readable by anyone who can
# describe the stack; an access key id alone is not secret there.
_OUTPUT_TYPES = frozenset({"AWS::CloudFormation::Output", "output"})
_TERRAFORM_KEY_TYPE = "aws_iam_access_key"
_INDEX = re.compile(r"\[[^\]]*\]")


class AccessKeyOnCompute(Rule):
    """
    ## What it does
    Traces the id and secret of every declared access key, and every
    CloudFormation parameter or Terraform variable named like one
    (`aws_access_key_id`, `SecretAccessKey`, `secret_key`...), into compute
    configuration: Lambda environment variables, EC2 instance, launch template
    and launch configuration user data, ECS container definitions, Batch,
    CodeBuild, Elastic Beanstalk, Glue, EMR, SageMaker and App Runner
    settings, whether the value is used directly or passes through locals,
    variables, module inputs, `Fn::Sub`, `format`, `jsonencode`,
    `base64encode` or `templatefile`. A secret that reaches a stack output is
    reported too. The finding sits on the compute value and shows the path
    from the key.

    ## Why is this bad?
    Code that runs with a long-lived access key in its environment signs its
    requests as the IAM user instead of with the temporary credentials of its
    execution role or instance profile. The key is readable by anyone who can
    read the function configuration, the instance user data or the task
    definition, never expires, and keeps working outside AWS.

    ## Example
    ```hcl
    resource "aws_lambda_function" "app" {
      environment {
        variables = {
          AWS_SECRET_ACCESS_KEY = aws_iam_access_key.app.secret
        }
      }
    }
    ```

    ## Use instead
    Give the compute resource a role with the permissions it needs and let
    the SDK pick up the role's temporary credentials:
    ```hcl
    resource "aws_lambda_function" "app" {
      role = aws_iam_role.app.arn
    }
    ```

    ## References
    - [Use IAM roles for applications on Amazon EC2](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html)
    - [Lambda execution role](https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html)
    - [Require workloads to use temporary credentials](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles)
    """

    id = "IAM006"
    slug = "access-key-on-compute"
    severity = "critical"
    title = "An access key id or secret flows into compute configuration"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        # A value written once for several resources (SAM Globals) is one finding naming all.
        reached: dict[Location, list[tuple[Compute, ComputeValue, list]]] = {}
        for compute, value, sources in self._reached(inventory):
            reached.setdefault(value.location, []).append((compute, value, sources))
        for group in reached.values():
            yield self._finding(group)

    def _reached(
        self, inventory: Inventory
    ) -> Iterator[tuple[Compute, ComputeValue, list[tuple[Reference, str]]]]:
        keys = {_INDEX.sub("", key.name) for key in inventory.access_keys}
        for compute in inventory.compute:
            is_output = compute.resource_type in _OUTPUT_TYPES
            for value in compute.values:
                sources = [
                    (reference, f"access key {name}")
                    for reference, name in _keys(value.references, keys)
                    if not is_output or _KEY_PARTS[reference.attribute] == "secret"
                ]
                if not sources and not is_output:
                    sources = [
                        (reference, f"input {reference.target}, named like an access key,")
                        for reference in value.references
                        if reference.is_input and _named_like_key(reference.target)
                    ]
                if sources:
                    yield compute, value, sources

    def _finding(
        self, group: list[tuple[Compute, ComputeValue, list[tuple[Reference, str]]]]
    ) -> Finding:
        compute, value, _ = group[0]
        where = "an output" if compute.resource_type in _OUTPUT_TYPES else "compute configuration"
        sources = [source for _, _, found in group for source in found]
        subjects = list(dict.fromkeys(subject for _, subject in sources))
        what = " and ".join(subjects)
        verb = "reaches" if len(subjects) == 1 else "reach"
        paths = "; ".join(
            dict.fromkeys(
                " -> ".join((_written(reference), *reference.via, f"{each.name} {reached.path}"))
                for each, reached, found in group
                for reference, _ in found
            )
        )
        finding = self.finding(
            f"{what[0].upper()}{what[1:]} {verb} {where}: {paths}", value.location
        )
        return dataclasses.replace(
            finding,
            resource=compute.name,
            resource_type=compute.resource_type,
            affected=tuple(dict.fromkeys(each.name for each, _, _ in group))
            if len(group) > 1
            else (),
            element=", ".join(dict.fromkeys(_written(reference) for reference, _ in sources)),
        )


def _keys(references: tuple[Reference, ...], keys: set[str]) -> Iterator[tuple[Reference, str]]:
    """The references to an access key's id or secret, with the key's name: a key the code
    declares, or one declared elsewhere but recognisable by its type or attribute
    (`aws_iam_access_key.x.secret`, CloudFormation `!GetAtt X.SecretAccessKey`)."""
    for reference in references:
        if reference.attribute not in _KEY_PARTS:
            continue
        target = _INDEX.sub("", reference.target)
        if (
            target in keys
            or reference.attribute == "SecretAccessKey"
            or target.rpartition(".")[0].endswith(_TERRAFORM_KEY_TYPE)
        ):
            yield reference, target


def _named_like_key(target: str) -> bool:
    name = re.sub(r"[^a-z0-9]", "", target.removeprefix("var.").lower())
    return any(fragment in name for fragment in _INPUT_NAME_FRAGMENTS)


def _written(reference: Reference) -> str:
    return f"{reference.target}.{reference.attribute}" if reference.attribute else reference.target
