from collections.abc import Iterator

from iamlint.model import Finding, Inventory, Policy
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class PolicyVersionMissing(Rule):
    """
    ## What it does
    Flags a policy document with no `Version`, or with the old
    `"Version": "2008-10-17"`. Only documents written whole are checked: a
    statement written on its own (an EventBridge bus policy's `Statement`,
    SAM's `CustomStatements`) has no place for a Version.

    ## Why is this bad?
    Without `"Version": "2012-10-17"`, IAM evaluates the document with the
    2008 language: policy variables such as `${aws:username}` are treated as
    literal text instead of being substituted, so a statement meant to scope
    each user to their own prefix matches nothing, or a literal ARN nobody
    intended.

    ## Example
    ```json
    {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
    ```

    ## References
    - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    """

    id = "IAM020"
    slug = "policy-version-missing"
    severity = "low"
    title = "The policy Version is missing or 2008-10-17"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy in inventory.policies:
            if not _whole_document(policy):
                continue
            if policy.version is None:
                yield self.finding(
                    'the document has no Version; add "Version": "2012-10-17" so policy '
                    "variables are substituted",
                    policy.location,
                    policy=policy,
                )
            elif policy.version.literal == "2008-10-17":
                yield self.finding(
                    'Version "2008-10-17" does not substitute policy variables; use "2012-10-17"',
                    policy.version.location,
                    policy=policy,
                    element=policy.version,
                )


# Sources that build the document around statements the user wrote without one: an
# EventBridge bus policy's `Statement` property, SAM's `Auth.ResourcePolicy.CustomStatements`.
# There is no place to write a Version, and the service supplies it.
FRAGMENT_SOURCES = frozenset(
    {"AWS::Events::EventBusPolicy", "AWS::Serverless::Api", "AWS::Serverless::HttpApi"}
)


def _whole_document(policy: Policy) -> bool:
    """Whether the user wrote this policy as a whole document that could hold a Version.
    A document that is not an object, or has no Statement, is IAM019's alone."""
    if policy.resource_type in FRAGMENT_SOURCES:
        return False
    return not any(problem.location == policy.location for problem in policy.problems)
