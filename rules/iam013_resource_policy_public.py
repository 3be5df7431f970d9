from collections.abc import Iterator

from iamlint.iam.conditions import describe_conditions, restricts_principal
from iamlint.model import Element, Finding, Inventory, PolicyKind
from iamlint.queries import allows_of_kind, is_any_principal, written_principal
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class ResourcePolicyPublic(Rule):
    """
    ## What it does
    Flags a resource-based policy statement (bucket, queue, topic, key,
    repository, Lambda permission, secret, domain, API, file system, vault,
    bus, log destination...) that Allows `"*"`, `{"AWS": "*"}` or an
    account-wildcard ARN, with no condition that restricts who or from where
    (`aws:PrincipalOrgID`, `aws:SourceArn`, `aws:SourceVpce`,
    `aws:SourceIp`, `kms:CallerAccount`...). An Allow with `NotPrincipal`
    grants everyone except the principals it names, so it is flagged the
    same way.

    ## Why is this bad?
    A resource-based policy grants access by itself: a caller from another
    account needs nothing more than an Allow here (and, for anonymous
    requests, not even an AWS identity). Principal `"*"` with no restricting
    condition therefore opens the resource to every AWS account and, for
    services such as S3, SQS and SNS, to anonymous callers on the internet.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::app-data/*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::app-data/*",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
    ```

    ## References
    - [Identity-based and resource-based policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html)
    - [The meaning of "public" (S3 Block Public Access)](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status)
    - [AWS JSON policy elements: NotPrincipal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
    """

    id = "IAM013"
    slug = "resource-policy-public"
    severity = "critical"
    title = "A resource-based policy Allows any principal"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy, statement in allows_of_kind(inventory, PolicyKind.RESOURCE):
            if restricts_principal(statement.conditions):
                continue
            conditions = describe_conditions(statement.conditions)
            principal = next((p for p in statement.principals or () if is_any_principal(p)), None)
            if principal is not None:
                element = principal.value
                message = (
                    f"Principal {written_principal(principal)} makes this resource public: "
                    f"any AWS account, and for some services anonymous callers, can use it "
                    f"({conditions})"
                )
            elif statement.not_principals is not None:
                excluded = ", ".join(p.value.text for p in statement.not_principals) or "nobody"
                element = Element("NotPrincipal", statement.key_locations["NotPrincipal"])
                message = (
                    f"Allow with NotPrincipal grants every principal except {excluded}, "
                    f"anonymous callers included ({conditions})"
                )
            else:
                continue
            yield self.finding(
                message, element.location, policy=policy, statement=statement, element=element
            )
