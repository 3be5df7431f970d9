"""SARIF 2.1.0 as GitHub code scanning accepts it (contract: cli.md).

GitHub's upload rules this follows: every result has one physical location
with a URI relative to `%SRCROOT%`; `partialFingerprints` carry iamlint's own
content hash (the upload action computes `primaryLocationLineHash` itself);
`automationDetails.id` contains a `/` so GitHub treats it as a category; rule
`security-severity` drives GitHub's severity; a run holds at most
`MAX_RESULTS` results (GitHub keeps the first 5,000 of a run and rejects runs
of more than 25,000), the most severe first.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from iamlint import __version__
from iamlint.fingerprint import fingerprints
from iamlint.model import SEVERITIES, Finding
from iamlint.report.options import RenderOptions
from iamlint.rule import SARIF_LEVEL, SECURITY_SEVERITY, Rule
from iamlint.scan import ScanReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/iamlint/iamlint"
FINGERPRINT_KEY = "iamlintFingerprint/v1"
MAX_RESULTS = 5000


def render(report: ScanReport, options: RenderOptions) -> str:
    rules = list(report.rules)
    index = {rule.id: position for position, rule in enumerate(rules)}
    prints = dict(zip(map(id, report.findings), fingerprints(report.findings), strict=True))
    kept = sorted(report.findings, key=lambda f: SEVERITIES.index(f.severity))[:MAX_RESULTS]
    kept.sort(key=lambda finding: finding.sort_key)
    results = [_result(f, index, prints[id(f)]) for f in kept]
    results += [_suppressed(s.finding, index, s.kind, s.reason) for s in report.suppressed]
    notifications = [_error_notification(error) for error in report.errors]
    if len(report.findings) > MAX_RESULTS:
        left_out = len(report.findings) - MAX_RESULTS
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out} less severe findings were left out: GitHub code "
                    f"scanning keeps only {MAX_RESULTS} results per run"
                },
            }
        )
    run = {
        "tool": {
            "driver": {
                "name": "iamlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "automationDetails": {"id": options.sarif_category.rstrip("/") + "/"},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri() + "/"}},
        "invocations": [
            {
                "executionSuccessful": not any(_is_internal(e.message) for e in report.errors),
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": results,
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"


def _rule_descriptor(rule: Rule) -> dict:
    documentation = rule.documentation
    return {
        "id": rule.id,
        "name": rule.slug,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": _first_paragraph(documentation, rule.title)},
        "help": {"text": _plain(documentation), "markdown": documentation},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
        "properties": {
            "tags": sorted(set(rule.tags) | {"security"}),
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": "high",
        },
    }


def _result(finding: Finding, index: dict[str, int], fingerprint: str) -> dict:
    location = finding.location
    region = {
        "startLine": location.line,
        "startColumn": location.column,
        "endLine": location.end_line,
        "endColumn": location.end_column,
    }
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": index[finding.rule_id],
        "level": SARIF_LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {**_artifact(location.file), "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"severity": finding.severity},
    }
    if finding.resource:
        result["locations"][0]["logicalLocations"] = [
            {"name": finding.resource, "kind": "resource"}
        ]
    return result


def _suppressed(finding: Finding, index: dict[str, int], kind: str, reason: str) -> dict:
    (fingerprint,) = fingerprints([finding])
    result = _result(finding, index, fingerprint)
    suppression = {"kind": kind, "status": "accepted"}
    if reason:
        suppression["justification"] = reason
    result["suppressions"] = [suppression]
    return result


def _artifact(file: str) -> dict:
    if os.path.isabs(file):
        return {"artifactLocation": {"uri": Path(file).as_uri()}}
    return {"artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"}}


def _error_notification(error) -> dict:
    return {
        "level": "error",
        "message": {"text": error.message},
        "descriptor": {"id": "IAM000"},
        "locations": [
            {
                "physicalLocation": {
                    **_artifact(error.file),
                    "region": {"startLine": error.line, "startColumn": error.column},
                }
            }
        ],
    }


def _is_internal(message: str) -> bool:
    return message.startswith("internal error")


def _first_paragraph(documentation: str, fallback: str) -> str:
    body = documentation.split("## What it does", 1)[-1].strip()
    paragraph = body.split("\n\n", 1)[0].strip()
    return paragraph if paragraph and not paragraph.startswith("#") else fallback


def _plain(markdown: str) -> str:
    return re.sub(r"^#+ ", "", markdown, flags=re.M)
