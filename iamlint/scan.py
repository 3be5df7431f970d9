"""A whole scan: discover files, read them into the model, run the rules,
apply severity overrides and suppressions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType

from iamlint import limits, parallel
from iamlint.config import Config
from iamlint.discover import Unit, discover, module_files, scan_units
from iamlint.engine import internal_error, run_rules
from iamlint.model import Finding, Inventory, ParseError, UnresolvedNote
from iamlint.registry import find_rule
from iamlint.rule import Rule
from iamlint.settings import RuleSettings
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
    scanned: set[str] = field(default_factory=set)  # displayed paths of the files linted
    files_skipped: int = 0

    @property
    def files_scanned(self) -> int:
        """Distinct files linted (a file read by a module and on its own counts once)."""
        return len(self.scanned)


@dataclass(frozen=True)
class ScanJob:
    """One unit of work: a Terraform module directory or one file, independent of the others."""

    unit: Unit
    read_by_caller: bool  # a local module read through the module that calls it
    named: frozenset[str] | None  # when set, report only findings in these files


@dataclass
class UnitResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    unresolved: list[UnresolvedNote] = field(default_factory=list)
    scanned: frozenset[str] = frozenset()
    files_skipped: int = 0


@dataclass(frozen=True)
class ScanOptions:
    """Everything a job needs besides its unit."""

    rules: tuple[Rule, ...]
    config: Config = field(default_factory=Config)
    warn_unused_suppressions: bool = False
    var_files: tuple[str, ...] = ()
    debug: bool = False  # print the traceback of internal errors on stderr


def scan(
    paths: Iterable[str],
    rules: tuple[Rule, ...],
    exclude: Iterable[str] = (),
    *,
    config: Config | None = None,
    warn_unused_suppressions: bool = False,
    var_files: Iterable[str] = (),
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    debug: bool = False,
) -> ScanReport:
    """`var_files` are Terraform variable files (`--var-file`), applied to every root module;
    `progress(done, total)` is called after each unit; `jobs` worker processes (1: in process;
    a small scan always runs in process)."""
    options = ScanOptions(
        rules, config or Config(), warn_unused_suppressions, tuple(var_files), debug
    )
    planned = plan(paths, [*exclude, *options.config.exclude])
    report = ScanReport(rules=rules)
    workers = parallel.workers_for(planned, jobs)
    results = parallel.run_jobs(planned, options, workers, run_job)
    for done, result in enumerate(results, start=1):
        merge(report, result)
        if progress:
            progress(done, len(planned))
    return finish(report)


def plan(paths: Iterable[str], exclude: Iterable[str]) -> list[ScanJob]:
    """The independent units of a scan, in a stable order."""
    paths = tuple(paths)
    candidates = list(discover(paths, exclude))
    named = frozenset(c.display for c in candidates if c.explicit)
    units = scan_units(candidates, paths)
    modules = [unit.directory for unit in units if unit.terraform]
    called = _terraform().called_directories(modules) if modules else set()
    return [
        ScanJob(
            unit,
            read_by_caller=unit.terraform and unit.directory in called,
            named=named if unit.terraform and any(c.explicit for c in unit.candidates) else None,
        )
        for unit in units
    ]


def run_job(job: ScanJob, options: ScanOptions) -> UnitResult:
    """Read one unit, run the rules, apply overrides and suppressions, within the
    configured limits. A unit over its time budget gives one error and nothing else."""
    bounds = options.config.limits
    try:
        with limits.using(bounds), limits.deadline(bounds.time_budget_seconds):
            return _run_job(job, options)
    except limits.TimeBudgetExceeded:
        first = job.unit.candidates[0].display
        message = (
            f"skipped: reading and linting took longer than {bounds.time_budget_seconds:g} s "
            "(limits.time_budget_seconds)"
        )
        return UnitResult(errors=[ParseError(first, 1, message)], scanned=frozenset({first}))


def _run_job(job: ScanJob, options: ScanOptions) -> UnitResult:
    result = UnitResult()
    if job.read_by_caller:
        return result  # read (and counted) through its callers, with their arguments
    try:
        inventory, supported = _load(job, options.var_files)
    except Exception as error:  # a source bug must not end the scan of the other files
        first = job.unit.candidates[0].display
        crash = internal_error(first, "while reading the file", error, options.debug)
        inventory, supported = Inventory(files=(first,), errors=(crash,)), True
    if not supported:
        result.files_skipped = 1
        return result
    only = job.named
    result.scanned = frozenset(inventory.files) & only if only else frozenset(inventory.files)
    settings = RuleSettings(
        frozenset(options.config.accounts), frozenset(options.config.oidc_owners)
    )
    inventory = limits.bounded(inventory, options.config.limits)
    findings, rule_errors = run_rules(inventory, options.rules, settings, options.debug)
    errors = [*inventory.errors, *rule_errors]
    notes = unresolved_notes(inventory)
    if only is not None:
        findings = [f for f in findings if f.location.file in only]
        errors = [e for e in errors if e.file in only]
        notes = [n for n in notes if n.location.file in only]
    applied = apply(
        _with_severity_overrides(findings, options.config.severity),
        inventory,
        options.config.ignore,
        _canonical_id,
        options.warn_unused_suppressions,
    )
    result.findings, result.suppressed, result.notices = (
        applied.kept,
        applied.suppressed,
        applied.notices,
    )
    result.errors, result.unresolved = errors, notes
    return result


def merge(report: ScanReport, result: UnitResult) -> None:
    report.findings.extend(result.findings)
    report.suppressed.extend(result.suppressed)
    report.errors.extend(result.errors)
    report.notices.extend(result.notices)
    report.unresolved.extend(result.unresolved)
    report.scanned |= result.scanned
    report.files_skipped += result.files_skipped


def finish(report: ScanReport) -> ScanReport:
    """Sort everything so the output does not depend on the order units ran in."""
    report.findings = _without_bare_repeats(report.findings)
    report.findings.sort(key=lambda finding: finding.sort_key)
    report.suppressed.sort(key=lambda suppressed: suppressed.finding.sort_key)
    report.errors.sort(key=lambda error: (error.file, error.line, error.message))
    report.notices.sort(key=lambda notice: (notice.file, notice.line, notice.message))
    report.unresolved = sorted(set(report.unresolved), key=lambda note: (note.location, note.text))
    return report


def _without_bare_repeats(findings: list[Finding]) -> list[Finding]:
    """A policy file read on its own and through the Terraform `file()` that uses it is one
    root cause: the same rule at the same token is kept only as reported through the
    resource (module calls of one statement each keep their own finding)."""
    through_resource = {(f.rule_id, f.location) for f in findings if f.resource}
    return [f for f in findings if f.resource or (f.rule_id, f.location) not in through_resource]


def _load(job: ScanJob, var_files: tuple[str, ...]) -> tuple[Inventory, bool]:
    unit = job.unit
    if unit.terraform:
        # A changed .tf file (as pre-commit passes it) is read with its whole module so
        # references resolve; only findings in the named files are reported.
        files = (
            module_files(unit.directory, unit.root)
            if job.named is not None
            else [(c.path, c.display) for c in unit.candidates]
        )
        return _terraform().load_module(files, unit.root, var_files), True
    loaded = load_file(unit.candidates[0].path, unit.candidates[0].display)
    return loaded.inventory, loaded.supported


def _terraform() -> ModuleType:
    """The Terraform source, imported only when a scan has Terraform: it brings lark and the
    HCL machinery, a third of the start-up time of a one-file pre-commit run."""
    from iamlint.sources import terraform

    return terraform


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
