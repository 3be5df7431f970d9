import re
from collections.abc import Iterator

from iamlint.iam.catalogue import SENSITIVE_SERVICES
from iamlint.model import Finding, Inventory
from iamlint.queries import (
    describe_principals,
    managed_attachments,
    on_principals,
    reached_principals,
)
from iamlint.rule import Rule
from iamlint.settings import RuleSettings
from iamlint.sources.managed_arn import managed_policy_name

# AWS-managed policies that are broad by design, with what they control.
_BROAD = {
    "PowerUserAccess": "every action except IAM and Organizations management",
    "IAMFullAccess": "full control of IAM, enough to grant itself anything else",
}
# AWS-managed policies not named *FullAccess that grant full control of a sensitive service.
_SERVICE_POLICIES = {
    "AWSKeyManagementServicePowerUser": "kms",
    "SecretsManagerReadWrite": "secretsmanager",
}
# The service fragment of `[AWS|Amazon]<fragment>[_]FullAccess` names -> service prefix,
# for the sensitive services (e.g. AmazonS3FullAccess, AWSLambda_FullAccess).
_FRAGMENTS = {
    "IAM": "iam",
    "S3": "s3",
    "KeyManagementService": "kms",
    "SecretsManager": "secretsmanager",
    "SSM": "ssm",
    "SSO": "sso",
    "Organizations": "organizations",
    "CloudTrail": "cloudtrail",
    "AccountManagement": "account",
    "Lambda": "lambda",
    "EC2": "ec2",
}
_FULL_ACCESS = re.compile(r"(?:AWS|Amazon)?(?P<fragment>\w+?)_?FullAccess\Z")


class BroadManagedPolicy(Rule):
    """
    ## What it does
    Flags an attachment of an AWS-managed policy, other than
    `AdministratorAccess` (IAM001), that grants full control of IAM or of
    everything but IAM: `PowerUserAccess`, `IAMFullAccess`, and the
    `*FullAccess` policies (plus `AWSKeyManagementServicePowerUser` and
    `SecretsManagerReadWrite`) of sensitive services such as S3, KMS, Secrets
    Manager, SSM, Organizations, CloudTrail, Lambda and EC2 (high). Any other
    `*FullAccess` policy is reported as medium.

    ## Why is this bad?
    AWS-managed policies are written for every customer, so they Allow every
    action of a service on every resource, and AWS adds new actions to them
    over time. `IAMFullAccess` lets the principal attach any policy to
    itself; `PowerUserAccess` Allows every action of every other service,
    including reading every secret and every object. Nothing in the policy
    narrows it; only an explicit Deny, an SCP or a permissions boundary would.

    ## Example
    ```hcl
    resource "aws_iam_role_policy_attachment" "app" {
      role       = aws_iam_role.app.name
      policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
    }
    ```

    ## Use instead
    Attach a customer-managed policy scoped to what the workload needs:
    ```hcl
    resource "aws_iam_role_policy_attachment" "app" {
      role       = aws_iam_role.app.name
      policy_arn = aws_iam_policy.read_reports.arn
    }
    ```

    ## References
    - [AWS managed policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies)
    - [AWS managed policies for job functions](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html)
    - [Get started with AWS managed policies and move toward least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-use-aws-defined-policies)
    """

    id = "IAM021"
    slug = "broad-managed-policy"
    severity = "high"
    title = "A broad AWS-managed policy is attached"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for element, principals in managed_attachments(inventory):
            name = managed_policy_name(element)
            judged = _judge(name) if name is not None else None
            if judged is None:
                continue
            grants, severity = judged
            finding = self.finding(
                f"AWS-managed {name} is attached to {describe_principals(principals)}: "
                f"it grants {grants}",
                element.location,
                element=element,
                severity=severity,
            )
            yield on_principals(finding, principals, reached_principals(inventory, principals))


def _judge(name: str) -> tuple[str, str] | None:
    """What a broad AWS-managed policy grants and the severity, or None when it is not broad."""
    if name in _BROAD:
        return _BROAD[name], "high"
    service = _SERVICE_POLICIES.get(name)
    match = _FULL_ACCESS.match(name)
    if service is None and match is None:
        return None
    service = service or _FRAGMENTS.get(match.group("fragment"))
    if service in SENSITIVE_SERVICES:
        return f"full control of {service}, a sensitive service", "high"
    return f"full control of {match.group('fragment')} on every resource", "medium"
