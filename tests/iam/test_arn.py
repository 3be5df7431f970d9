from __future__ import annotations

import pytest

from iamlint.iam.arn import Arn, arn_matches, is_service_wide, is_valid_resource, parse_arn


def test_parse_arn_splits_five_colons_and_keeps_resource_whole() -> None:
    assert parse_arn("arn:aws:s3:::bucket/key:with:colons") == Arn(
        "aws", "s3", "", "", "bucket/key:with:colons"
    )
    assert parse_arn("arn:aws:iam::123456789012:role/admin") == Arn(
        "aws", "iam", "", "123456789012", "role/admin"
    )


def test_parse_arn_keeps_variables_with_colons_whole() -> None:
    assert parse_arn("arn:${AWS::Partition}:s3:::${BucketName}/*") == Arn(
        "${AWS::Partition}", "s3", "", "", "${BucketName}/*"
    )
    assert parse_arn("arn:aws:iam::${AWS::AccountId}:role/x") == Arn(
        "aws", "iam", "", "${AWS::AccountId}", "role/x"
    )


@pytest.mark.parametrize("text", ["*", "arn:aws:s3", "arn:aws:s3::", "ARN:aws:s3:::b", "b", ""])
def test_parse_arn_rejects_non_arns(text: str) -> None:
    assert parse_arn(text) is None


def test_parse_arn_accepts_empty_parts() -> None:
    assert parse_arn("arn:aws:s3:::") == Arn("aws", "s3", "", "", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*", True),
        ("arn:aws:s3:::bucket", True),
        ("arn:aws:s3:::bucket/*", True),
        ("arn:*:s3:::*", True),
        ("arn:aws:iam::123456789012:role/*", True),
        ("arn:aws:s3:::", False),
        ("arn::s3:::bucket", False),
        ("arn:aws::::bucket", False),
        ("arn:aws:s3", False),
        ("bucket", False),
        ("", False),
        ("**", False),
    ],
)
def test_is_valid_resource(text: str, expected: bool) -> None:
    assert is_valid_resource(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*", True),
        ("arn:aws:s3:::*", True),
        ("arn:aws:iam::123456789012:*", True),
        ("arn:*:*:*:*:*", True),
        ("arn:aws:s3:::*/*", False),
        ("arn:aws:s3:::bucket", False),
        ("arn:aws:iam::123456789012:role/*", False),
        ("bucket", False),
    ],
)
def test_is_service_wide(text: str, expected: bool) -> None:
    assert is_service_wide(text) is expected


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("*", "arn:aws:s3:::bucket", True),
        ("*", "*", True),
        ("*", "not an arn", True),
        ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket", True),
        ("arn:aws:s3:::bucket", "arn:aws:s3:::Bucket", False),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False),
        ("arn:aws:s3:::buck?t", "arn:aws:s3:::bucket", True),
        ("arn:aws:s3:::*", "arn:aws:s3:::bucket/key", True),
        ("arn:aws:iam::*:role/x", "arn:aws:iam::123456789012:role/x", True),
        ("arn:*:iam::123456789012:role/*", "arn:aws-cn:iam::123456789012:role/a", True),
        # A wildcard in the first five segments does not cross a colon.
        ("arn:aws:*:role/x", "arn:aws:iam::123456789012:role/x", False),
        ("arn:aws:iam:*:role/x", "arn:aws:iam::123456789012:role/x", False),
        ("arn:aws:s3*:::b", "arn:aws:s3:::b", True),
        ("arn:aws:iam::123456789012:role/*", "arn:aws:iam::123456789012:user/a", False),
        # A value with `*` is taken literally: only a pattern that covers it matches.
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/*", True),
        ("arn:aws:s3:::*", "arn:aws:s3:::bucket/*", True),
        ("arn:aws:s3:::bucket/a", "arn:aws:s3:::bucket/*", False),
        ("arn:aws:s3:::bucket", "*", False),
        ("arn:aws:s3:::bucket", "arn:aws:s3:::*", False),
        # Brackets are not character classes.
        ("arn:aws:s3:::[ab]", "arn:aws:s3:::a", False),
        ("arn:aws:s3:::[ab]", "arn:aws:s3:::[ab]", True),
    ],
)
def test_arn_matches(pattern: str, value: str, expected: bool) -> None:
    assert arn_matches(pattern, value) is expected
