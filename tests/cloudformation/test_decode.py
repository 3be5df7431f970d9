import pytest

from iamlint.model import Location
from iamlint.sources.cloudformation import DecodeError, loads_yaml


def test_short_tags_become_long_form_with_the_value_token_located():
    root = loads_yaml("A: !Sub 'arn:${X}'\nB: !GetAtt Role.Arn\n", "t.yaml")
    sub = root.get("A")
    assert sub.to_python() == {"Fn::Sub": "arn:${X}"}
    assert sub.location == Location("t.yaml", 1, 4, 1, 19)
    assert sub.get("Fn::Sub").location == Location("t.yaml", 1, 9, 1, 19)
    assert root.get("B").to_python() == {"Fn::GetAtt": ["Role", "Arn"]}


@pytest.mark.parametrize(
    "tag",
    [
        "Ref",
        "Condition",
        "And",
        "Base64",
        "Cidr",
        "Equals",
        "FindInMap",
        "GetAtt",
        "GetAZs",
        "If",
        "ImportValue",
        "Join",
        "Not",
        "Or",
        "Select",
        "Split",
        "Sub",
        "Transform",
    ],
)
def test_every_short_tag_is_understood(tag):
    root = loads_yaml(f"A: !{tag} x\n", "t.yaml")
    name = tag if tag in ("Ref", "Condition") else f"Fn::{tag}"
    assert list(root.get("A").keys()) == [name]


def test_yaml_1_1_spellings_stay_text_and_json_numbers_stay_numbers():
    root = loads_yaml("V: 2012-10-17\nY: yes\nN: 42\nT: true\nZ: ~\nO: 0777\n", "t.yaml")
    assert root.to_python() == {
        "V": "2012-10-17",
        "Y": "yes",
        "N": 42,
        "T": True,
        "Z": None,
        "O": "0777",
    }


def test_python_tags_are_never_constructed():
    root = loads_yaml("A: !!python/object/apply:os.system ['echo hi']\n", "t.yaml")
    assert root.get("A").to_python() == ["echo hi"]


def test_aliases_and_merge_keys():
    root = loads_yaml("a: &x {k: 1}\nb: *x\nc: {<<: *x, j: 2}\n", "t.yaml")
    assert root.to_python() == {"a": {"k": 1}, "b": {"k": 1}, "c": {"k": 1, "j": 2}}


def test_invalid_yaml_reports_the_line():
    with pytest.raises(DecodeError) as error:
        loads_yaml("Resources:\n  A:\n    Type: x\n   bad: [\n", "t.yaml")
    assert error.value.line == 4
    assert error.value.message.startswith("invalid YAML")
