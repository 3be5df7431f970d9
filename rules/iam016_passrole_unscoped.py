from collections.abc import Iterator

from iamlint.iam.arn import parse_arn
from iamlint.iam.evaluate import evaluate
from iamlint.iam.patterns import action_matches
from iamlint.model import Finding, Inventory, Statement
from iamlint.queries import (
    granting_allows,
    has_condition_key,
    literal_elements,
    scoped_statement,
    scoped_texts,
)
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class PassRoleUnscoped(Rule):
    """
    ## What it does
    Flags an Allow that grants `iam:PassRole` (directly or through a wildcard
    such as `iam:*`, `iam:Pass*` or `*`) on Resource `"*"` or on every role
    (`arn:aws:iam::*:role/*`), without an `iam:PassedToService` condition,
    unless a Deny of the same policy takes `iam:PassRole` on those roles away.

    ## Why is this bad?
    Passing a role to a service (EC2, Lambda, CloudFormation, Glue...) lets
    that service act with the role's permissions on the caller's behalf.
    With PassRole on every role, a principal that can also launch compute can
    run code as the most privileged role in the account: a classic
    privilege-escalation path.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
                    "Resource": "arn:aws:iam::111122223333:role/app-lambda",
                    "Condition": {"StringEquals":
                                  {"iam:PassedToService": "lambda.amazonaws.com"}}}]}
    ```

    ## References
    - [Granting a user permissions to pass a role](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    """

    id = "IAM016"
    slug = "passrole-unscoped"
    severity = "high"
    title = "iam:PassRole is granted on every role"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        denies_of: dict[int, list[Statement]] = {}
        for policy, statement in granting_allows(inventory):
            if has_condition_key(statement, "iam:PassedToService"):
                continue
            element = next(
                (
                    e
                    for e in literal_elements(statement.actions)
                    if action_matches(e.literal, "iam:PassRole")
                ),
                None,
            )
            if element is None:
                continue
            if id(policy) not in denies_of:
                denies_of[id(policy)] = [
                    scoped_statement(s) for s in policy.statements if s.is_deny
                ]
            denies = denies_of[id(policy)]
            unscoped = next(
                (
                    r
                    for r, text in scoped_texts(statement.resources)
                    if _all_roles(text) and not _denied(denies, statement, text)
                ),
                None,
            )
            if unscoped is None:
                continue
            yield self.finding(
                f"{element.text} grants iam:PassRole on {unscoped.text} without an "
                "iam:PassedToService condition: any role can be handed to any service",
                element.location,
                policy=policy,
                statement=statement,
                element=element,
            )


def _denied(denies: list[Statement], allow: Statement, resource: str) -> bool:
    """Whether one of the policy's Denies (scoped) surely takes the Allow's iam:PassRole
    on `resource` away."""
    statements = [*denies, scoped_statement(allow)]
    return bool(denies) and evaluate(statements, "iam:PassRole", resource).explicit_deny


def _all_roles(resource: str) -> bool:
    """Resource "*" or an ARN covering every role of an account (or of every account)."""
    if resource == "*":
        return True
    arn = parse_arn(resource)
    return arn is not None and arn.service in ("iam", "*") and arn.resource in ALL_ROLES


ALL_ROLES = frozenset({"*", "role/*", "role*"})
