from collections.abc import Iterator

from iamlint.iam.conditions import describe_conditions, restricts_principal
from iamlint.model import Finding, Inventory
from iamlint.queries import granting_allows, grants_all_actions, literal_elements
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class FullAdminStatement(Rule):
    """
    ## What it does
    Flags an identity or customer-managed policy statement that Allows every
    action (`"*"` or `"*:*"`) on every resource (`"*"`) with no condition that
    restricts who or from where it can be used.

    ## Why is this bad?
    An identity-based Allow of `*` on `*` grants every present and future AWS
    action on every resource of the account: it is full administrator access,
    including IAM itself, so whoever holds it can grant themselves anything
    else. Only an explicit Deny, an SCP or a permissions boundary could still
    narrow it.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    ```

    ## Use instead
    Name the actions and resources the workload needs:
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                    "Resource": "arn:aws:s3:::app-data/*"}]}
    ```

    ## References
    - [Grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    - [Policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    """

    id = "IAM002"
    slug = "full-admin-statement"
    severity = "critical"
    title = "An identity policy statement Allows * on Resource *"
    supersedes = ("IAM003", "IAM004", "IAM016")

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy, statement in granting_allows(inventory):
            action = grants_all_actions(statement)
            if action is None or restricts_principal(statement.conditions):
                continue
            if not any(r.literal == "*" for r in literal_elements(statement.resources)):
                continue
            conditions = describe_conditions(statement.conditions)
            yield self.finding(
                f"Allows every action ({action.text}) on every resource: full administrator "
                f"access ({conditions})",
                action.location,
                policy=policy,
                statement=statement,
                element=action,
            )
