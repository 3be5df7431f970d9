"""IAM's `*` / `?` wildcards as compiled regular expressions.

Not fnmatch: IAM has no `[...]` classes, so brackets are ordinary characters.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=8192)
def compile_wildcard(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    """A regex to `fullmatch` against: `*` is any run of characters, `?` exactly one."""
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile(regex, re.DOTALL | (re.IGNORECASE if ignore_case else 0))
