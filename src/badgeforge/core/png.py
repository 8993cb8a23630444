"""The PNG container: walking chunks with their CRCs checked, and building new chunks.

Pure functions on bytes; nothing is decompressed or decoded here. ``badgeforge.core.images``
inspects PNG badges with these helpers and ``badgeforge.core.baking`` splices text chunks.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import NamedTuple

from badgeforge.core.errors import InvalidImage

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNK_LENGTH = 0x7FFF_FFFF
"""Largest chunk data length the PNG specification allows (2**31 - 1 bytes)."""


class PngChunk(NamedTuple):
    """Offsets of one PNG chunk inside the file: ``start`` is its length field."""

    type: bytes
    start: int
    data_start: int
    data_end: int

    @property
    def end(self) -> int:
        """Offset just past the chunk's CRC."""
        return self.data_end + 4


def chunk_crc(chunk_type: bytes, data: bytes | memoryview) -> int:
    """Return the CRC-32 a PNG chunk stores: over its type code and its data."""
    return zlib.crc32(data, zlib.crc32(chunk_type))


def build_png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    """Return a complete chunk: length, type, `data` and CRC.

    Raises ValueError for data longer than MAX_CHUNK_LENGTH.
    """
    if len(data) > MAX_CHUNK_LENGTH:
        raise ValueError(f"a PNG chunk holds at most {MAX_CHUNK_LENGTH} bytes")
    crc = chunk_crc(chunk_type, data)
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def iter_png_chunks(data: bytes) -> Iterator[PngChunk]:
    """Yield the chunks from IHDR through IEND, checking signature, lengths and every CRC.

    Nothing is decompressed. Raises InvalidImage on a non-PNG, truncated or corrupt file;
    bytes after IEND are ignored.
    """
    if not data.startswith(PNG_SIGNATURE):
        raise InvalidImage("not a PNG file (the PNG signature is missing)")
    view = memoryview(data)
    position, size = len(PNG_SIGNATURE), len(data)
    while True:
        if position + 8 > size:
            raise InvalidImage("PNG file is truncated: it ends before its IEND chunk")
        length, chunk_type = struct.unpack_from(">I4s", data, position)
        name = chunk_type.decode("latin-1")
        if length > MAX_CHUNK_LENGTH or not chunk_type.isalpha():
            raise InvalidImage(f"PNG file is corrupt: bad chunk header at byte {position}")
        data_start = position + 8
        data_end = data_start + length
        if data_end + 4 > size:
            raise InvalidImage(f"PNG file is truncated inside its {name!r} chunk")
        (crc,) = struct.unpack_from(">I", data, data_end)
        if chunk_crc(chunk_type, view[data_start:data_end]) != crc:
            raise InvalidImage(f"PNG file is corrupt: the {name!r} chunk has a wrong CRC")
        if position == len(PNG_SIGNATURE) and chunk_type != b"IHDR":
            raise InvalidImage("PNG file is corrupt: it does not start with an IHDR chunk")
        yield PngChunk(chunk_type, position, data_start, data_end)
        if chunk_type == b"IEND":
            return
        position = data_end + 4
