"""Turn a scan report into text for people or machines. Reports never decide anything."""

from __future__ import annotations

from collections.abc import Callable

from iamlint.report import json_report, text
from iamlint.scan import ScanReport

FORMATS: dict[str, Callable[[ScanReport, bool], str]] = {
    "text": text.render,
    "json": json_report.render,
}
