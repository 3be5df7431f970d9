from collections.abc import Iterator

from iamlint.iam.arn import is_service_wide
from iamlint.iam.catalogue import Action
from iamlint.model import Finding, Inventory
from iamlint.queries import (
    expanded_actions,
    granting_allows,
    grants_all_actions,
    has_condition_key,
    scoped_texts,
    summarize,
)
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class MissingResourceScoping(Rule):
    """
    ## What it does
    Flags an identity-policy Allow with Resource `"*"` (or a service-wide ARN
    such as `arn:aws:s3:::*`) when at least one of its actions supports
    resource-level permissions according to the AWS action catalogue. Actions
    that only accept `"*"` (`s3:ListAllMyBuckets`, `sts:GetCallerIdentity`)
    never trigger it; a wildcard pattern counts when most of the actions it
    expands to can be scoped, so `ec2:Describe*` (mostly list actions that
    accept only `"*"`) does not. The message lists the actions
    that could be scoped. Severity: high when they include Permissions
    management actions, medium for Write or Read, low for List or Tagging only.

    ## Why is this bad?
    A request is allowed when a statement matches both its action and its
    resource ARN. With `"*"`, the statement matches every bucket, key, role or
    function in the account, today's and tomorrow's, not just the one the
    workload uses.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::app-data/*"}]}
    ```

    ## References
    - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    - [Actions, resources and condition keys](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    id = "IAM004"
    slug = "missing-resource-scoping"
    severity = "medium"
    title = "An Allow has Resource * although its actions can be scoped"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy, statement in granting_allows(inventory):
            unscoped = next(
                (r for r, text in scoped_texts(statement.resources) if is_service_wide(text)),
                None,
            )
            if unscoped is None:
                continue
            every = grants_all_actions(statement)
            # IAM016 reports an unscoped iam:PassRole itself, with the reason that matters.
            passrole_reported = not has_condition_key(statement, "iam:PassedToService")
            scopable = sorted(
                {
                    action
                    for _, actions in expanded_actions(statement)
                    if _counts_as_scopable(actions)
                    for action in actions
                    if action.accepts_resource_level
                    and not (action.full_name == "iam:PassRole" and passrole_reported)
                },
                key=lambda action: (_rank(action), action.full_name),
            )
            if every is None and not scopable:
                continue
            if every is not None:
                severity, listed = "high", "every action"
            else:
                severity = _severity(scopable)
                listed = summarize([a.full_name for a in scopable])
            yield self.finding(
                f"Resource {unscoped.text} leaves unscoped actions that accept specific "
                f"resource ARNs: {listed}",
                unscoped.location,
                policy=policy,
                statement=statement,
                element=unscoped,
                severity=severity,
            )


def _counts_as_scopable(actions: tuple[Action, ...]) -> bool:
    """A concrete action counts when it accepts resource ARNs; a wildcard pattern when most
    of its actions do (`ec2:Describe*` is mostly actions that only accept "*")."""
    scopable = sum(1 for action in actions if action.accepts_resource_level)
    return scopable * 2 > len(actions)


_LEVEL_RANK = {"Permissions management": 0, "Write": 1, "Read": 2}


def _rank(action: Action) -> int:
    """Most privileged first, so the message leads with what matters."""
    return min((_LEVEL_RANK.get(level, 3) for level in action.access_levels), default=3)


def _severity(actions: list[Action]) -> str:
    levels = set()
    for action in actions:
        # The catalogue files tag actions as "Tagging, Write"; AWS's reference calls them
        # Tagging, and rules.md rates tagging-only grants low.
        own = set(action.access_levels)
        levels |= own - {"Write"} if "Tagging" in own else own
    if "Permissions management" in levels:
        return "high"
    if levels & {"Write", "Read"}:
        return "medium"
    return "low"
