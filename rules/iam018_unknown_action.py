from collections.abc import Iterator

from iamlint.iam.catalogue import service_prefixes
from iamlint.iam.patterns import closest_action, expand, is_valid_action_syntax, is_wildcard
from iamlint.model import Finding, Inventory
from iamlint.queries import ALL_ACTIONS, literal_elements, statements
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class UnknownAction(Rule):
    """
    ## What it does
    Flags an action or action pattern, in `Action` or `NotAction`, of an Allow
    or a Deny, that matches no action in the AWS action catalogue: an unknown
    service prefix, a misspelt action, or a pattern that matches nothing. The
    message suggests the closest real action, cased as AWS writes it.

    ## Why is this bad?
    IAM accepts a policy naming an action that does not exist and then simply
    never matches it. A misspelt Allow grants nothing (and someone will
    "fix" it with a wildcard); a misspelt Deny denies nothing, silently
    removing a guardrail.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Deny", "Action": "s3:DeleteBuckett", "Resource": "*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}
    ```

    ## References
    - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    id = "IAM018"
    slug = "unknown-action"
    severity = "medium"
    title = "An action matches no action in the AWS catalogue"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy, statement in statements(inventory):
            for excluded, group in ((False, statement.actions), (True, statement.not_actions)):
                for element in literal_elements(group):
                    text = element.literal
                    if text in ALL_ACTIONS or not is_valid_action_syntax(text) or expand(text):
                        continue  # malformed syntax is IAM019's
                    yield self.finding(
                        _message(text, _effect(statement.is_deny, excluded)),
                        element.location,
                        policy=policy,
                        statement=statement,
                        element=element,
                    )


def _effect(in_deny: bool, excluded: bool) -> str:
    if excluded:
        return "this NotAction excludes nothing"
    return f"this statement {'denies' if in_deny else 'grants'} nothing for it"


def _message(text: str, effect: str) -> str:
    prefix = text.partition(":")[0].lower()
    known = prefix in service_prefixes() or is_wildcard(prefix)
    why = "" if known else f" (unknown service prefix {prefix!r})"
    suggestion = _suggestion(text)
    if suggestion:
        return f"{text} matches no action{why}; did you mean {suggestion}?"
    return f"{text} matches no action{why}, so {effect}"


def _suggestion(text: str) -> str | None:
    """The closest real action; never a wildcard for a concrete action (suggesting
    `wisdom:*` for `some:action` would widen the grant, not fix a typo)."""
    suggestion = closest_action(text)
    if suggestion is None or (is_wildcard(suggestion) and not is_wildcard(text)):
        return None
    return suggestion
