"""Hostile and broken input: never crash, never hang, never lose a finding, never execute.

`cases/` holds one file (or one `*.module` Terraform directory) per committed case;
inputs too large to commit (a 50 MB file, 100,000-deep nesting) are generated here.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from iamlint import limits
from iamlint.cli import main
from iamlint.config import Config, ConfigError, load_config
from iamlint.registry import all_rules
from iamlint.rule import Rule
from iamlint.scan import ScanReport, scan

CASES = Path(__file__).parent / "cases"
RULES = tuple(all_rules())
ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
BUDGET = 2.0  # seconds: a bound on runaway behaviour, not a performance target


def _scan(*paths: Path, config: Config | None = None, rules=RULES) -> ScanReport:
    return scan([str(p) for p in paths], rules, config=config)


def _findings(report: ScanReport) -> list[tuple[str, str, int]]:
    return [(f.rule_id, Path(f.location.file).name, f.location.line) for f in report.findings]


def _errors(report: ScanReport) -> list[tuple[str, int, str]]:
    return [(Path(e.file).name, e.line, e.message) for e in report.errors]


ADMIN = "IAM002"
BINARY = "binary file (it holds NUL bytes): not read"

# case -> (findings as (rule, file name, line), errors as (file name, line, message))
EXPECTED = {
    # encodings
    "utf8-bom.json": ([(ADMIN, "utf8-bom.json", 4)], []),
    "utf16-le-bom.json": ([(ADMIN, "utf16-le-bom.json", 4)], []),
    "utf16-be-bom.json": ([(ADMIN, "utf16-be-bom.json", 4)], []),
    "utf16-le-bom.cfn.yaml": ([(ADMIN, "utf16-le-bom.cfn.yaml", 10)], []),
    "utf16-bom.module": ([(ADMIN, "main.tf", 7)], []),
    "crlf.json": ([(ADMIN, "crlf.json", 4)], []),
    "crlf.cfn.yaml": ([(ADMIN, "crlf.cfn.yaml", 10)], []),
    "crlf.module": ([(ADMIN, "main.tf", 7)], []),
    "invalid-utf8.json": ([], [("invalid-utf8.json", 4, "the file is not valid UTF-8")]),
    "binary.json": ([], [("binary.json", 1, BINARY)]),
    "binary.cfn.yaml": ([], [("binary.cfn.yaml", 1, BINARY)]),
    "binary.module": ([], [("main.tf", 1, BINARY)]),
    "empty.json": ([], []),
    "empty.cfn.yaml": ([], []),
    "empty.module": ([], []),
    # limits
    "billion-laughs.cfn.yaml": (
        [],
        [
            (
                "billion-laughs.cfn.yaml",
                10,
                "YAML aliases expand to more than 10000 nodes (limits.max_alias_nodes)",
            )
        ],
    ),
    # malformed but real
    "unknown-tags.cfn.yaml": ([(ADMIN, "unknown-tags.cfn.yaml", 16)], []),
    "resources-list.cfn.yaml": (
        [],
        [
            (
                "resources-list.cfn.yaml",
                3,
                "Resources must map logical ids to resources: the template is not read",
            )
        ],
    ),
    "duplicate-keys.json": (
        [("IAM019", "duplicate-keys.json", 7), (ADMIN, "duplicate-keys.json", 7)],
        [],
    ),
    "duplicate-keys.cfn.yaml": (
        [("IAM019", "duplicate-keys.cfn.yaml", 11), (ADMIN, "duplicate-keys.cfn.yaml", 11)],
        [],
    ),
    "statement-object.json": ([(ADMIN, "statement-object.json", 5)], []),
    "action-number.json": ([("IAM019", "action-number.json", 6)], []),
    "principal-bare-string.json": ([("IAM019", "principal-bare-string.json", 6)], []),
    "syntax-error.module": (
        [(ADMIN, "admin.tf", 7)],
        [("broken.tf", 3, "invalid HCL: unexpected '}'")],
    ),
    "unknown-function.module": ([("IAM003", "main.tf", 7)], []),
    "unbalanced-heredoc.module": ([], [("main.tf", 3, "invalid HCL: unexpected '<<EOT'")]),
    "plan-format-2.json": ([(ADMIN, "plan-format-2.json", 8)], []),
    "plan-unknown-shape.json": (
        [],
        [
            (
                "plan-unknown-shape.json",
                3,
                "not a Terraform plan as `terraform show -json` writes it: "
                "planned_values.root_module.resources must be a list",
            )
        ],
    ),
    "file-outside-tree.module": ([], []),
    # the Action is left unknown, so only the missing Version is reported
    "string-doubling.module": ([("IAM020", "main.tf", 14)], []),
    "list-doubling.module": ([("IAM020", "main.tf", 17)], []),
    # found by the fuzzer: each use of a local replayed its references, 10**12 of them
    "unknown-reference-doubling.module": ([("IAM020", "main.tf", 17)], []),
}


def test_every_committed_case_has_an_expectation():
    assert sorted(EXPECTED) == sorted(p.name for p in CASES.iterdir())


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_case(case):
    findings, errors = EXPECTED[case]
    started = time.monotonic()
    report = _scan(CASES / case)
    assert time.monotonic() - started < BUDGET
    assert (_findings(report), _errors(report)) == (findings, errors)


def test_duplicate_keys_are_reported_as_iam019_and_the_last_value_is_linted():
    report = _scan(CASES / "duplicate-keys.json")
    (duplicate,) = [f for f in report.findings if f.rule_id == "IAM019"]
    assert duplicate.message == "duplicate key 'Action': IAM rejects the document"


def test_unknown_yaml_tags_are_never_constructed(tmp_path):
    marker = Path("/tmp/iamlint-pwned")
    marker.unlink(missing_ok=True)
    _scan(CASES / "unknown-tags.cfn.yaml")
    assert not marker.exists()


def test_file_and_templatefile_never_read_outside_the_scanned_tree():
    report = _scan(CASES / "file-outside-tree.module")
    assert [(n.location.line, n.text, n.reason) for n in report.unresolved] == [
        (3, 'file("/etc/passwd")', _not_known("absolute")),
        (8, 'file("${path.module}/../../../../../../etc/passwd")', _not_known("parent")),
        (13, 'templatefile("../outside.json.tpl", {})', _not_known("template")),
    ]


def _not_known(name: str) -> str:
    return f"the policy document of aws_iam_policy.{name} is not known statically"


def test_values_built_past_the_limits_are_left_unknown():
    report = _scan(CASES / "list-doubling.module")
    assert {(n.location.line, n.reason) for n in report.unresolved} == {
        (11, "concat() gives a value larger than the limits")
    }
    report = _scan(CASES / "string-doubling.module")
    assert [n.location.line for n in report.unresolved] == [11]


# -- generated inputs: each finishes quickly with a clear error ------------------------


def test_many_distinct_heredoc_markers_cost_one_pass(tmp_path):
    (tmp_path / "main.tf").write_text("".join(f"x{i} = <<M{i}\n" for i in range(40_000)))
    report = _timed_scan(tmp_path)
    assert _errors(report) == [("main.tf", 1, "invalid HCL: unexpected '<<M0'")]


def _timed_scan(path: Path, config: Config | None = None) -> ScanReport:
    started = time.monotonic()
    report = _scan(path, config=config)
    assert time.monotonic() - started < BUDGET
    return report


def test_a_50_mb_file_is_not_read(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("w") as handle:
        handle.write('{"Version": "2012-10-17", "Statement": [')
        handle.write(" " * (50 * 1024 * 1024))
        handle.write("]}")
    report = _timed_scan(path)
    assert _errors(report) == [
        ("huge.json", 1, "the file is larger than 5242880 bytes (limits.max_file_bytes): not read")
    ]


def test_a_large_data_file_that_is_not_iac_is_skipped_without_an_error(tmp_path):
    path = tmp_path / "package-lock.json"
    path.write_text(json.dumps({"packages": ["x" * 100] * 60_000}))
    report = _timed_scan(path)
    assert (report.errors, report.files_skipped) == ([], 1)


def test_100000_deep_json_is_an_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"Statement": ' + "[" * 100_000 + "]" * 100_000 + "}")
    report = _timed_scan(path)
    assert _errors(report) == [
        ("deep.json", 1, "invalid JSON: nested deeper than 100 levels (limits.max_depth)")
    ]
    assert report.errors[0].column == 114


def test_100000_deep_yaml_is_an_error(tmp_path):
    path = tmp_path / "deep.cfn.yaml"
    path.write_text("Resources:\n  X: " + "[" * 100_000 + "]" * 100_000 + "\n")
    report = _timed_scan(path)
    assert [(name, line) for name, line, _ in _errors(report)] == [("deep.cfn.yaml", 2)]
    assert "nest" in report.errors[0].message


def test_yaml_deeper_than_the_limit_is_an_error(tmp_path):
    path = tmp_path / "deep.cfn.yaml"
    path.write_text("Resources:\n  X: " + "[" * 150 + "]" * 150 + "\n")
    report = _timed_scan(path)
    assert _errors(report) == [
        ("deep.cfn.yaml", 2, "nested deeper than 100 levels (limits.max_depth)")
    ]


def test_self_referencing_yaml_alias_is_an_error(tmp_path):
    path = tmp_path / "loop.cfn.yaml"
    path.write_text("Resources: &r\n  X: [*r]\n")
    report = _timed_scan(path)
    assert _errors(report) == [
        ("loop.cfn.yaml", 2, "nested deeper than 100 levels (limits.max_depth)")
    ]


def test_100000_deep_hcl_is_an_error(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  policy = ' + "[" * 100_000 + "]" * 100_000 + "\n}\n"
    )
    report = _timed_scan(tmp_path)
    assert _errors(report) == [("main.tf", 2, "nested deeper than 100 levels (limits.max_depth)")]


def test_brackets_inside_hcl_strings_do_not_count_towards_the_depth():
    assert limits.too_deep('x = "' + "[" * 500 + '"\ny = [[1]]', 2) is None
    assert limits.too_deep("y = [[[1]]]", 2) == 6


def _policy_file(path: Path, statements: list[dict]) -> None:
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=1))


def test_a_policy_over_the_statement_limit_is_not_linted(tmp_path):
    statement = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    _policy_file(tmp_path / "many.json", [statement] * 1001)
    report = _timed_scan(tmp_path / "many.json")
    assert (_findings(report), _errors(report)) == (
        [],
        [
            (
                "many.json",
                1,
                "the policy has 1001 statements, more than limits.max_statements (1000): "
                "the file is not linted",
            )
        ],
    )


def test_a_policy_over_the_element_limit_is_not_linted(tmp_path):
    actions = [f"s3:Get{i}" for i in range(10_001)]
    _policy_file(tmp_path / "wide.json", [{"Effect": "Allow", "Action": actions, "Resource": "*"}])
    report = _timed_scan(tmp_path / "wide.json")
    assert _errors(report) == [
        (
            "wide.json",
            1,
            "the policy has 10002 elements, more than limits.max_elements (10000): "
            "the file is not linted",
        )
    ]


def test_limits_come_from_the_configuration_file(tmp_path):
    config_path = tmp_path / ".iamlint.yaml"
    config_path.write_text("limits:\n  max_file_bytes: 100\n  time_budget_seconds: 0.5\n")
    config = load_config(str(config_path))
    assert config.limits == limits.Limits(max_file_bytes=100, time_budget_seconds=0.5)
    _policy_file(tmp_path / "admin.json", ADMIN_POLICY["Statement"] * 3)
    report = _scan(tmp_path / "admin.json", config=config)
    assert _errors(report) == [
        ("admin.json", 1, "the file is larger than 100 bytes (limits.max_file_bytes): not read")
    ]


def test_limits_in_pyproject_toml(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.iamlint.limits]\nmax_depth = 20\ntime_budget_seconds = 2.5\n")
    assert load_config(str(pyproject)).limits == limits.Limits(
        max_depth=20, time_budget_seconds=2.5
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("limits: 5", "limits must map limit names"),
        ("limits:\n  max_size: 5", "limits: unknown limit 'max_size'"),
        ("limits:\n  max_depth: 0", "limits.max_depth must be a positive whole number"),
        ("limits:\n  max_depth: 2.5", "limits.max_depth must be a positive whole number"),
        ("limits:\n  max_depth: true", "limits.max_depth must be a positive whole number"),
        ("limits:\n  time_budget_seconds: -1", "limits.time_budget_seconds must be a positive"),
    ],
)
def test_bad_limits_are_configuration_errors(tmp_path, text, message):
    config_path = tmp_path / ".iamlint.yaml"
    config_path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        load_config(str(config_path))


def test_a_file_over_the_time_budget_is_reported_and_skipped_and_the_others_are_linted(tmp_path):
    slow = tmp_path / "slow"
    slow.mkdir()
    resource = 'resource "aws_iam_policy" "p{i}" {{\n  policy = jsonencode({{ a = [{i}] }})\n}}\n'
    (slow / "main.tf").write_text("".join(resource.format(i=i) for i in range(3000)))
    _policy_file(tmp_path / "admin.json", ADMIN_POLICY["Statement"])
    config = Config(limits=limits.Limits(time_budget_seconds=0.2))
    started = time.monotonic()
    report = _scan(tmp_path, config=config)
    assert time.monotonic() - started < BUDGET + 1
    assert _findings(report) == [(ADMIN, "admin.json", 6)]
    assert _errors(report) == [
        (
            "main.tf",
            1,
            "skipped: reading and linting took longer than 0.2 s (limits.time_budget_seconds)",
        )
    ]


def test_the_time_budget_is_skipped_off_the_main_thread():
    import threading

    ran = []
    thread = threading.Thread(target=lambda: ran.append(_run_under_deadline()))
    thread.start()
    thread.join()
    assert ran == [True]


def _run_under_deadline() -> bool:
    with limits.deadline(0.001):
        time.sleep(0.01)
    return True


# -- discovery and symbolic links ------------------------------------------------------


def test_symbolic_link_loops_end(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    _policy_file(tree / "admin.json", ADMIN_POLICY["Statement"])
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "self.json").symlink_to(tree / "self.json")
    report = _timed_scan(tree)
    assert (_findings(report), _errors(report)) == ([(ADMIN, "admin.json", 6)], [])


def test_symbolic_links_out_of_the_tree_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    _policy_file(outside / "admin.json", ADMIN_POLICY["Statement"])
    tree = tmp_path / "tree"
    (tree / "module").mkdir(parents=True)
    (tree / "linked.json").symlink_to(outside / "admin.json")
    (tree / "linked-dir").symlink_to(outside, target_is_directory=True)
    (tree / "inside.json").symlink_to(tree / "module" / "policy.json")
    _policy_file(tree / "module" / "policy.json", ADMIN_POLICY["Statement"])
    (outside / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  policy = file("${path.module}/admin.json")\n}\n'
    )
    (tree / "module" / "main.tf").symlink_to(outside / "main.tf")
    report = _scan(tree)
    assert _findings(report) == [(ADMIN, "inside.json", 6), (ADMIN, "policy.json", 6)]
    assert report.errors == []


def test_file_does_not_follow_a_symbolic_link_out_of_the_tree(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    _policy_file(outside / "admin.json", ADMIN_POLICY["Statement"])
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "policy.json").symlink_to(outside / "admin.json")
    (tree / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  policy = file("${path.module}/policy.json")\n}\n'
    )
    report = _scan(tree / "main.tf")
    assert (_findings(report), _errors(report)) == ([], [])
    assert [n.reason for n in report.unresolved] == [_not_known("p")]


# -- isolation ---------------------------------------------------------------------------


class _Crashing(Rule):
    id, slug, severity, title = "IAM999", "crashing", "high", "crashes"

    def check(self, inventory, settings):
        raise ZeroDivisionError("boom")


def test_a_crashing_rule_is_an_error_naming_rule_and_file_and_everything_else_runs(tmp_path):
    _policy_file(tmp_path / "a.json", ADMIN_POLICY["Statement"])
    _policy_file(tmp_path / "b.json", ADMIN_POLICY["Statement"])
    report = _scan(tmp_path, rules=(_Crashing(), *RULES))
    assert _findings(report) == [(ADMIN, "a.json", 6), (ADMIN, "b.json", 6)]
    assert _errors(report) == [
        ("a.json", 1, "internal error in rule IAM999: ZeroDivisionError: boom"),
        ("b.json", 1, "internal error in rule IAM999: ZeroDivisionError: boom"),
    ]


def _crash_in(monkeypatch, module, name):
    def crash(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(module, name, crash)


def test_a_crashing_source_is_an_error_and_the_other_files_are_linted(tmp_path, monkeypatch):
    from iamlint.sources import raw_policy

    _crash_in(monkeypatch, raw_policy, "load_policy")
    _policy_file(tmp_path / "admin.json", ADMIN_POLICY["Statement"])
    (tmp_path / "main.tf").write_text((CASES / "crlf.module" / "main.tf").read_text())
    report = _scan(tmp_path)
    assert _findings(report) == [(ADMIN, "main.tf", 7)]
    assert _errors(report) == [
        ("admin.json", 1, "internal error while reading the file: ZeroDivisionError: boom")
    ]


def _cli(capsys, monkeypatch, directory: Path, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(directory)
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "--jobs", "1", *args, "."])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def test_internal_errors_exit_1_and_debug_prints_the_traceback(tmp_path, monkeypatch, capsys):
    from iamlint.sources import raw_policy

    _crash_in(monkeypatch, raw_policy, "load_policy")
    _policy_file(tmp_path / "admin.json", ADMIN_POLICY["Statement"])
    code, out, err = _cli(capsys, monkeypatch, tmp_path, "--fail-on", "critical")
    assert code == 1
    assert "internal error while reading the file: ZeroDivisionError: boom" in out
    assert "Traceback" not in err
    code, out, err = _cli(capsys, monkeypatch, tmp_path, "--debug")
    assert code == 1
    assert err.startswith(
        "iamlint: admin.json: internal error while reading the file: ZeroDivisionError: boom\n"
        "Traceback (most recent call last):\n"
    )
    assert err.rstrip().endswith("ZeroDivisionError: boom")


# -- never fetch, never execute ----------------------------------------------------------


def test_a_scan_of_the_whole_corpus_opens_no_socket_and_runs_no_process(monkeypatch):
    corpus = Path("/work/shared/corpus")
    if not corpus.is_dir():
        corpus = Path(__file__).parents[1] / "fixtures"

    def refuse(*args, **kwargs):
        raise AssertionError("iamlint tried to reach the network or run a program")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setattr(os, "execv", refuse)
    monkeypatch.setattr(os, "execve", refuse)
    report = _scan(corpus)
    assert report.files_scanned > 100
    assert report.findings
    assert not [e for e in report.errors if "internal error" in e.message]


# -- one broken and one vulnerable file per format -------------------------------------

VULNERABLE = {
    "policy.json": (CASES / "utf8-bom.json").read_bytes(),
    "stack.cfn.yaml": (CASES / "crlf.cfn.yaml").read_bytes(),
    "stack.template.json": json.dumps(
        {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                "Admin": {
                    "Type": "AWS::IAM::ManagedPolicy",
                    "Properties": {"PolicyDocument": ADMIN_POLICY},
                }
            },
        },
        indent=2,
    ).encode(),
    "tf/main.tf": (CASES / "crlf.module" / "main.tf").read_bytes(),
    "tfjson/main.tf.json": json.dumps(
        {"resource": {"aws_iam_policy": {"admin": {"policy": json.dumps(ADMIN_POLICY)}}}},
        indent=2,
    ).encode(),
    "plan.json": (CASES / "plan-format-2.json").read_bytes(),
}
BROKEN = {
    "broken-policy.json": b'{"Version": "2012-10-17", "Statement": [',
    "broken.cfn.yaml": b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [\n",
    "broken.template.json": b'{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {',
    "tf/broken.tf": b'resource "aws_iam_policy" "b" {\n  policy = jsonencode({\n',
    "tfjson/broken.tf.json": b'{"resource": {"aws_iam_policy": ',
    "broken-plan.json": b'{"format_version": "1.2", "planned_values": {',
}


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def test_broken_files_hide_no_finding_of_the_vulnerable_files_next_to_them(tmp_path):
    alone = tmp_path / "alone"
    _write(alone, VULNERABLE)
    expected = _findings(_scan(alone))
    assert len(expected) == len(VULNERABLE)
    mixed = tmp_path / "mixed"
    _write(mixed, {**VULNERABLE, **BROKEN})
    report = _scan(mixed)
    assert _findings(report) == expected
    assert sorted(Path(e.file).name for e in report.errors) == sorted(
        Path(name).name for name in BROKEN
    )


def test_line_endings_survive_checkout():
    """tests/hostile/.gitattributes keeps the cases byte for byte."""
    assert (CASES / "crlf.json").read_bytes().count(b"\r\n") == 6
