"""Helpers for the rule tests: `lint(*statements, kind=..., version=...)` gives the findings
of the policy-level rules on one document built from the statements, as
(rule, severity, message, line), sorted by line."""

import json
from typing import NamedTuple

from iamlint.engine import run_rules
from iamlint.model import Inventory, PolicyKind
from iamlint.registry import all_rules
from iamlint.sources import jsonpos
from iamlint.sources.document import build_policy

POLICY_RULES = frozenset(
    {"IAM002", "IAM003", "IAM004", "IAM008", "IAM009", "IAM016"}
    | {"IAM018", "IAM019", "IAM020", "IAM022"}
)


class Found(NamedTuple):
    rule: str
    severity: str
    message: str
    line: int


def lint(*statements, kind=PolicyKind.IDENTITY, version="2012-10-17", document=None, **policy):
    """`document` replaces the generated one; `policy` sets Policy fields (resource_type...)."""
    if document is None:
        document = {"Statement": list(statements)}
        if version:
            document = {"Version": version, **document}
    text = json.dumps(document, indent=2)
    built = build_policy(jsonpos.loads(text, "p.json"), kind, **policy)
    findings, errors = run_rules(Inventory(files=("p.json",), policies=(built,)), all_rules())
    assert not errors, errors
    found = [
        Found(f.rule_id, f.severity, f.message, f.location.line)
        for f in findings
        if f.rule_id in POLICY_RULES
    ]
    return sorted(found, key=lambda item: (item.line, item.rule, item.message))


def rules(*statements, **options):
    """Just the rule ids, in line order."""
    return [found.rule for found in lint(*statements, **options)]


def allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource="*", **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}
