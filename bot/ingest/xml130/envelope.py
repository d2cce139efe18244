"""Stream the HOSOs out of a GIAMDINHHS submission envelope in bounded memory.

The envelope is read with `iterparse`; each HOSO is handed over as soon as its closing
tag is read and then removed from the tree, so only one HOSO is ever held. The content
of an XML6 (HIV/AIDS) table is dropped unread the moment its FILEHOSO closes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from bot.ingest.xml130.tables import local_name

ROOT_TAG = "GIAMDINHHS"
HIV_TABLE = "XML6"
_CHUNK = 64 * 1024
STREAM_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile)
"""What reading a file or a zip member may raise (a truncated or corrupt archive, say)."""


class EnvelopeError(Exception):
    """The submission file itself is unreadable (not a GIAMDINHHS envelope, broken XML)."""


@dataclass(slots=True)
class RawHoso:
    """One HOSO as read: its tables still base64-encoded, XML6 only counted."""

    index: int
    tables: list[tuple[str, str]] = field(default_factory=list)
    hiv_tables: int = 0


class CountingReader:
    """A binary stream wrapper that counts the bytes read (for progress)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        """Read like the wrapped stream, counting."""
        data = self._stream.read(_CHUNK if size is None or size < 0 else size)
        self.bytes_read += len(data)
        return data


class EnvelopeReader:
    """Iterate over the HOSOs of one submission; `facility_code` and `declared_count` fill in."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.source = CountingReader(stream)
        self.facility_code: str | None = None
        self.declared_count: int | None = None
        self._hoso: RawHoso | None = None
        self._count = 0

    def __iter__(self) -> Iterator[RawHoso]:
        stack: list[ET.Element] = []
        try:
            for event, element in ET.iterparse(self.source, events=("start", "end")):
                if event == "start":
                    self._on_start(element, stack)
                    stack.append(element)
                    continue
                stack.pop()
                hoso = self._on_end(element, stack)
                if hoso is not None:
                    yield hoso
        except ET.ParseError as error:
            raise EnvelopeError(f"malformed envelope XML ({error})") from None
        except STREAM_ERRORS as error:
            raise EnvelopeError(f"cannot be read ({type(error).__name__}: {error})") from None

    def _on_start(self, element: ET.Element, stack: list[ET.Element]) -> None:
        tag = local_name(element.tag)
        if not stack and tag != ROOT_TAG:
            raise EnvelopeError(f"not a {ROOT_TAG} submission (root element {tag})")
        if tag == "HOSO":
            self._count += 1
            self._hoso = RawHoso(self._count)

    def _on_end(self, element: ET.Element, stack: list[ET.Element]) -> RawHoso | None:
        tag = local_name(element.tag)
        if tag == "FILEHOSO" and self._hoso is not None:
            _take_table(element, self._hoso)
            _discard(element, stack)
        elif tag == "HOSO":
            hoso, self._hoso = self._hoso, None
            _discard(element, stack)
            return hoso
        elif tag == "MACSKCB" and len(stack) == 2:
            self.facility_code = (element.text or "").strip() or None
        elif tag == "SOLUONGHOSO":
            text = (element.text or "").strip()
            self.declared_count = int(text) if text.isdigit() else None
        elif tag == "CHUKYDONVI":
            _discard(element, stack)
        return None


def _child_text(element: ET.Element, name: str) -> str:
    for child in element:
        if local_name(child.tag) == name:
            return child.text or ""
    return ""


def _take_table(element: ET.Element, hoso: RawHoso) -> None:
    kind = _child_text(element, "LOAIHOSO").strip().upper()
    if kind == HIV_TABLE:
        hoso.hiv_tables += 1
    else:
        hoso.tables.append((kind, _child_text(element, "NOIDUNGFILE")))


def _discard(element: ET.Element, stack: list[ET.Element]) -> None:
    element.clear()
    if stack:
        stack[-1].remove(element)
