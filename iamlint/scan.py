"""A whole scan: discover files, read them into the model, run the rules,
apply severity overrides and suppressions."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from iamlint.config import Config
from iamlint.discover import discover, module_files, scan_units
from iamlint.engine import run_rules
from iamlint.model import Finding, Inventory, ParseError, UnresolvedNote
from iamlint.registry import find_rule
from iamlint.rule import Rule
from iamlint.settings import RuleSettings
from iamlint.sources import terraform
from iamlint.sources.loader import load_file
from iamlint.suppress import Notice, Suppressed, apply
from iamlint.unresolved import unresolved_notes


@dataclass
class ScanReport:
    rules: tuple[Rule, ...]
    findings: list[Finding] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    unresolved: list[UnresolvedNote] = field(default_factory=list)
    files_scanned: int = 0
    files_skipped: int = 0


def scan(
    paths: Iterable[str],
    rules: tuple[Rule, ...],
    exclude: Iterable[str] = (),
    *,
    config: Config | None = None,
    warn_unused_suppressions: bool = False,
    var_files: Iterable[str] = (),
) -> ScanReport:
    """`var_files` are Terraform variable files (`--var-file`), applied to every root module."""
    config = config or Config()
    report = ScanReport(rules=rules)
    settings = RuleSettings(frozenset(config.accounts), frozenset(config.oidc_owners))
    units = _inventories(paths, [*exclude, *config.exclude], tuple(var_files))
    for inventory, supported, only in units:
        if not supported:
            report.files_skipped += 1
            continue
        report.files_scanned += len(only) if only is not None else len(inventory.files)
        findings, rule_errors = run_rules(inventory, rules, settings)
        errors = [*inventory.errors, *rule_errors]
        notes = unresolved_notes(inventory)
        if only is not None:
            findings = [f for f in findings if f.location.file in only]
            errors = [e for e in errors if e.file in only]
            notes = [n for n in notes if n.location.file in only]
        report.errors.extend(errors)
        report.unresolved.extend(notes)
        result = apply(
            _with_severity_overrides(findings, config.severity),
            inventory,
            config.ignore,
            _canonical_id,
            warn_unused_suppressions,
        )
        report.findings.extend(result.kept)
        report.suppressed.extend(result.suppressed)
        report.notices.extend(result.notices)
    report.findings.sort(key=lambda finding: finding.sort_key)
    report.suppressed.sort(key=lambda suppressed: suppressed.finding.sort_key)
    report.errors.sort(key=lambda error: (error.file, error.line, error.message))
    report.notices.sort(key=lambda notice: (notice.file, notice.line, notice.message))
    report.unresolved.sort(key=lambda note: (note.location, note.text))
    return report


def _inventories(
    paths: Iterable[str], exclude: Iterable[str], var_files: tuple[str, ...] = ()
) -> Iterator[tuple[Inventory, bool, frozenset[str] | None]]:
    """One inventory per scan unit (a Terraform module directory, or one file), whether any
    source understood it, and, when only some files of the unit were named on the command
    line, the displayed paths whose findings are to be reported."""
    paths = tuple(paths)
    candidates = list(discover(paths, exclude))
    named = frozenset(c.display for c in candidates if c.explicit)
    units = scan_units(candidates, paths)
    called = terraform.called_directories([unit.directory for unit in units if unit.terraform])
    for unit in units:
        if unit.terraform:
            if unit.directory in called:
                # read (and counted) through its callers, with their arguments
                yield Inventory(), True, None
                continue
            explicit = any(candidate.explicit for candidate in unit.candidates)
            # A changed .tf file (as pre-commit passes it) is read with its whole module so
            # references resolve; only findings in the named files are reported.
            files = (
                module_files(unit.directory)
                if explicit
                else [(c.path, c.display) for c in unit.candidates]
            )
            inventory = terraform.load_module(files, unit.root, var_files)
            yield inventory, True, named if explicit else None
            continue
        loaded = load_file(unit.candidates[0].path, unit.candidates[0].display)
        yield loaded.inventory, loaded.supported, None


def _canonical_id(name: str) -> str | None:
    rule = find_rule(name)
    return rule.id if rule else None


def _with_severity_overrides(findings: list[Finding], overrides: dict[str, str]) -> list[Finding]:
    if not overrides:
        return findings
    by_id = {_canonical_id(name): level for name, level in overrides.items()}
    return [
        dataclasses.replace(f, severity=by_id[f.rule_id]) if f.rule_id in by_id else f
        for f in findings
    ]
