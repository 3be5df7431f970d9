"""Plain text for terminals and logs.

Findings are grouped by file; each is a `path:line:col: ID [severity] message`
line (the form editors and CI logs link), then the offending source line with
a caret under the element. A summary by severity ends the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iamlint.model import SEVERITIES, Location
from iamlint.report.options import RenderOptions
from iamlint.scan import ScanReport

_COLORS = {
    "critical": "\033[1;31m",
    "high": "\033[31m",
    "medium": "\033[33m",
    "low": "\033[36m",
    "info": "\033[37m",
}
_DIM = "\033[2m"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MAX_EXCERPT = 300
_RESET = "\033[0m"


@dataclass(frozen=True)
class _Entry:
    location: Location
    rule_id: str
    severity: str
    message: str


def render(report: ScanReport, options: RenderOptions) -> str:
    entries = [
        _Entry(Location(e.file, e.line, e.column, e.line, e.column), "IAM000", "high", e.message)
        for e in report.errors
    ]
    entries += [_Entry(f.location, f.rule_id, f.severity, f.message) for f in report.findings]
    entries.sort(key=lambda e: (e.location.file, e.location.line, e.location.column, e.rule_id))
    sources = _Sources()
    lines: list[str] = []
    previous_file = None
    for entry in entries:
        at = entry.location
        if previous_file is not None and at.file != previous_file:
            lines.append("")
        previous_file = at.file
        severity = f"[{entry.severity}]"
        if options.color:
            severity = f"{_COLORS[entry.severity]}{severity}{_RESET}"
        lines.append(f"{at.file}:{at.line}:{at.column}: {entry.rule_id} {severity} {entry.message}")
        lines.extend(_excerpt(sources.line(at.file, at.line), at, options.color))
    if options.verbose:
        if lines:
            lines.append("")
        for note in report.unresolved:
            at = note.location
            lines.append(
                f"{at.file}:{at.line}:{at.column}: unresolved: {note.text} ({note.reason})"
            )
    if lines:
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _excerpt(source: str | None, at: Location, color: bool) -> list[str]:
    if source is None:
        return []
    # A scanned file is untrusted: no terminal escapes from it, and no megabyte-long lines.
    source = _CONTROL.sub("?", source.expandtabs(1).rstrip())
    if len(source) > _MAX_EXCERPT or at.column > _MAX_EXCERPT:
        return []
    width = max(
        1, (at.end_column - at.column) if at.end_line == at.line else len(source) - at.column + 1
    )
    gutter = f"{at.line:>5} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * (at.column - 1) + "^" + "~" * (width - 1)
    if color:
        return [f"{_DIM}{gutter}{_RESET}{source}", f"{_DIM}{caret}{_RESET}"]
    return [gutter + source, caret]


class _Sources:
    """Reads each reported file once, for the excerpts."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def line(self, file: str, number: int) -> str | None:
        if file not in self._lines:
            try:
                with open(file, encoding="utf-8-sig", errors="replace") as handle:
                    self._lines[file] = handle.read().splitlines()
            except OSError:
                self._lines[file] = None
        lines = self._lines[file]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


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
