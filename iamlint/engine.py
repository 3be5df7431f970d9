"""Run the rules over a model and keep one finding per root cause."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable

from iamlint.model import Finding, Inventory, ParseError
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


def run_rules(
    inventory: Inventory,
    rules: Iterable[Rule],
    settings: RuleSettings | None = None,
    debug: bool = False,
) -> tuple[list[Finding], list[ParseError]]:
    """Findings of every rule; a rule that crashes becomes an error naming the
    rule and the file (with `debug`, its traceback goes to stderr), and the other
    rules still run."""
    rules = tuple(rules)
    settings = settings or RuleSettings()
    findings: list[Finding] = []
    errors: list[ParseError] = []
    for rule in rules:
        try:
            findings.extend(rule.check(inventory, settings))
        except Exception as error:
            file = inventory.files[0] if inventory.files else "<unknown>"
            errors.append(internal_error(file, f"in rule {rule.id}", error, debug))
    return drop_superseded(findings, rules), errors


def internal_error(file: str, where: str, error: Exception, debug: bool) -> ParseError:
    """The error reported for a crash `where` ("in rule IAM004") while handling `file`;
    call it inside the `except` block, so that `debug` can print the traceback."""
    message = f"internal error {where}: {type(error).__name__}: {error}"
    if debug:
        sys.stderr.write(f"iamlint: {file}: {message}\n{traceback.format_exc()}")
    return ParseError(file, 1, message)


def drop_superseded(findings: list[Finding], rules: Iterable[Rule]) -> list[Finding]:
    """On a statement where a more specific rule fired, drop the rules it supersedes."""
    superseded_by = {rule.id: set(rule.supersedes) for rule in rules}
    # A statement written once in a Terraform module is a statement of each module call
    # (each with its own arguments): the resource address tells the instances apart.
    fired: dict[object, set[str]] = {}
    for finding in findings:
        if finding.statement is not None:
            fired.setdefault((finding.statement, finding.resource), set()).add(finding.rule_id)
    kept = []
    for finding in findings:
        on_statement = fired.get((finding.statement, finding.resource), set())
        if any(finding.rule_id in superseded_by.get(other, ()) for other in on_statement):
            continue
        kept.append(finding)
    return kept
