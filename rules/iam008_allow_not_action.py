from collections.abc import Iterator

from iamlint.model import Element, Finding, Inventory
from iamlint.queries import non_narrowing_allows
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class AllowNotAction(Rule):
    """
    ## What it does
    Flags an Allow statement that uses `NotAction`.

    ## Why is this bad?
    `"Effect": "Allow", "NotAction": [...]` allows every action except the
    listed ones: thousands of actions across every service, including
    services and actions AWS adds later. It is almost always broader than
    intended. `NotAction` belongs with `Deny`.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}
    ```

    ## Use instead
    List the actions to allow, and deny what must never be allowed:
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"],
                    "Resource": "arn:aws:s3:::app-data/*"}]}
    ```

    ## References
    - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    """

    id = "IAM008"
    slug = "allow-not-action"
    severity = "high"
    title = "An Allow statement uses NotAction"
    supersedes = ("IAM004",)
    key = "NotAction"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy, statement in non_narrowing_allows(inventory):
            elements = statement.not_actions if self.key == "NotAction" else statement.not_resources
            if elements is None:
                continue
            first = elements[0] if elements else None
            location = first.location if first else statement.key_locations[self.key]
            excluded = ", ".join(e.text for e in elements) or "nothing"
            yield self.finding(
                self.describe(excluded),
                location,
                policy=policy,
                statement=statement,
                element=first or Element(self.key, location),
            )

    def describe(self, excluded: str) -> str:
        return (
            f"Allow with NotAction grants every action except {excluded}, "
            "including actions AWS adds later"
        )
