"""Plain text for terminals and logs: one line per finding, then a summary."""

from __future__ import annotations

from iamlint.model import SEVERITIES
from iamlint.report.options import RenderOptions
from iamlint.scan import ScanReport

_COLORS = {
    "critical": "\033[1;31m",
    "high": "\033[31m",
    "medium": "\033[33m",
    "low": "\033[36m",
    "info": "\033[37m",
}
_RESET = "\033[0m"


def render(report: ScanReport, options: RenderOptions) -> str:
    lines = []
    for error in report.errors:
        lines.append(f"{error.file}:{error.line}:{error.column}: IAM000 [high] {error.message}")
    for finding in report.findings:
        location = finding.location
        severity = f"[{finding.severity}]"
        if options.color:
            severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
        lines.append(
            f"{location.file}:{location.line}:{location.column}: "
            f"{finding.rule_id} {severity} {finding.message}"
        )
    if options.verbose:
        for note in report.unresolved:
            at = note.location
            lines.append(
                f"{at.file}:{at.line}:{at.column}: unresolved: {note.text} ({note.reason})"
            )
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: ScanReport) -> str:
    counts = {severity: 0 for severity in SEVERITIES}
    for finding in report.findings:
        counts[finding.severity] += 1
    by_severity = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    total = len(report.findings)
    text = f"{total} finding{'s' if total != 1 else ''}"
    if by_severity:
        text += f" ({by_severity})"
    text += f", {len(report.errors)} error{'s' if len(report.errors) != 1 else ''}"
    return f"{text} in {report.files_scanned} file{'s' if report.files_scanned != 1 else ''}."
