"""The cheap pre-filter: a YAML or JSON file without any key a source reads is not decoded,
and skipping it never changes a report."""

from pathlib import Path

import pytest

from iamlint.registry import all_rules
from iamlint.report import render
from iamlint.report.options import RenderOptions
from iamlint.scan import scan
from iamlint.sources import cloudformation, jsonpos, loader

TESTS = Path(__file__).resolve().parent.parent
CORPUS = TESTS.parent.parent / "shared" / "corpus"
OPTIONS = RenderOptions(color=False, sarif_category="iamlint", verbose=True)


def _report(path: Path) -> str:
    report = scan([str(path)], all_rules(), warn_unused_suppressions=True)
    return render("json", report, OPTIONS) + repr(report.notices) + repr(report.files_skipped)


@pytest.mark.parametrize(
    "tree",
    [TESTS / "fixtures", CORPUS],
    ids=["fixtures", "corpus"],
)
def test_the_filter_never_changes_a_report(tree, monkeypatch):
    if not tree.is_dir():
        pytest.skip(f"{tree} is not present")
    filtered = _report(tree)
    monkeypatch.setattr(loader, "may_hold_iac", lambda text: True)
    assert _report(tree) == filtered


def test_the_corpus_has_files_the_filter_skips():
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not present")
    skipped = [
        path
        for path in sorted(CORPUS.rglob("*"))
        if path.suffix in (".json", ".yaml", ".yml")
        and not loader.may_hold_iac(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert len(skipped) > 50  # KICS expected-result files, manifests


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n"),
        ("package.json", '{"name": "app", "dependencies": {"express": "^4"}}'),
        ("broken.yaml", "a: [unclosed\n"),
        ("broken.json", '{"name": '),
    ],
)
def test_a_file_without_markers_is_not_decoded(tmp_path, monkeypatch, name, text):
    def fail(*_):
        raise AssertionError("decoded")

    monkeypatch.setattr(cloudformation, "loads_yaml", fail)
    monkeypatch.setattr(jsonpos, "loads", fail)
    (tmp_path / name).write_text(text)
    loaded = loader.load_file(str(tmp_path / name), name)
    assert loaded == loader.Loaded(loader.Inventory(), supported=False)


@pytest.mark.parametrize(
    "text",
    [
        '{"Statement": []}',
        "Resources: {}\n",
        "AWSTemplateFormatVersion: '2010-09-09'\n",
        '{"format_version": "1.2"}',
        '{"PolicyDocument": ',
        '{"planned_values": ',
        '{"Res\\u006furces": {}}',
    ],
)
def test_a_file_with_a_marker_or_an_escape_is_decoded(text):
    assert loader.may_hold_iac(text)
