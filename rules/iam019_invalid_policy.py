from collections.abc import Iterator

from iamlint.iam.arn import is_valid_resource, parse_arn
from iamlint.iam.catalogue import is_known_condition_key
from iamlint.iam.conditions import is_valid_operator
from iamlint.iam.patterns import is_valid_action_syntax
from iamlint.model import (
    Element,
    Finding,
    Inventory,
    Location,
    Policy,
    PolicyKind,
    Statement,
    Unresolved,
)
from iamlint.rule import Rule
from iamlint.settings import RuleSettings

_NEEDS_PRINCIPAL = frozenset({PolicyKind.RESOURCE, PolicyKind.TRUST})
_NEEDS_RESOURCE = frozenset(
    {PolicyKind.IDENTITY, PolicyKind.MANAGED, PolicyKind.BOUNDARY, PolicyKind.SESSION}
)
LAMBDA_PERMISSIONS = frozenset({"AWS::Lambda::Permission", "aws_lambda_permission"})
_EXCLUSIVE = (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal"))


class InvalidPolicy(Rule):
    """
    ## What it does
    Flags a document that is not a valid IAM policy: a missing or invalid
    `Effect`; both `Action` and `NotAction` (or `Resource`/`NotResource`,
    `Principal`/`NotPrincipal`); no `Action`; a `Principal` in an identity
    policy; no `Principal` in a resource or trust policy; no `Resource` in an
    identity policy; a malformed action or ARN; an unknown key; `Statement`
    that is not an object or a list of objects; a condition operator that
    does not exist; `Resource` or `NotPrincipal` in a trust policy; and, at
    medium severity, a service condition key the catalogue does not know.
    Resources the service itself expands are accepted: API Gateway's
    `execute-api:/stage/method/path` in a resource policy, and the function
    name a Lambda permission takes.

    ## Why is this bad?
    IAM rejects most of these documents at deploy time, so the change fails
    late; some it accepts and then evaluates differently from what the author
    meant (an unknown condition key is simply absent from the request, so
    the condition never matches, or always does with `...IfExists`).

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "bucket/*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::bucket/*"}]}
    ```

    ## References
    - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    - [Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    """

    id = "IAM019"
    slug = "invalid-policy"
    severity = "high"
    title = "The document is not a valid IAM policy"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy in inventory.policies:
            for problem in policy.problems:
                yield self.finding(problem.message, problem.location, policy=policy)
            for statement in policy.statements:
                for message, location, severity in _statement_defects(policy, statement):
                    yield self.finding(
                        message, location, policy=policy, statement=statement, severity=severity
                    )


def _statement_defects(
    policy: Policy, statement: Statement
) -> Iterator[tuple[str, Location, str | None]]:
    keys = statement.key_locations
    effect = statement.effect
    if effect is None:
        yield "the statement has no Effect", statement.location, None
    elif effect.value not in ("Allow", "Deny") and not _reported_or_unknown(policy, effect):
        yield f'Effect must be "Allow" or "Deny", not {effect.text!r}', effect.location, None
    for first, second in _EXCLUSIVE:
        if first in keys and second in keys:
            yield f"a statement cannot have both {first} and {second}", keys[second], None
    if "Action" not in keys and "NotAction" not in keys:
        yield "the statement has no Action or NotAction", statement.location, None
    yield from _principal_defects(policy, statement)
    if policy.kind in _NEEDS_RESOURCE and "Resource" not in keys and "NotResource" not in keys:
        yield "the statement has no Resource or NotResource", statement.location, None
    for element in (*(statement.actions or ()), *(statement.not_actions or ())):
        if isinstance(element.value, str):
            if not is_valid_action_syntax(element.value):
                yield (
                    f"malformed action {element.text!r} (expected service:Action)",
                    element.location,
                    None,
                )
        elif not isinstance(element.value, Unresolved):
            yield f"an action must be a string, not {element.text}", element.location, None
    for element in (*(statement.resources or ()), *(statement.not_resources or ())):
        if isinstance(element.value, str) and not _valid_resource(policy, element.value):
            yield (_resource_message(element.text), element.location, None)
        elif not isinstance(element.value, (str, Unresolved)):
            yield f"a resource must be a string, not {element.text}", element.location, None
    for condition in statement.conditions:
        operator, key = condition.operator.literal, condition.key.literal
        if operator is not None and not is_valid_operator(operator):
            yield f"unknown condition operator {operator!r}", condition.operator.location, None
        if key is not None and not is_known_condition_key(key):
            yield (
                f"condition key {key!r} is not known for its service",
                condition.key.location,
                "medium",
            )


def _reported_or_unknown(policy: Policy, element: Element) -> bool:
    """An unresolved value, or one the reader already reported (an Effect that is a list)."""
    if isinstance(element.value, Unresolved):
        return True
    return element.value is None and any(p.location == element.location for p in policy.problems)


def _resource_message(text: str) -> str:
    arn = parse_arn(text)
    if arn is not None and arn.partition and arn.service and not arn.resource:
        return f"resource {text!r} names no resource (the ARN ends before its resource part)"
    return f"malformed resource {text!r} (expected an ARN or *)"


def _valid_resource(policy: Policy, text: str) -> bool:
    if is_valid_resource(text):
        return True
    if policy.resource_type in LAMBDA_PERMISSIONS:
        # The statement is built from the permission's FunctionName, which may be a bare
        # name or a partial ARN: the user wrote no Resource, so there is no ARN to fault.
        return True
    # API Gateway resource policies accept "execute-api:/stage/method/path" and expand it to
    # the API's own ARN (SAM's CustomStatements too).
    return policy.kind is PolicyKind.RESOURCE and text.startswith("execute-api:/")


def _principal_defects(
    policy: Policy, statement: Statement
) -> Iterator[tuple[str, Location, str | None]]:
    keys = statement.key_locations
    if policy.kind in _NEEDS_PRINCIPAL:
        if "Principal" not in keys and "NotPrincipal" not in keys:
            yield (
                f"{_a(policy.kind.value)} policy statement needs a Principal",
                statement.location,
                None,
            )
    else:
        for key in ("Principal", "NotPrincipal"):
            if key in keys:
                yield f"{key} is not allowed in {_a(policy.kind.value)} policy", keys[key], None
    if policy.kind is PolicyKind.TRUST:
        for key in ("Resource", "NotResource", "NotPrincipal"):
            if key in keys:
                yield f"{key} is not allowed in a role trust policy", keys[key], None


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"
