from collections.abc import Iterator

from iamlint.iam.evaluate import evaluate
from iamlint.model import Finding, Inventory, Policy, PrincipalType, Statement
from iamlint.queries import expanded_actions, literal_elements
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class DenyShadowedAllow(Rule):
    """
    ## What it does
    Flags an Allow statement that an unconditioned explicit Deny of the same
    policy cancels entirely (every action it allows, on every resource it
    names, is denied), and a statement that duplicates another one.

    ## Why is this bad?
    An explicit Deny overrides every Allow, so the Allow is dead code: it
    misleads reviewers about what the principal can do, and if the Deny is
    later narrowed the Allow silently comes back to life. Duplicate
    statements make a policy longer than it needs to be and hide real
    changes in review.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
                   {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}
    ```

    ## Use instead
    Remove the dead Allow (or narrow the Deny, if some of the access is
    really needed):
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "iam:GetRole",
                    "Resource": "arn:aws:iam::111122223333:role/app"},
                   {"Effect": "Deny", "Action": "iam:*", "Resource": "*",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}
    ```

    ## References
    - [Policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    """

    id = "IAM022"
    slug = "deny-shadowed-allow"
    severity = "info"
    title = "An Allow is cancelled by a Deny, or a statement is duplicated"
    # A dead or repeated statement grants nothing of its own: its grant findings would be noise.
    supersedes = ("IAM002", "IAM003", "IAM004", "IAM008", "IAM009", "IAM016")

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy in inventory.policies:
            seen: dict[tuple, Statement] = {}
            for statement in policy.statements:
                signature = _signature(statement)
                original = seen.setdefault(signature, statement)
                # Statements of opposite branches of a template condition are never both
                # deployed: alternatives, not duplicates.
                if original is not statement and not original.excludes(statement):
                    yield self.finding(
                        f"this statement duplicates the one at line {original.location.line}",
                        statement.location,
                        policy=policy,
                        statement=statement,
                    )
                elif statement.is_allow:
                    deny = _cancelling_deny(policy, statement)
                    if deny is not None:
                        anchor = (statement.actions or (None,))[0]
                        sid = f" (statement {deny.sid.text!r})" if deny.sid else ""
                        yield self.finding(
                            f"this Allow is cancelled by the Deny at line {deny.location.line}"
                            f"{sid}: an explicit Deny overrides every Allow",
                            anchor.location if anchor else statement.location,
                            policy=policy,
                            statement=statement,
                            element=anchor,
                        )


def _cancelling_deny(policy: Policy, allow: Statement) -> Statement | None:
    """The Deny that covers every action and resource of `allow`, if one does."""
    if allow.not_actions is not None or allow.not_resources is not None:
        return None
    # In a resource or trust policy a Deny only cancels the Allow for the principals it names;
    # a Deny with a Condition, or one a template condition may leave out, may not apply at all.
    denies = [
        s
        for s in policy.statements
        if s.is_deny and not s.conditions and s.deployed_with(allow) and _denies_to_all_of(s, allow)
    ]
    if not denies:
        return None
    actions = list(expanded_actions(allow))
    resources = list(literal_elements(allow.resources))
    if (
        not actions
        or len(actions) != len(allow.actions or ())
        or len(resources) != len(allow.resources or ())
        or not resources
    ):
        return None
    deciding = None
    for _, expanded in actions:
        if not expanded:
            return None
        for action in expanded:
            for resource in resources:
                decision = evaluate([*denies, allow], action.full_name, resource.literal)
                if not decision.explicit_deny:
                    return None
                deciding = decision.statement
    return deciding


def _denies_to_all_of(deny: Statement, allow: Statement) -> bool:
    """Whether `deny` applies to every principal `allow` grants to."""
    if deny.not_principals is not None:
        return False  # who it spares is not worth guessing
    if deny.principals is None:
        return allow.principals is None and allow.not_principals is None
    denied = {(p.type, p.value.text) for p in deny.principals}
    if denied & {(PrincipalType.ANY, "*"), (PrincipalType.AWS, "*")}:
        return True
    if allow.principals is None or any(p.value.literal is None for p in deny.principals):
        return False
    return {(p.type, p.value.text) for p in allow.principals} <= denied


def _signature(statement: Statement) -> tuple:
    def texts(elements):
        return None if elements is None else tuple(sorted(e.text for e in elements))

    def principals(items):
        return None if items is None else tuple(sorted((p.type, p.value.text) for p in items))

    return (
        statement.effect.text if statement.effect else None,
        texts(statement.actions),
        texts(statement.not_actions),
        texts(statement.resources),
        texts(statement.not_resources),
        principals(statement.principals),
        principals(statement.not_principals),
        tuple(
            sorted(
                (c.operator.text, c.key.text, tuple(sorted(v.text for v in c.values)))
                for c in statement.conditions
            )
        ),
    )
