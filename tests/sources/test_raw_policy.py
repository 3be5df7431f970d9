import pytest

from iamlint.model import PolicyKind, PrincipalType
from iamlint.sources.jsonpos import loads
from iamlint.sources.raw_policy import load_policy

IDENTITY = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",'
    ' "Resource": "*"}]}'
)
TRUST = (
    '{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},'
    ' "Action": "sts:AssumeRole"}]}'
)
RESOURCE = (
    '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",'
    ' "Resource": "arn:aws:s3:::b/*"}]}'
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (IDENTITY, PolicyKind.IDENTITY),
        (TRUST, PolicyKind.TRUST),
        (RESOURCE, PolicyKind.RESOURCE),
        (
            '{"PolicyVersion": {"Document": ' + IDENTITY + ', "VersionId": "v1"}}',
            PolicyKind.IDENTITY,
        ),
        ('{"PolicyDocument": ' + IDENTITY + "}", PolicyKind.IDENTITY),
        ('{"AssumeRolePolicyDocument": ' + TRUST + "}", PolicyKind.TRUST),
    ],
)
def test_documents_and_wrappers_are_classified(text, kind):
    policy = load_policy(loads(text, "p.json"))
    assert policy.kind is kind
    assert len(policy.statements) == 1


def test_files_without_a_statement_are_not_policies():
    assert load_policy(loads('{"name": "app"}', "package.json")) is None
    assert load_policy(loads("[1, 2]", "list.json")) is None


def test_statement_elements_are_read_with_positions():
    policy = load_policy(loads(RESOURCE, "r.json"))
    (statement,) = policy.statements
    assert statement.is_allow
    assert [p.type for p in statement.principals] == [PrincipalType.ANY]
    assert statement.actions[0].text == "s3:GetObject"
    assert statement.actions[0].location.column == 64
    assert statement.resources[0].text == "arn:aws:s3:::b/*"


def test_a_single_statement_object_is_accepted():
    policy = load_policy(
        loads('{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}', "s.json")
    )
    assert [s.is_deny for s in policy.statements] == [True]
    assert policy.problems == ()


def test_structural_defects_become_problems():
    text = (
        '{"Version": "2012-10-17", "Extra": 1, "Statement": [\n'
        '  "not an object",\n'
        '  {"Effect": "Allow", "Action": {"x": 1}, "Resource": "*", "Bogus": 2,'
        ' "Effect": "Deny"}\n'
        "]}"
    )
    policy = load_policy(loads(text, "bad.json"))
    assert [(p.message, p.location.line) for p in policy.problems] == [
        ("unknown top-level key 'Extra'", 1),
        ("a statement must be a JSON object", 2),
        ("Action must be a string or a list of strings", 3),
        ("unknown statement key 'Bogus'", 3),
        ("duplicate key 'Effect': IAM rejects the document", 3),
    ]
    assert policy.statements[0].is_deny
