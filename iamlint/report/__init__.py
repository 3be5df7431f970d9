"""Turn a scan report into text for people or machines. Reports never decide anything."""

from __future__ import annotations

from collections.abc import Callable

from iamlint.report import github, gitlab, json_report, sarif, text
from iamlint.report.options import RenderOptions
from iamlint.scan import ScanReport

FORMATS: dict[str, Callable[[ScanReport, RenderOptions], str]] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "gitlab": gitlab.render,
}


def render(output_format: str, report: ScanReport, options: RenderOptions) -> str:
    return FORMATS[output_format](report, options)
