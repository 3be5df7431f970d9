import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from iamlint.model import Location
from iamlint.sources.cloudformation import DecodeError, decode, loads_yaml


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


def test_block_nesting_deeper_than_the_limit_stops_at_the_line_that_goes_too_deep():
    text = "a:\n" + "".join(" " * level + "b:\n" for level in range(1, 5000))
    with pytest.raises(DecodeError) as raised:
        loads_yaml(text, "t.yaml")
    assert raised.value.message == "nested deeper than 100 levels (limits.max_depth)"
    assert (raised.value.line, raised.value.column) == (100, 100)


def test_without_libyaml_the_pure_python_parser_gives_the_same_tree_and_limit():
    # PyYAML wheels without libyaml exist; the decoder must behave the same on them.
    program = textwrap.dedent(
        """
        import sys
        sys.modules["yaml._yaml"] = None
        from iamlint.sources.cloudformation import DecodeError, loads_yaml
        from iamlint.sources.cloudformation import decode
        print(decode._Loader.__mro__[1].__name__)
        print(loads_yaml("A: !GetAtt Role.Arn\\n", "t.yaml").to_python())
        try:
            loads_yaml("X: " + "[" * 1000 + "]" * 1000, "t.yaml")
        except DecodeError as error:
            print(error.message, error.line, error.column)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == [
        "Reader",
        "{'A': {'Fn::GetAtt': ['Role', 'Arn']}}",
        "nested deeper than 100 levels (limits.max_depth) 1 103",
    ]


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CORPUS_YAML = sorted(
    path
    for path in CORPUS.rglob("*")
    if path.suffix in (".yaml", ".yml", ".template") and path.is_file()
)


def _depth(node: yaml.Node, seen: frozenset[int] = frozenset()) -> int:
    if id(node) in seen or isinstance(node, yaml.ScalarNode):
        return 1
    children = node.value if isinstance(node, yaml.SequenceNode) else sum(node.value, ())
    return 1 + max((_depth(child, seen | {id(node)}) for child in children), default=0)


def test_the_c_and_the_bounded_composer_give_the_same_tree_on_the_corpus():
    assert len(CORPUS_YAML) > 100
    for path in CORPUS_YAML:
        text = path.read_text(encoding="utf-8")
        try:
            fast = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            continue
        bounded = decode._Loader(text).get_single_node()
        if fast is None:
            assert bounded is None
            continue
        lines = text.splitlines()
        assert _depth(fast) <= decode.nesting_bound(text, lines), path
        convert = decode._Converter(lines, path.name).convert
        assert convert(fast) == convert(bounded), path


def test_a_wide_document_past_the_bound_for_the_c_composer_still_decodes():
    text = "X: [" + "[a], " * 1200 + "{b: c}]\n"
    assert decode.nesting_bound(text, text.splitlines()) > decode.C_COMPOSER_MAX_DEPTH
    root = loads_yaml(text, "t.yaml")
    assert root.get("X").to_python() == [["a"]] * 1200 + [{"b": "c"}]


@pytest.mark.parametrize(
    "text",
    [
        "a:\n  - - - [x, {y: [z]}]\n  - b:\n    - c: d\n",
        "k:\n- l:\n  - m:\n    - n: [[[o]]]\n",
        "? - a\n  - b\n: c\n",
    ],
)
def test_the_nesting_bound_holds_for_compact_block_forms(text):
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert _depth(root) <= decode.nesting_bound(text, text.splitlines())


def test_byte_order_marks_at_line_starts_do_not_hide_block_nesting():
    text = "x:\n\ufeff" + "- " * 3000 + "a\n"
    assert decode.nesting_bound(text, text.splitlines()) > decode.C_COMPOSER_MAX_DEPTH
    with pytest.raises(DecodeError) as raised:
        loads_yaml(text, "t.yaml")
    assert raised.value.message == "nested deeper than 100 levels (limits.max_depth)"
