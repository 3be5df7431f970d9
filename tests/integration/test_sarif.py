"""SARIF 2.1.0 as GitHub code scanning accepts it: the official schema plus GitHub's own rules."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

from iamlint.cli import cli
from iamlint.model import Finding, Location
from iamlint.registry import all_rules
from iamlint.report import render, sarif
from iamlint.report.options import RenderOptions
from iamlint.scan import ScanReport

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
VALIDATOR = Draft4Validator(SCHEMA)
FIXTURES = sorted(
    p
    for p in (ROOT / "tests" / "fixtures").rglob("*")
    if (p.is_file() and not p.name.endswith(".expect.yaml")) or p.name.endswith(".module")
)


def sarif_of(*args, cwd=ROOT):
    result = CliRunner().invoke(cli, ["scan", *map(str, args), "-f", "sarif"])
    return json.loads(result.stdout)


def assert_valid(document):
    errors = sorted(VALIDATOR.iter_errors(document), key=str)
    assert not errors, errors[0].message


def test_examples_validate_against_the_official_schema(monkeypatch):
    monkeypatch.chdir(ROOT)
    document = sarif_of("examples")
    assert_valid(document)
    assert document["runs"][0]["results"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: str(p.relative_to(ROOT / "tests")))
def test_every_fixture_validates(monkeypatch, fixture):
    monkeypatch.chdir(ROOT)
    assert_valid(sarif_of(fixture.relative_to(ROOT)))


def test_github_upload_rules(monkeypatch):
    monkeypatch.chdir(ROOT)
    document = sarif_of("examples", "tests/fixtures/IAM000")
    (run,) = document["runs"]
    assert document["version"] == "2.1.0"
    # automationDetails.id must contain "/" to be read as a category
    assert run["automationDetails"]["id"] == "iamlint/"
    driver = run["tool"]["driver"]
    assert {"name", "version", "informationUri", "rules"} <= set(driver)
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == [rule.id for rule in all_rules()]
    for descriptor in driver["rules"]:
        assert "security" in descriptor["properties"]["tags"]
        assert float(descriptor["properties"]["security-severity"]) > 0
        assert descriptor["help"]["markdown"].startswith("## What it does")
        assert descriptor["helpUri"].startswith("https://")
    levels = {
        "critical": "error",
        "high": "error",
        "medium": "warning",
        "low": "note",
        "info": "note",
    }
    for result in run["results"]:
        # every result has exactly one physical location with a relative URI
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not artifact["uri"].startswith(("/", "file:"))
        assert location["physicalLocation"]["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["iamlintFingerprint/v1"]
        assert "primaryLocationLineHash" not in result["partialFingerprints"]
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == levels[result["properties"]["severity"]]
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["descriptor"]["id"] == "IAM000"
    assert notification["level"] == "error"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_category_option(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        cli, ["scan", "examples", "-f", "sarif", "--sarif-category", "iac/iamlint"]
    )
    assert json.loads(result.stdout)["runs"][0]["automationDetails"]["id"] == "iac/iamlint/"


def test_fingerprints_survive_blank_lines_inserted_above(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = (ROOT / "examples" / "policies" / "deploy-bucket.json").read_text()
    (tmp_path / "p.json").write_text(source)
    before = sarif_of("p.json")["runs"][0]["results"]
    (tmp_path / "p.json").write_text("\n" * 10 + source)
    after = sarif_of("p.json")["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 10 for r in before
    ]


def test_result_limit_keeps_the_most_severe(monkeypatch):
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    rule = all_rules()[3]
    findings = [
        Finding(
            rule.id,
            rule.slug,
            severity,
            "m",
            Location("p.json", line, 1, line, 2),
            element=str(line),
        )
        for line, severity in [(1, "low"), (2, "critical"), (3, "medium"), (4, "high")]
    ]
    report = ScanReport(rules=all_rules(), findings=findings)
    document = json.loads(render("sarif", report, RenderOptions()))
    assert_valid(document)
    run = document["runs"][0]
    assert [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]
    ] == [
        2,
        4,
    ]
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"] == (
        "2 less severe findings were left out: GitHub code scanning keeps only 2 results per run"
    )
