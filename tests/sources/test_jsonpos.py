import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamlint import limits
from iamlint.model import Location
from iamlint.sources.jsonpos import JSONPositionError, loads

DOC = """{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["s3:*", 1, true, null], "Resource": "*"}]
}"""


def test_every_token_keeps_its_span():
    root = loads(DOC, "p.json")
    assert root.location == Location("p.json", 1, 1, 4, 2)
    assert root.get("Version").location == Location("p.json", 2, 14, 2, 26)
    statement = root.get("Statement").items()[0]
    actions = statement.get("Action").items()
    assert [(a.value, a.location.line, a.location.column) for a in actions] == [
        ("s3:*", 3, 48),
        (1, 3, 56),
        (True, 3, 59),
        (None, 3, 65),
    ]
    assert statement.key_node("Resource").location.column == 72


def test_duplicate_keys_are_kept_and_the_last_wins():
    root = loads('{"a": 1, "a": 2}', "d.json")
    assert [k.value for k, _ in root.pairs()] == ["a", "a"]
    assert root.get("a").value == 2


def test_crlf_line_endings_keep_line_numbers():
    root = loads('{\r\n"a":\r\n  "b"\r\n}', "c.json")
    assert root.get("a").location.line == 3
    assert root.get("a").location.column == 3


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ('{"a":1,}', 1, 8, "unexpected '}' after a comma"),
        ('{"a" 1}', 1, 6, "expected ':' after an object key"),
        ("[1 2]", 1, 4, "expected ',' or a closing bracket"),
        ("", 1, 1, "the file holds no JSON value"),
        ("{}x", 1, 3, "invalid JSON near 'x'"),
        ('{"a":\n  nope}', 2, 3, "invalid JSON near 'nope}'"),
        (
            "[\n1,\n",
            3,
            1,
            "unexpected end of file: the bracket opened at line 1, column 1 is never closed",
        ),
        ("{1: 2}", 1, 2, "expected a double-quoted object key"),
    ],
)
def test_errors_name_line_and_column(text, line, column, message):
    with pytest.raises(JSONPositionError) as error:
        loads(text, "bad.json")
    assert (error.value.line, error.value.column, error.value.message) == (line, column, message)


def test_deep_nesting_does_not_recurse():
    depth = 50_000
    with limits.using(limits.Limits(max_depth=depth)):
        root = loads("[" * depth + "]" * depth, "deep.json")
    assert root.is_seq


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_decodes_what_the_standard_library_encodes(value):
    assert loads(json.dumps(value, indent=1), "h.json").to_python() == value
