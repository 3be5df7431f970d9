"""Helper for the rule tests on whole templates: `scan_text(tmp_path, name, text, rule)` writes
one file and gives the findings of one rule as (severity, message, line), in file order."""

from iamlint.registry import find_rule
from iamlint.scan import scan


def scan_text(tmp_path, name: str, text: str, rule: str) -> list[tuple[str, str, int]]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    report = scan([str(path)], (find_rule(rule),))
    assert report.errors == []
    return [(f.severity, f.message, f.location.line) for f in report.findings]


def scan_findings(tmp_path, name: str, text: str, rule: str):
    """The Finding objects themselves, for tests of affected principals and fingerprints."""
    path = tmp_path / name
    path.write_text(text)
    return scan([str(path)], (find_rule(rule),)).findings
