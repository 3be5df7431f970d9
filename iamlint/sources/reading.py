"""Read a scanned file's bytes within the size limit and decode them to text.

UTF-8 with or without a byte order mark and UTF-16 with one are read; a file
holding NUL bytes (and no UTF-16 mark) is binary and is not read.
"""

from __future__ import annotations

import codecs

from iamlint import limits

_SNIFF_BYTES = 8192


class Unreadable(ValueError):
    """A file that is not read. When `skippable` (too large, not UTF-8) `head` holds its
    bytes (the first few kilobytes of a file over the size limit), to tell whether it
    looks like infrastructure code."""

    def __init__(
        self, message: str, line: int = 1, head: bytes = b"", skippable: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.head = head
        self.skippable = skippable  # a file of another kind would fail the same way


def read_bytes(path: str) -> bytes:
    """The file's bytes; `Unreadable` when it is larger than `limits.max_file_bytes`
    (only that much is ever read) or cannot be opened."""
    limit = limits.current().max_file_bytes
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror}") from None
    if len(data) > limit:
        raise Unreadable(
            f"the file is larger than {limit} bytes (limits.max_file_bytes): not read",
            head=data[:_SNIFF_BYTES],
            skippable=True,
        )
    return data


def decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("the file is not valid UTF-16") from None
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise Unreadable("binary file (it holds NUL bytes): not read")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise Unreadable("the file is not valid UTF-8", line, data, skippable=True) from None


def read_text(path: str) -> str:
    return decode(read_bytes(path))
