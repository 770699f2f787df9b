"""Text encoding: detect it from a sample and hand the readers clean UTF-8.

Exports from spreadsheet tools are often Windows-1252 (German Excel) or UTF-16;
everything else is UTF-8, sometimes with a byte-order mark and sometimes with a
few broken bytes. :class:`Utf8Stream` turns any of these into valid UTF-8 while
streaming, replacing undecodable bytes by U+FFFD so that one bad row cannot stop
the file; the validator then quarantines exactly the rows that contain U+FFFD.

>>> detect_encoding("Grüße".encode("cp1252")), detect_encoding("Grüße".encode())
('cp1252', 'utf-8')
>>> import io
>>> Utf8Stream(io.BytesIO(b"caf\\xe9 ok"), "utf-8").read()
b'caf\\xef\\xbf\\xbd ok'
"""

from __future__ import annotations

import codecs
import io
import re
import struct
from typing import BinaryIO

import pyarrow as pa

__all__ = ["REPLACEMENT", "Utf8Stream", "detect_encoding", "is_valid_utf8"]

#: The character that marks undecodable bytes.
REPLACEMENT = "\ufffd"

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_READ_SIZE = 1024 * 1024
_REPLACEMENT_BYTES = REPLACEMENT.encode("utf-8")


def _complete_utf8_prefix(data: bytes) -> int:
    """Length of the longest prefix of ``data`` that does not end inside a UTF-8 sequence."""
    end = len(data)
    for back in range(1, min(4, end) + 1):
        byte = data[end - back]
        if byte < 0x80:
            return end
        if byte >= 0xC0:  # lead byte: is its sequence complete?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return end if back >= need else end - back
    return end


def is_valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, checked by Arrow without building a Python string.

    >>> is_valid_utf8("Grüße 😀".encode()), is_valid_utf8(b"Gr\\xfc\\xdfe")
    (True, False)
    """
    if data.isascii():
        return True
    offsets = pa.py_buffer(struct.pack("<ii", 0, len(data)))
    try:
        pa.Array.from_buffers(pa.string(), 1, [None, offsets, pa.py_buffer(data)]).validate(
            full=True
        )
    except pa.ArrowInvalid:
        return False
    return True


def detect_encoding(sample: bytes) -> str:
    """``utf-8`` unless the sample clearly is UTF-16 or a single-byte Windows encoding."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    cut = _complete_utf8_prefix(sample)
    try:
        sample[:cut].decode("utf-8")
    except UnicodeDecodeError:
        # Invalid UTF-8. If it has no valid multi-byte sequence at all, it is a
        # single-byte export (umlauts as one byte); otherwise UTF-8 with damage.
        return "utf-8" if _UTF8_MULTIBYTE.search(sample) else "cp1252"
    return "utf-8"


class Utf8Stream(io.RawIOBase):
    """Read ``raw`` in ``encoding`` and serve valid UTF-8 bytes without a byte-order mark.

    Input is read in 1 MiB pieces into one reusable buffer, so memory stays at about
    the size of the largest read asked for plus one piece.
    """

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        self._raw = raw
        self._utf8 = codecs.lookup(encoding).name == "utf-8"
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._carry = b""
        self._buffer = bytearray()
        self._position = 0
        self._started = False
        self._eof = False
        #: Whether any U+FFFD has been served so far (replaced bytes or already in the input).
        self.saw_replacement = False

    def readable(self) -> bool:
        return True

    def _convert(self, data: bytes, final: bool) -> bytes:
        if not self._utf8:
            out = self._decoder.decode(data, final).encode("utf-8")
        else:
            if self._carry:
                data = self._carry + data
            cut = len(data) if final else _complete_utf8_prefix(data)
            out, self._carry = (data, b"") if cut == len(data) else (data[:cut], data[cut:])
            if not is_valid_utf8(out):
                out = out.decode("utf-8", errors="replace").encode("utf-8")
        if not self.saw_replacement and _REPLACEMENT_BYTES in out:
            self.saw_replacement = True
        return out

    def _fill(self, size: int) -> None:
        if self._position and self._position * 2 >= len(self._buffer):
            del self._buffer[: self._position]
            self._position = 0
        while len(self._buffer) - self._position < size and not self._eof:
            data = self._raw.read(_READ_SIZE)
            self._eof = not data
            out = self._convert(data, final=self._eof)
            if not self._started and out:
                self._started = True
                out = out.removeprefix(b"\xef\xbb\xbf")
            self._buffer += out

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = 1 << 62
        self._fill(size)
        end = min(len(self._buffer), self._position + size)
        with memoryview(self._buffer) as view:
            data = view[self._position : end].tobytes()
        self._position = end
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        target = memoryview(buffer).cast("B")
        data = self.read(target.nbytes)
        target[: len(data)] = data
        return len(data)
