import re
from collections.abc import Iterator

from iamlint.iam.arn import parse_arn
from iamlint.iam.catalogue import SENSITIVE_SERVICES, service_actions
from iamlint.iam.patterns import is_wildcard
from iamlint.model import Finding, Inventory, PolicyKind, PrincipalType, Statement
from iamlint.queries import expanded_actions, grants_all_actions, non_narrowing_allows
from iamlint.rule import Rule
from iamlint.settings import RuleSettings

MANY_ACTIONS = 20


class ServiceWildcardAction(Rule):
    """
    ## What it does
    Flags an Allow whose action is `service:*`, or an action pattern whose
    wildcard expands to every action of a sensitive service (iam, sts, kms,
    organizations, secretsmanager, s3, ssm, sso, identitystore, cloudtrail,
    account, lambda, ec2) or to more than 20 actions. The message names the
    service and how many actions the pattern expands to, per the AWS action
    catalogue. Severity is high when the pattern reaches beyond the List
    actions of a sensitive service, medium otherwise (`ec2:Describe*`).
    A resource policy statement whose only principal is your own account
    (AWS's default key policy: `kms:*` to `arn:aws:iam::<account>:root`) is
    not flagged: it hands the decision to that account's IAM policies.

    ## Why is this bad?
    IAM grants exactly the actions a statement names, and a wildcard names
    every matching action, including ones AWS adds later. `s3:*` also grants
    `s3:PutBucketPolicy` and `s3:DeleteBucket`; `iam:*` grants the means to
    escalate to administrator. Least privilege means listing the actions the
    workload calls.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "s3:*",
                    "Resource": "arn:aws:s3:::app-data/*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                    "Resource": "arn:aws:s3:::app-data/*"}]}
    ```

    ## References
    - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    id = "IAM003"
    slug = "service-wildcard-action"
    severity = "high"
    title = "An Allow grants service:* or a wildcard covering many actions"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy, statement in non_narrowing_allows(inventory):
            if policy.kind is PolicyKind.RESOURCE and _delegates_to_own_account(
                statement, settings.accounts
            ):
                continue
            every = grants_all_actions(statement)
            if every is not None:
                yield self.finding(
                    f"{every.text} grants every action of every AWS service",
                    every.location,
                    policy=policy,
                    statement=statement,
                    element=every,
                )
            for element, actions in expanded_actions(statement):
                message = _describe(element.literal, actions)
                if message is None:
                    continue
                sensitive = any(
                    a.service in SENSITIVE_SERVICES and a.access_levels != ("List",)
                    for a in actions
                )
                yield self.finding(
                    message,
                    element.location,
                    policy=policy,
                    statement=statement,
                    element=element,
                    severity="high" if sensitive else "medium",
                )


def _describe(pattern: str, actions: tuple) -> str | None:
    """The finding's message, or None when the pattern is narrow enough."""
    if not actions or not is_wildcard(pattern):
        return None
    by_service: dict[str, int] = {}
    for action in actions:
        by_service[action.service] = by_service.get(action.service, 0) + 1
    whole = [s for s, n in by_service.items() if n == len(service_actions(s))]
    service_wide = pattern.partition(":")[2] == "*"
    sensitive_whole = [s for s in whole if s in SENSITIVE_SERVICES]
    if not (service_wide or sensitive_whole or len(actions) > MANY_ACTIONS):
        return None
    if len(by_service) == 1:
        ((service, count),) = by_service.items()
        scope = f"all {count} actions of {service}" if whole else f"{count} actions of {service}"
        kind = ", a sensitive service" if service in SENSITIVE_SERVICES else ""
        return f"{pattern} grants {scope}{kind}"
    sensitive = sorted(s for s in by_service if s in SENSITIVE_SERVICES)
    text = f"{pattern} grants {len(actions)} actions across {len(by_service)} services"
    return text + (f", including sensitive {', '.join(sensitive)}" if sensitive else "")


# How the deploying account is written where its id is not known: CloudFormation's pseudo
# parameter, Terraform's aws_caller_identity data source.
_DEPLOYING_ACCOUNT = re.compile(
    r"\$\{AWS::AccountId\}|\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}"
    r"|AWS::AccountId|data\.aws_caller_identity\.[\w-]+\.account_id"
)


def _delegates_to_own_account(statement: Statement, own: frozenset[str]) -> bool:
    """Whether a resource policy statement names only your own account as a whole (its
    root), as AWS's default key policy does: it lets that account's IAM policies decide,
    and those are linted on their own."""
    if statement.not_principals is not None or not statement.principals:
        return False
    return all(
        principal.type is PrincipalType.AWS and _own_account(principal.value.text, own)
        for principal in statement.principals
    )


def _own_account(text: str, own: frozenset[str]) -> bool:
    arn = parse_arn(text)
    if arn is not None:
        if arn.service != "iam" or arn.resource != "root":
            return False
        text = arn.account
    return text in own or _DEPLOYING_ACCOUNT.fullmatch(text) is not None
