"""The JSON report of cli.md, field for field."""

from __future__ import annotations

import json

from iamlint import __version__
from iamlint.fingerprint import fingerprints
from iamlint.model import SEVERITIES
from iamlint.report.options import RenderOptions
from iamlint.scan import ScanReport


def render(report: ScanReport, options: RenderOptions) -> str:
    findings = []
    for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True):
        location = finding.location
        findings.append(
            {
                "rule_id": finding.rule_id,
                "slug": finding.slug,
                "severity": finding.severity,
                "message": finding.message,
                "file": location.file,
                "line": location.line,
                "column": location.column,
                "end_line": location.end_line,
                "end_column": location.end_column,
                "resource": finding.resource,
                "resource_type": finding.resource_type,
                "affected": list(finding.affected),
                "fingerprint": fingerprint,
            }
        )
    errors = [
        {"rule_id": "IAM000", "file": error.file, "line": error.line, "message": error.message}
        for error in report.errors
    ]
    by_severity = {severity: 0 for severity in SEVERITIES}
    for finding in report.findings:
        by_severity[finding.severity] += 1
    document = {
        "tool": "iamlint",
        "version": __version__,
        "findings": findings,
        "errors": errors,
        "summary": {
            "files_scanned": report.files_scanned,
            "findings": len(report.findings),
            "by_severity": by_severity,
        },
    }
    if options.verbose:
        document["unresolved"] = [
            {
                "file": note.location.file,
                "line": note.location.line,
                "column": note.location.column,
                "text": note.text,
                "reason": note.reason,
            }
            for note in report.unresolved
        ]
    return json.dumps(document, indent=2) + "\n"
