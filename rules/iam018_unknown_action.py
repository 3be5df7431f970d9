from collections.abc import Iterator

from iamlint.iam.catalogue import service_prefixes
from iamlint.iam.patterns import closest_action, expand, is_valid_action_syntax
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
            for group in (statement.actions, statement.not_actions):
                for element in literal_elements(group):
                    text = element.literal
                    if text in ALL_ACTIONS or not is_valid_action_syntax(text) or expand(text):
                        continue
                    prefix = text.partition(":")[0].lower()
                    what = (
                        "matches no action"
                        if prefix in service_prefixes() or "*" in prefix or "?" in prefix
                        else f"names an unknown service prefix {prefix!r}"
                    )
                    suggestion = closest_action(text)
                    hint = f"; did you mean {suggestion}?" if suggestion else ""
                    yield self.finding(
                        f"{text} {what}, so this statement silently "
                        f"{'denies' if statement.is_deny else 'grants'} nothing for it{hint}",
                        element.location,
                        policy=policy,
                        statement=statement,
                        element=element,
                    )
