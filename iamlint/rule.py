"""What every rule module in `rules/` provides.

A rule is a class whose metadata sits at the top as class attributes (as in
cfn-lint), whose docstring is its documentation (as ruff's rule pages: what
it does, why it matters, an example, the fix, references), and whose
`check` reads the model and yields findings.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import ClassVar

from iamlint.model import Element, Finding, Inventory, Location, Policy, Statement
from iamlint.settings import RuleSettings

SARIF_LEVEL = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "note",
    "info": "note",
}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
DOCS_URL = "https://github.com/iamlint/iamlint/blob/main/docs/rules.md#"


class Rule(ABC):
    id: ClassVar[str]
    slug: ClassVar[str]
    severity: ClassVar[str]
    title: ClassVar[str]
    tags: ClassVar[tuple[str, ...]] = ("security", "iam")
    supersedes: ClassVar[tuple[str, ...]] = ()
    """Rule ids not reported on a statement where this rule fired (one root cause, one finding)."""

    @property
    def documentation(self) -> str:
        return inspect.cleandoc(type(self).__doc__ or "")

    @property
    def help_uri(self) -> str:
        return DOCS_URL + self.id.lower()

    @abstractmethod
    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterable[Finding]:
        """Yield the findings of this rule on one scan unit's model."""

    def finding(
        self,
        message: str,
        location: Location,
        *,
        policy: Policy | None = None,
        statement: Statement | None = None,
        element: Element | None = None,
        severity: str | None = None,
    ) -> Finding:
        call = module_call(policy.resource) if policy and policy.resource else None
        return Finding(
            rule_id=self.id,
            slug=self.slug,
            severity=severity or self.severity,
            message=f"{message} (through {call})" if call else message,
            location=location,
            resource=policy.resource if policy else None,
            resource_type=policy.resource_type if policy else None,
            affected=policy.affected if policy else (),
            element=element.text if element else "",
            statement=statement.location if statement else None,
        )


def module_call(address: str) -> str | None:
    """The Terraform module call an address lies in: "module.a.module.b" for
    "module.a.module.b.aws_iam_role.r"; None outside modules."""
    parts = address.split(".")
    depth = 0
    while depth + 1 < len(parts) and parts[depth] == "module":
        depth += 2
    return ".".join(parts[:depth]) or None
