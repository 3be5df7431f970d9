"""The configuration file: discovery, validation, and command-line precedence."""

import json

import pytest
from click.testing import CliRunner

from iamlint.cli import cli
from iamlint.config import Config, ConfigError, IgnoreEntry, find_config, load_config

WILDCARD_S3 = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*",'
    ' "Resource": "*"}]}'
)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_yaml_config_is_found_upward_and_parsed(tmp_path):
    write(
        tmp_path / ".iamlint.yaml",
        "select: [IAM004]\n"
        "ignore:\n  - IAM003\n  - {id: IAM004, path: 'legacy/*.json', reason: frozen}\n"
        "fail_on: High\naccounts: ['111122223333']\noidc_owners: [example-org]\n"
        "exclude: ['vendor/**']\nseverity: {IAM017: medium}\nvar_files: [prod.tfvars]\n",
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    found = find_config(str(nested))
    assert found == str(tmp_path / ".iamlint.yaml")
    assert load_config(found) == Config(
        source=found,
        select=("IAM004",),
        ignore=(IgnoreEntry("IAM003"), IgnoreEntry("IAM004", "legacy/*.json", "frozen")),
        fail_on="high",
        accounts=("111122223333",),
        oidc_owners=("example-org",),
        exclude=("vendor/**",),
        severity={"IAM017": "medium"},
        var_files=("prod.tfvars",),
    )


def test_pyproject_table_counts_only_when_present(tmp_path):
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(str(tmp_path)) is None
    write(tmp_path / "pyproject.toml", "[tool.iamlint]\nfail_on = 'medium'\n")
    found = find_config(str(tmp_path))
    assert load_config(found).fail_on == "medium"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour: red\n", "unknown key 'colour'"),
        ("fail_on: severe\n", "fail_on must be one of critical, high, medium, low, info"),
        ("accounts: ['12345']\n", "accounts: '12345' is not a 12-digit account id"),
        ("select: 3\n", "select must be a list of strings"),
        ("ignore: [{path: x}]\n", "ignore: each entry needs an 'id'"),
        ("severity: {IAM017: urgent}\n", "severity.IAM017 must be one of"),
        ("- a\n- b\n", "the configuration must be a mapping"),
        ("select: [\n", "invalid YAML"),
        ("select: " + "[" * 5000 + "]" * 5000 + "\n", "invalid YAML: nested too deeply"),
    ],
)
def test_bad_keys_and_values_name_the_file_and_key(tmp_path, text, message):
    path = write(tmp_path / ".iamlint.yaml", text)
    with pytest.raises(ConfigError) as error:
        load_config(str(path))
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def scan(tmp_path, *args):
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "-f", "json", *args])
    return result.exit_code, result.stdout, result.stderr


def test_config_drives_the_scan_and_the_command_line_overrides_it(tmp_path):
    write(tmp_path / "p.json", WILDCARD_S3)
    write(tmp_path / ".iamlint.yaml", "ignore: [IAM003]\nfail_on: high\n")
    code, out, _ = scan(tmp_path)
    assert [f["rule_id"] for f in json.loads(out)["findings"]] == ["IAM004"]
    assert code == 0  # IAM004 is medium, below the configured fail_on
    code, out, _ = scan(tmp_path, "--fail-on", "medium", "--ignore", "IAM004")
    assert [f["rule_id"] for f in json.loads(out)["findings"]] == ["IAM003"]
    assert code == 1


def test_severity_override_and_path_ignore(tmp_path):
    write(tmp_path / "legacy" / "p.json", WILDCARD_S3)
    write(tmp_path / "new" / "p.json", WILDCARD_S3)
    write(
        tmp_path / ".iamlint.yaml",
        "severity: {service-wildcard-action: low}\n"
        "ignore: [{id: IAM004, path: '*legacy/*', reason: frozen until Q3}]\n",
    )
    _, out, _ = scan(tmp_path)
    findings = [
        (f["file"].split("/")[-2], f["rule_id"], f["severity"]) for f in json.loads(out)["findings"]
    ]
    assert findings == [
        ("legacy", "IAM003", "low"),
        ("new", "IAM003", "low"),
        ("new", "IAM004", "medium"),
    ]


def test_bad_config_is_a_usage_error(tmp_path):
    write(tmp_path / "p.json", WILDCARD_S3)
    config = write(tmp_path / ".iamlint.yaml", "select: [IAM999]\n")
    code, out, err = scan(tmp_path)
    assert code == 2
    assert out == ""
    assert f"{config}: unknown rule 'IAM999'" in err
