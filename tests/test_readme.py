"""The README stays true: its rule table is generated and its quick start is the real one."""

import re
from pathlib import Path

from iamlint.registry import all_rules
from iamlint.ruledocs import rule_table, with_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_rule_table_is_up_to_date():
    assert with_table(README) == README, "run: python -m iamlint.ruledocs README.md"


def test_rule_table_lists_every_rule():
    table = rule_table()
    for rule in all_rules():
        assert f"| {rule.id} | `{rule.slug}` | {rule.severity} |" in table


def test_quick_start_has_exactly_the_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    assert commands == [
        "pip install . && iamlint scan examples/",
        "pip install -e '.[test]' && python -m pytest",
    ]


def test_ci_runs_the_readme_test_install():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]'" in ci
    assert "python -m pytest" in ci
