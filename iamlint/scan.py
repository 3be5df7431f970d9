"""A whole scan: discover files, read them into the model, run the rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from iamlint.discover import discover
from iamlint.engine import run_rules
from iamlint.model import Finding, ParseError
from iamlint.rule import Rule
from iamlint.sources.loader import load_file


@dataclass
class ScanReport:
    rules: tuple[Rule, ...]
    findings: list[Finding] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    files_scanned: int = 0
    files_skipped: int = 0


def scan(paths: Iterable[str], rules: tuple[Rule, ...], exclude: Iterable[str] = ()) -> ScanReport:
    report = ScanReport(rules=rules)
    for candidate in discover(paths, exclude):
        loaded = load_file(candidate.path, candidate.display)
        if not loaded.supported:
            report.files_skipped += 1
            continue
        report.files_scanned += 1
        report.errors.extend(loaded.inventory.errors)
        findings, rule_errors = run_rules(loaded.inventory, rules)
        report.findings.extend(findings)
        report.errors.extend(rule_errors)
    report.findings.sort(key=lambda finding: finding.sort_key)
    report.errors.sort(key=lambda error: (error.file, error.line, error.message))
    return report
