import pytest

from iamlint.model import Element, Location, Unresolved
from iamlint.sources.managed_arn import managed_policy_name

HERE = Location("t", 1, 1, 1, 2)


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
        "arn:aws-cn:iam::aws:policy/AdministratorAccess",
        Unresolved("arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"),
        Unresolved(
            "arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess"
        ),
        "AdministratorAccess",
    ],
)
def test_every_spelling_of_administrator_access(value):
    assert managed_policy_name(Element(value, HERE)) == "AdministratorAccess"


def test_paths_are_skipped():
    element = Element("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", HERE)
    assert managed_policy_name(element) == "ViewOnlyAccess"


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::123456789012:policy/AdministratorAccess",
        Unresolved("${AdminPolicyArn}"),
        Unresolved("arn:aws:iam::${AWS::AccountId}:policy/AdministratorAccess"),
        None,
    ],
)
def test_not_aws_managed(value):
    assert managed_policy_name(Element(value, HERE)) is None
