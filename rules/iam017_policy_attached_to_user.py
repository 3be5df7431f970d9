import dataclasses
from collections.abc import Iterator

from iamlint.model import Finding, Inventory, Policy, PolicyKind, Principal, PrincipalKind
from iamlint.queries import managed_attachments, on_principals
from iamlint.rule import Rule
from iamlint.settings import RuleSettings

_GRANTING = (PolicyKind.IDENTITY, PolicyKind.MANAGED)


class PolicyAttachedToUser(Rule):
    """
    ## What it does
    Flags every inline or managed policy attached directly to an IAM user
    (`Policies` or `ManagedPolicyArns` of `AWS::IAM::User`, an
    `AWS::IAM::Policy`/`AWS::IAM::ManagedPolicy`/`AWS::IAM::UserPolicy` naming
    users, `aws_iam_user_policy`, `aws_iam_user_policy_attachment`,
    `aws_iam_policy_attachment` with `users`), once per attachment with the
    users it reaches. Permissions boundaries are not attachments.

    ## Why is this bad?
    A user's effective permissions are the union of the policies attached to
    it and to its groups. Policies attached user by user drift apart, are
    hard to review, and stay with the person when their job changes. Granting
    through groups (for people) or roles (for workloads) keeps one place to
    read and change who can do what.

    ## Example
    ```hcl
    resource "aws_iam_user_policy_attachment" "alice" {
      user       = aws_iam_user.alice.name
      policy_arn = aws_iam_policy.reports.arn
    }
    ```

    ## Use instead
    ```hcl
    resource "aws_iam_group_policy_attachment" "analysts" {
      group      = aws_iam_group.analysts.name
      policy_arn = aws_iam_policy.reports.arn
    }
    ```

    ## References
    - [Use groups to assign permissions to IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html)
    - [Managed policies and inline policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html)
    """

    id = "IAM017"
    slug = "policy-attached-to-user"
    severity = "low"
    title = "A policy is attached directly to an IAM user"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        users = [p for p in inventory.principals if p.kind is PrincipalKind.USER]
        by_policy: dict[tuple, tuple[Policy, list[Principal]]] = {}
        for user in users:
            for policy in user.policies:
                if policy.kind in _GRANTING:
                    key = (policy.location, policy.kind)
                    by_policy.setdefault(key, (policy, []))[1].append(user)
        for policy, reached in by_policy.values():
            kind = "Inline" if policy.kind is PolicyKind.IDENTITY else "Customer-managed"
            label = policy.name or policy.resource or "policy"
            finding = self.finding(
                f"{kind} policy {label} is attached directly to {_users(reached)}: "
                f"grant permissions through a group or role",
                policy.location,
                policy=policy,
            )
            yield dataclasses.replace(finding, affected=tuple(u.name for u in reached))
        for element, principals in managed_attachments(inventory):
            reached = [p for p in principals if p.kind is PrincipalKind.USER]
            if not reached:
                continue
            finding = self.finding(
                f"Managed policy {element.text} is attached directly to {_users(reached)}: "
                f"grant permissions through a group or role",
                element.location,
                element=element,
            )
            yield on_principals(finding, reached, tuple(u.name for u in reached))


def _users(users: list[Principal]) -> str:
    return ("user " if len(users) == 1 else "users ") + ", ".join(u.name for u in users)
