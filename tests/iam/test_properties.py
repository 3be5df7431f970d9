"""Properties of matching and evaluation over real catalogue names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iamlint.iam.arn import arn_matches
from iamlint.iam.catalogue import service_actions
from iamlint.iam.evaluate import evaluate
from iamlint.iam.patterns import action_matches, expand

from .conftest import cond, stmt

SERVICES = ("s3", "iam", "sts", "kms", "lambda")
ACTIONS = sorted(a.full_name for s in SERVICES for a in service_actions(s).values())

actions = st.sampled_from(ACTIONS)


@st.composite
def patterns_from_actions(draw: st.DrawFn) -> str:
    """A real action with a few random substrings replaced by `*` or `?`."""
    text = draw(actions)
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 6)))
        text = text[:start] + draw(st.sampled_from("*?")) + text[end:]
    return text


def _flip_case(text: str, flips: list[bool]) -> str:
    flips = flips + [False] * (len(text) - len(flips))
    return "".join(ch.swapcase() if flip else ch for ch, flip in zip(text, flips, strict=False))


@settings(max_examples=150, deadline=None)
@given(patterns_from_actions())
def test_pattern_matches_every_action_it_expands_to(pattern: str) -> None:
    expanded = expand(pattern)
    assert all(action_matches(pattern, a.full_name) for a in expanded)
    if ":" in pattern:
        prefix = pattern.partition(":")[0]
        if "*" not in prefix and "?" not in prefix:
            manual = [
                a for a in service_actions(prefix).values() if action_matches(pattern, a.full_name)
            ]
            assert set(expanded) == set(manual)


@settings(max_examples=150, deadline=None)
@given(patterns_from_actions(), actions, st.lists(st.booleans(), max_size=60))
def test_action_matching_ignores_case(pattern: str, action: str, flips: list[bool]) -> None:
    expected = action_matches(pattern, action)
    assert action_matches(_flip_case(pattern, flips), action) is expected
    assert action_matches(pattern, _flip_case(action, flips[::-1])) is expected


ARN_PREFIX = "arn:aws:s3:::"
arn_text = st.text(alphabet=st.sampled_from("abcXYZ019-_/:."), min_size=1, max_size=20).map(
    lambda tail: ARN_PREFIX + tail
)


@settings(max_examples=200, deadline=None)
@given(arn_text, arn_text)
def test_arn_without_wildcards_matches_only_itself(pattern: str, value: str) -> None:
    assert arn_matches(pattern, value) is (pattern == value)
    assert arn_matches(pattern, pattern)


@settings(max_examples=200, deadline=None)
@given(arn_text, st.data())
def test_arn_matching_respects_case(arn: str, data: st.DataObject) -> None:
    letters = [i for i, ch in enumerate(arn) if ch.isalpha()]
    index = data.draw(st.sampled_from(letters))
    flipped = arn[:index] + arn[index].swapcase() + arn[index + 1 :]
    assert not arn_matches(arn, flipped)
    assert not arn_matches(flipped, arn)
    if index >= len(ARN_PREFIX):
        wildcard = arn[: index + 1] + "*"
        assert arn_matches(wildcard, arn)
        assert not arn_matches(wildcard, flipped)


RESOURCES = (
    "*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/key",
    "arn:aws:iam::123456789012:role/app",
    "arn:aws:kms:us-east-1:123456789012:key/k",
)


@st.composite
def statements(draw: st.DrawFn, effect: str) -> object:
    action_patterns = tuple(draw(st.lists(patterns_from_actions() | actions, min_size=1)))
    resource_patterns = tuple(draw(st.lists(st.sampled_from(RESOURCES), min_size=1)))
    conditions = draw(
        st.sampled_from([(), (cond("StringEquals", "aws:SourceAccount", "123456789012"),)])
    )
    if draw(st.booleans()):
        return stmt(effect, action_patterns, resource_patterns, conditions=conditions)
    return stmt(effect, None, resource_patterns, not_actions=action_patterns, conditions=conditions)


@settings(max_examples=150, deadline=None)
@given(
    action=actions,
    resource=st.sampled_from(RESOURCES),
    others=st.lists(statements("Allow") | statements("Deny"), max_size=6),
    deny_action=st.sampled_from(["*", "exact", "service"]),
    position=st.integers(0, 6),
)
def test_unconditioned_matching_deny_always_wins(
    action: str, resource: str, others: list, deny_action: str, position: int
) -> None:
    pattern = {"*": "*", "exact": action, "service": action.split(":")[0] + ":*"}[deny_action]
    deny = stmt("Deny", (pattern,), (resource,))
    statements_ = [*others[:position], deny, *others[position:]]
    decision = evaluate(statements_, action, resource)
    assert not decision.allowed
    assert decision.explicit_deny
    assert decision.statement is not None and decision.statement.is_deny
    assert not decision.statement.conditions
