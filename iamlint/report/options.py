"""How a report is rendered, beyond the findings themselves."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    sarif_category: str = "iamlint"
    verbose: bool = False
