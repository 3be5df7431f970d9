from iamlint.model import Unresolved
from iamlint.sources.cloudformation import loads_yaml
from iamlint.sources.cloudformation.intrinsics import Resolver
from iamlint.sources.nodes import Choice

TEMPLATE = """
Parameters:
  Bucket: {Type: String, Default: logs}
  NoDefault: {Type: String}
  Names: {Type: CommaDelimitedList, Default: "a, b"}
Mappings:
  Env: {prod: {Account: "111122223333"}}
Resources:
  R: {Type: AWS::S3::Bucket}
Values:
  ref: !Ref Bucket
  list: !Ref Names
  no_default: !Ref NoDefault
  pseudo: !Ref AWS::Region
  resource: !Ref R
  sub: !Sub arn:aws:s3:::${Bucket}/*
  sub_partial: !Sub "arn:${AWS::Partition}:s3:::${NoDefault}/*"
  sub_vars: !Sub ["arn:aws:s3:::${B}", {B: !Ref Bucket}]
  sub_escape: !Sub "${!Literal}-${Bucket}"
  join: !Join [":", [a, !Ref Bucket]]
  join_partial: !Join ["", ["arn:", !Ref AWS::Partition, ":iam::aws:policy/X"]]
  select: !Select [1, !Split [",", "x,y,z"]]
  map: !FindInMap [Env, prod, Account]
  getatt: !GetAtt R.Arn
  imported: !ImportValue shared
  base64: !Base64 plain
  scalar_if: !If [C, one, two]
  list_if: [a, !If [C, b, !Ref AWS::NoValue], !Ref AWS::NoValue]
  gone: !Ref AWS::NoValue
"""


def resolved():
    root = loads_yaml(TEMPLATE, "t.yaml")
    return Resolver(root).resolve(root.get("Values"))


def test_resolved_values():
    values = resolved().to_python()
    assert values["ref"] == "logs"
    assert values["list"] == ["a", "b"]
    assert values["sub"] == "arn:aws:s3:::logs/*"
    assert values["sub_vars"] == "arn:aws:s3:::logs"
    assert values["sub_escape"] == "${Literal}-logs"
    assert values["join"] == "a:logs"
    assert values["select"] == "y"
    assert values["map"] == "111122223333"
    assert values["base64"] == "plain"
    assert values["scalar_if"] == ["one", "two"]
    assert values["list_if"] == ["a", "b"]
    assert "gone" not in values


def test_unknown_values_keep_readable_text():
    values = resolved().to_python()
    assert values["no_default"] == Unresolved("${NoDefault}", "parameter NoDefault has no default")
    assert values["pseudo"].source == "${AWS::Region}"
    assert values["resource"].source == "${R}"
    assert values["sub_partial"].source == "arn:${AWS::Partition}:s3:::${NoDefault}/*"
    assert values["join_partial"].source == "arn:${AWS::Partition}:iam::aws:policy/X"
    assert values["getatt"].source == "${R.Arn}"
    assert values["imported"].source == "Fn::ImportValue(shared)"


def test_each_if_branch_keeps_its_own_position():
    node = resolved().get("scalar_if")
    assert [(item.value, item.location.line, item.location.column) for item in node.items()] == [
        ("one", 27, 22),
        ("two", 27, 27),
    ]


def test_sub_value_is_located_at_the_sub_string():
    node = resolved().get("sub")
    assert (node.location.line, node.location.column) == (16, 13)


def test_if_over_scalars_is_a_choice_and_a_list_with_one_branch_removed_is_not():
    values = resolved()
    assert isinstance(values.get("scalar_if"), Choice)
    assert values.get("scalar_if").source == "one or two"
    assert not isinstance(values.get("list_if"), Choice)


def test_statements_of_an_if_branch_are_deployed_only_under_its_condition():
    template = loads_yaml(
        "Statement:\n"
        "  - {Effect: Allow, Action: s3:GetObject, Resource: '*'}\n"
        "  - !If [Strict, {Effect: Deny, Action: 's3:*', Resource: '*'}, !Ref AWS::NoValue]\n"
        "  - !If [Strict, {Effect: Allow, Action: sqs:*}, {Effect: Deny, Action: sqs:*}]\n"
        "Effect: !If [Strict, Deny, Allow]\n",
        "t.yaml",
    )
    values = Resolver(template).resolve(template)
    statements = values.get("Statement").items()
    assert [(s.get("Effect").value, getattr(s, "requires", None)) for s in statements] == [
        ("Allow", None),
        ("Deny", {("Strict", True)}),
        ("Allow", {("Strict", True)}),
        ("Deny", {("Strict", False)}),
    ]
    effect = values.get("Effect")
    assert (effect.source, [item.value for item in effect.items()]) == (
        "Deny or Allow",
        ["Deny", "Allow"],
    )
