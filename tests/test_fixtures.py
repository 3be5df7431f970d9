"""Every fixture says what must fire, and exactly that fires.

Conventions (design.md):
- YAML, template and Terraform files: `# expect: IAM004` (several ids
  comma-separated) on the line above the offending line; `# ok: IAM004` on
  the line above a line where that rule must not fire. Stacked annotation
  comments all refer to the next line that is not an annotation.
- JSON files, which cannot hold comments: a sidecar `<name>.expect.yaml` with
  `expect: [{rule: IAM004, line: 5}]` and optionally `ok: [IAM002]` (rules
  that must fire nowhere in the file).
- A directory named `*.module` is one fixture scanned as a unit (a Terraform
  module), with comment annotations in its files.

Every finding and parse error in a fixture must be expected: the comparison
is exact, so a fixture also proves what does not fire.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from iamlint.registry import all_rules
from iamlint.scan import scan

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COMMENT_SUFFIXES = (".yaml", ".yml", ".template", ".tf")
_ANNOTATION = re.compile(r"^\s*(?:#|//)\s*(expect|ok):\s*([A-Z0-9, ]+?)\s*$")


def _fixtures() -> list[Path]:
    found = []
    for path in sorted(FIXTURES.rglob("*")):
        if any(part.endswith(".module") for part in path.relative_to(FIXTURES).parts[:-1]):
            continue  # part of a module fixture
        if _is_fixture(path):
            found.append(path)
    return found


def _is_fixture(path: Path) -> bool:
    if path.is_dir():
        return path.name.endswith(".module")
    if path.name.endswith(".expect.yaml"):
        return False
    return path.suffix == ".json" or path.name.endswith(COMMENT_SUFFIXES)


def _comment_expectations(path: Path) -> tuple[Counter, set]:
    """(expected (rule, file, line) counts, forbidden (rule, file, line))."""
    expected: Counter = Counter()
    forbidden: set = set()
    pending: list[tuple[str, list[str]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _ANNOTATION.match(line)
        if match:
            ids = [i.strip() for i in match[2].split(",") if i.strip()]
            pending.append((match[1], ids))
            continue
        for kind, ids in pending:
            for rule in ids:
                if kind == "expect":
                    expected[(rule, path.name, number)] += 1
                else:
                    forbidden.add((rule, path.name, number))
        pending = []
    assert not pending, f"{path}: an annotation at the end of the file refers to no line"
    return expected, forbidden


def _expectations(fixture: Path) -> tuple[Counter, set, set]:
    """(expected findings, forbidden (rule, file, line), rules forbidden in the whole fixture)."""
    if fixture.is_dir():
        expected: Counter = Counter()
        forbidden: set = set()
        for file in sorted(fixture.rglob("*")):
            if file.is_file() and file.name.endswith(COMMENT_SUFFIXES):
                more, banned = _comment_expectations(file)
                expected += more
                forbidden |= banned
        return expected, forbidden, set()
    if fixture.suffix == ".json":
        sidecar = fixture.with_name(fixture.name[: -len(".json")] + ".expect.yaml")
        assert sidecar.exists(), f"{fixture}: a JSON fixture needs a sidecar {sidecar.name}"
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        assert set(data) <= {"expect", "ok"}, f"{sidecar}: unknown keys"
        expected = Counter(
            (entry["rule"], fixture.name, entry["line"]) for entry in data.get("expect") or []
        )
        return expected, set(), set(data.get("ok") or [])
    expected, forbidden = _comment_expectations(fixture)
    return expected, forbidden, set()


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda path: str(path.relative_to(FIXTURES)))
def test_fixture(fixture: Path) -> None:
    expected, forbidden, banned_rules = _expectations(fixture)
    assert expected or forbidden or banned_rules, f"{fixture}: the fixture declares nothing"
    report = scan([str(fixture)], all_rules())
    actual = Counter(
        (f.rule_id, Path(f.location.file).name, f.location.line) for f in report.findings
    )
    actual += Counter(("IAM000", Path(e.file).name, e.line) for e in report.errors)
    assert sorted(actual.elements()) == sorted(expected.elements()), "\n".join(
        f"{Path(f.location.file).name}:{f.location.line} {f.rule_id} {f.message}"
        for f in report.findings
    )
    assert not set(actual) & forbidden
    assert not {rule for rule, _, _ in actual} & banned_rules


def test_every_rule_has_a_firing_fixture() -> None:
    fired = set()
    for fixture in _fixtures():
        expected, _, _ = _expectations(fixture)
        fired |= {rule for rule, _, _ in expected}
    missing = {rule.id for rule in all_rules()} - fired
    assert not missing, f"rules without a firing fixture: {sorted(missing)}"
