"""Open a mention source: a file path (optionally gzip), standard input or a binary file object.

The format comes from the suffix (``.csv``/``.tsv``, ``.jsonl``/``.ndjson``/``.json``,
``.parquet``, each optionally ``.gz``) or from ``fmt``; standard input and unknown
suffixes are recognised by their first bytes. The first bytes are read once as a
*sample* (for sniffing) and pushed back, so standard input is never read twice.

>>> import io
>>> src = open_source(io.BytesIO(b'{"text": "hi"}\\n'))
>>> src.name, src.fmt, src.stream.read()
('<stdin>', 'jsonl', b'{"text": "hi"}\\n')
"""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal, cast

from warning.errors import InputError, UsageError

__all__ = ["FORMATS", "Format", "OpenedSource", "PrefixedStream", "Source", "open_source"]

Format = Literal["csv", "jsonl", "parquet"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl", "parquet")
Source = str | Path | BinaryIO

SAMPLE_BYTES = 64 * 1024

_SUFFIX_FORMATS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_SNIFFED_SUFFIXES = {"", ".txt", ".dat", ".log", ".out"}


class PrefixedStream(io.RawIOBase):
    """A readable stream that serves ``prefix`` first, then the rest of ``rest``."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        target = memoryview(buffer).cast("B")
        if self._prefix.nbytes:
            n = min(target.nbytes, self._prefix.nbytes)
            target[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(target.nbytes)
        target[: len(data)] = data
        return len(data)


@dataclass
class OpenedSource:
    """An open source, decompressed, positioned at its first byte."""

    name: str
    fmt: Format
    stream: BinaryIO
    sample: bytes
    path: Path | None = None
    compressed: bool = False
    _closers: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def on_close(self, close: Callable[[], None]) -> None:
        """Run ``close`` when the source is closed (last registered, first run)."""
        self._closers.append(close)

    def close(self) -> None:
        for close in reversed(self._closers):
            close()
        self._closers.clear()


def _read_sample(stream: BinaryIO) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < SAMPLE_BYTES:
        data = stream.read(SAMPLE_BYTES - size)
        if not data:
            break
        chunks.append(data)
        size += len(data)
    return b"".join(chunks)


def _format_from_name(name: str) -> tuple[Format | None, str]:
    """(format or None, the suffix that decided) for a file name; ``.gz`` is looked through."""
    suffix = Path(name.lower().removesuffix(".gz")).suffix
    return _SUFFIX_FORMATS.get(suffix), suffix


def sniff_format(sample: bytes) -> Format | None:
    """Guess the format from the first bytes; ``None`` for binary files we cannot read.

    >>> sniff_format(b"PAR1...."), sniff_format(b'  {"a": 1}'), sniff_format(b"id;text\\n")
    ('parquet', 'jsonl', 'csv')
    >>> sniff_format(b"PK\\x03\\x04 excel") is None
    True
    """
    if sample.startswith(b"PAR1"):
        return "parquet"
    binary = sample.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in sample[:4096]
    if binary and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 has NULs too
        return None
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "jsonl"
    return "csv"


def _check_fmt(fmt: str | None) -> Format | None:
    if fmt is None:
        return None
    value = fmt.strip().lower()
    aliases: dict[str, Format] = {"ndjson": "jsonl", "json": "jsonl", "tsv": "csv", "pq": "parquet"}
    value = aliases.get(value, value)
    if value not in FORMATS:
        raise UsageError(
            f"The 'format' option must be one of csv, jsonl, parquet. Got {fmt!r} instead."
        )
    return value


def open_source(source: Source, fmt: str | None = None) -> OpenedSource:
    """Open ``source`` for reading; ``"-"`` is standard input.

    Raises :class:`~warning.errors.InputError` (one line naming the file) when
    the file is missing, unreadable or not one of the supported formats.
    """
    chosen = _check_fmt(fmt)
    closers: list[Callable[[], None]] = []
    path: Path | None = None
    if isinstance(source, str | Path) and str(source) != "-":
        path = Path(source)
        name = str(path)
        if not path.exists():
            raise InputError(f"{name}: no such file")
        if path.is_dir():
            raise InputError(f"{name}: is a directory, not a mention file")
        by_name, suffix = _format_from_name(path.name)
        if chosen is None and by_name is None and suffix not in _SNIFFED_SUFFIXES:
            raise InputError(
                f"{name}: unreadable format {suffix!r}; give CSV, JSON Lines or Parquet "
                "(or name the format with --format)"
            )
        chosen = chosen or by_name
        try:
            raw: BinaryIO = path.open("rb")
        except OSError as err:
            raise InputError(f"{name}: cannot open ({err.strerror or err})") from None
        closers.append(raw.close)
    else:
        name = "<stdin>"
        raw = sys.stdin.buffer if isinstance(source, str | Path) else source
    try:
        head = raw.read(2)
        body = cast(BinaryIO, PrefixedStream(head, raw))
        if head == b"\x1f\x8b":
            zipped = gzip.GzipFile(fileobj=body, mode="rb")
            closers.append(zipped.close)
            stream = cast(BinaryIO, zipped)
        else:
            stream = body
        sample = _read_sample(stream)
    except (OSError, EOFError) as err:
        for close in reversed(closers):
            close()
        raise InputError(f"{name}: cannot read ({err})") from None
    sniffed = sniff_format(sample)
    if chosen is None:
        if sniffed is None:
            for close in reversed(closers):
                close()
            raise InputError(
                f"{name}: unreadable format (binary data such as an Excel or ZIP file); "
                "export the mentions as CSV, JSON Lines or Parquet"
            )
        chosen = sniffed
    rebuilt = cast(BinaryIO, io.BufferedReader(PrefixedStream(sample, stream), 1024 * 1024))
    compressed = head == b"\x1f\x8b"
    return OpenedSource(name, chosen, rebuilt, sample, path, compressed, closers)
