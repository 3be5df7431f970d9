"""GitHub Actions workflow commands: one annotation per finding."""

from __future__ import annotations

from iamlint.report.options import RenderOptions
from iamlint.scan import ScanReport

_COMMAND = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "notice",
    "info": "notice",
}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: ScanReport, options: RenderOptions) -> str:
    lines = []
    for error in report.errors:
        lines.append(
            f"::error file={_escape_property(error.file)},line={error.line},col={error.column},"
            f"title=IAM000 parse-error::{_escape_data(error.message)}"
        )
    for finding in report.findings:
        location = finding.location
        properties = ",".join(
            [
                f"file={_escape_property(location.file)}",
                f"line={location.line}",
                f"col={location.column}",
                f"endLine={location.end_line}",
                f"title={_escape_property(f'{finding.rule_id} {finding.slug}')}",
            ]
        )
        lines.append(
            f"::{_COMMAND[finding.severity]} {properties}::{_escape_data(finding.message)}"
        )
    return "".join(line + "\n" for line in lines)
