"""Builders for model objects in iam/ tests."""

from __future__ import annotations

from iamlint.model import Condition, Element, Location, Scalar, Statement

LOC = Location("t", 1, 1, 1, 1)


def el(value: Scalar) -> Element:
    return Element(value, LOC)


def elements(values: tuple[Scalar, ...] | None) -> tuple[Element, ...] | None:
    return None if values is None else tuple(el(v) for v in values)


def cond(operator: Scalar, key: Scalar, *values: Scalar) -> Condition:
    return Condition(el(operator), el(key), tuple(el(v) for v in values))


def stmt(
    effect: Scalar,
    actions: tuple[Scalar, ...] | None = None,
    resources: tuple[Scalar, ...] | None = None,
    *,
    not_actions: tuple[Scalar, ...] | None = None,
    not_resources: tuple[Scalar, ...] | None = None,
    conditions: tuple[Condition, ...] = (),
    index: int = 0,
) -> Statement:
    return Statement(
        location=LOC,
        index=index,
        effect=el(effect),
        actions=elements(actions),
        not_actions=elements(not_actions),
        resources=elements(resources),
        not_resources=elements(not_resources),
        conditions=conditions,
    )
