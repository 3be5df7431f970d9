"""GitLab Code Quality: the Code Climate JSON issue list GitLab reads."""

from __future__ import annotations

import json

from iamlint.fingerprint import fingerprints
from iamlint.report.options import RenderOptions
from iamlint.scan import ScanReport

# GitLab's scale is info, minor, major, critical, blocker.
_SEVERITY = {
    "critical": "blocker",
    "high": "critical",
    "medium": "major",
    "low": "minor",
    "info": "info",
}


def render(report: ScanReport, options: RenderOptions) -> str:
    issues = []
    for error in report.errors:
        issues.append(
            {
                "type": "issue",
                "check_name": "IAM000",
                "description": f"IAM000 parse-error: {error.message}",
                "categories": ["Bug Risk"],
                "fingerprint": f"IAM000:{error.file}:{error.message}",
                "severity": "critical",
                "location": {"path": error.file, "lines": {"begin": error.line}},
            }
        )
    for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True):
        issues.append(
            {
                "type": "issue",
                "check_name": finding.rule_id,
                "description": f"{finding.rule_id} {finding.slug}: {finding.message}",
                "categories": ["Security"],
                "fingerprint": fingerprint,
                "severity": _SEVERITY[finding.severity],
                "location": {
                    "path": finding.location.file,
                    "lines": {"begin": finding.location.line, "end": finding.location.end_line},
                },
            }
        )
    return json.dumps(issues, indent=2) + "\n"
