"""Find the rules shipped in `iamlint.rules` (the top-level `rules/` folder)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from iamlint.rule import Rule


@cache
def all_rules() -> tuple[Rule, ...]:
    """One instance of every rule, sorted by id."""
    import iamlint.rules as package

    rules = []
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        rules.extend(
            cls()
            for cls in vars(module).values()
            if isinstance(cls, type) and issubclass(cls, Rule) and cls.__module__ == module.__name__
        )
    return tuple(sorted(rules, key=lambda rule: rule.id))


def find_rule(name: str) -> Rule | None:
    """A rule by id (any case) or slug."""
    wanted = name.strip().lower()
    for rule in all_rules():
        if rule.id.lower() == wanted or rule.slug == wanted:
            return rule
    return None


def select_rules(select: list[str] | None, ignore: list[str]) -> tuple[Rule, ...]:
    """The rules to run; raises ValueError naming an unknown id or slug."""
    for name in [*(select or []), *ignore]:
        if find_rule(name) is None:
            raise ValueError(f"unknown rule {name!r} (see `iamlint rules`)")
    chosen = {find_rule(name).id for name in select} if select else {r.id for r in all_rules()}
    chosen -= {find_rule(name).id for name in ignore}
    return tuple(rule for rule in all_rules() if rule.id in chosen)
