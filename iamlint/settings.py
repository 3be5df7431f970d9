"""What rules may know of the user's configuration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleSettings:
    accounts: frozenset[str] = frozenset()  # the user's own AWS accounts (IAM011)
    oidc_owners: frozenset[str] = frozenset()  # CI identity owners trusted with wildcards (IAM012)
