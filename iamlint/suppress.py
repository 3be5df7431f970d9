"""Suppressions: comments in Terraform and YAML, CloudFormation Metadata, and config ignores.

- `# iamlint:ignore IAM004 reason` (or `//` in HCL) on the line of a finding,
  on the line above it, or on a resource's first line (or the line above it),
  which covers the whole resource; `# iamlint:ignore-file IAM004` anywhere
  covers the file. Several ids may be given comma-separated; slugs work too.
- CloudFormation `Metadata: {iamlint: {ignore: [{id, reason}]}}` arrives from
  the source as `model.Suppression`s covering the resource.
- Config `ignore: [{id, path, reason}]` entries suppress by file glob.

Suppressed findings are kept (SARIF shows them with a `suppressions` entry).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from iamlint.config import IgnoreEntry
from iamlint.model import Block, Finding, Inventory, Location, Suppression

_COMMENT = re.compile(
    r"(?:#|//)\s*iamlint:(?P<kind>ignore-file|ignore)\b"
    r"[ \t]*(?P<ids>[A-Za-z0-9_,-]*)[ \t]*(?P<reason>[^\r\n]*)"
)
_COMMENT_SUFFIXES = (".tf", ".yaml", ".yml", ".template", ".hcl")


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    kind: str  # SARIF suppression kind: "inSource" or "external"
    reason: str


@dataclass(frozen=True)
class Notice:
    """Something about a suppression the user should know (no reason, unused)."""

    file: str
    line: int
    message: str


@dataclass
class _Rule:
    """One suppression in any form, with whether it matched a finding."""

    rule_ids: tuple[str, ...]
    reason: str
    kind: str
    file: str
    line: int
    covers: Callable[[Finding], bool]
    used: bool = field(default=False)


@dataclass
class SuppressionResult:
    kept: list[Finding]
    suppressed: list[Suppressed]
    notices: list[Notice]


def apply(
    findings: Iterable[Finding],
    inventory: Inventory,
    config_ignores: Iterable[IgnoreEntry],
    canonical_id: Callable[[str], str | None],
    warn_unused: bool = False,
) -> SuppressionResult:
    """Split one scan unit's findings into kept and suppressed."""
    rules = _comment_rules(inventory, canonical_id)
    rules += [_metadata_rule(s, canonical_id) for s in inventory.suppressions]
    rules += [_config_rule(entry, canonical_id) for entry in config_ignores if entry.path]
    result = SuppressionResult([], [], [])
    for finding in findings:
        matched = [
            rule for rule in rules if finding.rule_id in rule.rule_ids and rule.covers(finding)
        ]
        for rule in matched:
            rule.used = True
        if matched:
            first = matched[0]
            result.suppressed.append(Suppressed(finding, first.kind, first.reason))
        else:
            result.kept.append(finding)
    for rule in rules:
        if rule.kind == "external":
            continue
        if not rule.reason:
            result.notices.append(
                Notice(rule.file, rule.line, "suppression without a reason (honoured)")
            )
        if warn_unused and not rule.used:
            ids = ",".join(rule.rule_ids)
            result.notices.append(Notice(rule.file, rule.line, f"unused suppression of {ids}"))
    return result


def _comment_rules(inventory: Inventory, canonical_id: Callable[[str], str | None]) -> list[_Rule]:
    rules = []
    for file in inventory.files:
        if not file.lower().endswith(_COMMENT_SUFFIXES):
            continue
        try:
            with open(file, encoding="utf-8-sig", errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        if "iamlint:" not in text:
            continue
        blocks = [b for b in inventory.blocks if b.location.file == file]
        for number, line in enumerate(text.splitlines(), start=1):
            match = _COMMENT.search(line)
            if match is None:
                continue
            ids = tuple(filter(None, (canonical_id(i) for i in match["ids"].split(","))))
            reason = match["reason"].strip()
            covers = (
                _whole_file(file)
                if match["kind"] == "ignore-file"
                else _lines(file, number, blocks)
            )
            rules.append(_Rule(ids, reason, "inSource", file, number, covers))
    return rules


def _whole_file(file: str) -> Callable[[Finding], bool]:
    return lambda finding: finding.location.file == file


def _lines(file: str, line: int, blocks: list[Block]) -> Callable[[Finding], bool]:
    spans = [(line, line + 1)]
    spans += [
        (b.location.line, b.location.end_line)
        for b in blocks
        if b.location.line in (line, line + 1)
    ]

    def covers(finding: Finding) -> bool:
        at = finding.location
        return at.file == file and any(start <= at.line <= end for start, end in spans)

    return covers


def _metadata_rule(suppression: Suppression, canonical_id: Callable[[str], str | None]) -> _Rule:
    ids = tuple(filter(None, (canonical_id(i) for i in suppression.rule_ids)))
    scope = suppression.scope
    return _Rule(ids, suppression.reason, "inSource", scope.file, scope.line, _within(scope))


def _within(scope: Location) -> Callable[[Finding], bool]:
    def covers(finding: Finding) -> bool:
        at = finding.location
        return at.file == scope.file and scope.line <= at.line <= scope.end_line

    return covers


def _config_rule(entry: IgnoreEntry, canonical_id: Callable[[str], str | None]) -> _Rule:
    ids = tuple(filter(None, [canonical_id(entry.rule)]))
    pattern = entry.path or "*"
    return _Rule(
        ids,
        entry.reason,
        "external",
        pattern,
        0,
        lambda finding: fnmatch.fnmatch(finding.location.file, pattern),
    )
