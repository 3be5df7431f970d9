from collections.abc import Iterator

from iamlint.iam.conditions import describe_conditions, restricts_principal
from iamlint.model import Finding, Inventory, PolicyKind, PrincipalType
from iamlint.queries import allows_of_kind
from iamlint.rule import Rule
from iamlint.settings import RuleSettings

# The global keys AWS documents for confused-deputy protection (a Lambda permission's
# SourceArn/SourceAccount reach the model as these keys), and the encryption-context keys
# the CloudWatch Logs and CloudTrail guides give for the same purpose on a KMS key.
SOURCE_KEYS = frozenset(
    {
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "kms:encryptioncontext:aws:logs:arn",
        "kms:encryptioncontext:aws:cloudtrail:arn",
    }
)


class ServicePrincipalConfusedDeputy(Rule):
    """
    ## What it does
    Flags a resource-based policy statement or Lambda permission that Allows
    an AWS service principal (`*.amazonaws.com`) without an `aws:SourceArn`,
    `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOwner` condition
    (for a Lambda permission: without `SourceArn` / `SourceAccount`).

    ## Why is this bad?
    A service principal acts for every customer of that service. Without a
    source condition the grant holds whenever the service calls, whoever
    configured it: another account can point its own trail, bucket
    notification or event rule at your resource and make the service read or
    write it for them (the cross-service confused deputy problem).

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::trail-logs/AWSLogs/*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::trail-logs/AWSLogs/*",
                    "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]}
    ```

    ## References
    - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    - [aws:SourceArn and aws:SourceAccount](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn)
    """

    id = "IAM014"
    slug = "service-principal-confused-deputy"
    severity = "medium"
    title = "A service principal is granted access without a source condition"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy, statement in allows_of_kind(inventory, PolicyKind.RESOURCE):
            services = [
                p.value for p in statement.principals or () if p.type is PrincipalType.SERVICE
            ]
            if not services or restricts_principal(statement.conditions, SOURCE_KEYS):
                continue
            names = ", ".join(s.text for s in services)
            plural = "s" if len(services) > 1 else ""
            conditions = describe_conditions(statement.conditions, SOURCE_KEYS)
            yield self.finding(
                f"service principal{plural} {names} granted access without aws:SourceArn or "
                f"aws:SourceAccount, so the service may act on it for any account "
                f"({conditions})",
                services[0].location,
                policy=policy,
                statement=statement,
                element=services[0],
            )
