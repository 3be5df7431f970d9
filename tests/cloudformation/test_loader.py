import json

from iamlint import limits
from iamlint.model import ParseError
from iamlint.sources.loader import load_file

TEMPLATE = {"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}


def _load(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_file(str(path), name)


def test_json_template_goes_to_cloudformation(tmp_path):
    loaded = _load(tmp_path, "stack.template.json", json.dumps(TEMPLATE))
    assert loaded.supported
    assert [b.name for b in loaded.inventory.blocks] == ["Q"]


def test_json_template_with_a_template_suffix(tmp_path):
    loaded = _load(tmp_path, "stack.template", json.dumps(TEMPLATE))
    assert [b.name for b in loaded.inventory.blocks] == ["Q"]


def test_yaml_that_is_not_a_template_is_unsupported(tmp_path):
    assert not _load(tmp_path, "ci.yml", "jobs: {build: {runs-on: ubuntu}}\n").supported
    assert not _load(tmp_path, "broken.yml", "a: [\n").supported


def test_broken_template_is_a_parse_error_at_its_line(tmp_path):
    text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: {Type: x\n"
    loaded = _load(tmp_path, "bad.yaml", text)
    (error,) = loaded.inventory.errors
    assert isinstance(error, ParseError)
    assert (error.file, error.line) == ("bad.yaml", 4)
    assert error.message.startswith("invalid YAML")


def test_metadata_suppressions_cover_the_resource(tmp_path):
    text = (
        "Resources:\n"
        "  Q:\n"
        "    Type: AWS::SQS::Queue\n"
        "    Metadata:\n"
        "      iamlint:\n"
        "        ignore: [{id: IAM013, reason: public by design}]\n"
    )
    (suppression,) = _load(tmp_path, "t.yaml", text).inventory.suppressions
    assert suppression.rule_ids == ("IAM013",)
    assert suppression.reason == "public by design"
    assert (suppression.scope.line, suppression.scope.end_line) == (2, 7)


def test_deeply_nested_template_is_an_error_not_a_crash(tmp_path):
    deep = "[" * 5000 + "]" * 5000
    text = json.dumps({"Resources": {"P": {"Type": "AWS::SNS::TopicPolicy", "Properties": "@"}}})
    # past the default limits.max_depth the decoder stops first; past the recursion limit too
    with limits.using(limits.Limits(max_depth=10_000)):
        loaded = _load(tmp_path, "deep.json", text.replace('"@"', deep))
    (error,) = loaded.inventory.errors
    assert error.message == "the template is nested too deeply to read"
