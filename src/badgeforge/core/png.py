"""The PNG container: walking chunks with their CRCs checked, rebuilding and building chunks.

Pure functions on bytes; nothing is decompressed or decoded here. ``badgeforge.core.images``
inspects PNG badges with these helpers, uploads are stored as ``sanitize_png`` rebuilds them
and ``badgeforge.core.baking`` splices its text chunk into a sanitised container.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import NamedTuple

from badgeforge.core.errors import InvalidImage, PngChunkTooLarge

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNK_LENGTH = 0x7FFF_FFFF
"""Largest chunk data length the PNG specification allows (2**31 - 1 bytes)."""

CRITICAL_CHUNKS = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
"""The critical chunks PNG defines; a file with any other critical chunk is refused."""

SAFE_ANCILLARY_CHUNKS = frozenset(
    {b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"cICP", b"sBIT", b"pHYs", b"bKGD"}
)
"""Ancillary chunks ``sanitize_png`` keeps: how the pixels are to be shown, nothing else.

Transparency (tRNS), colour space (gAMA, cHRM, sRGB, iCCP, cICP), significant bits (sBIT),
pixel size (pHYs) and background colour (bKGD): fixed binary fields (iCCP: a named ICC
profile) that change how the same pixels look, so dropping them would alter the badge. The
PNG specification places all of them before the first IDAT; one found later is dropped.
Everything else goes: text of any kind (tEXt, zTXt, iTXt: metadata, and any ``openbadges``
or ``openbadgecredential`` chunk, whatever its case), eXIf (camera and GPS data), tIME,
hIST, sPLT, APNG animation (acTL, fcTL, fdAT: the IDAT image stays, as a still picture) and
every private or unknown ancillary chunk.
"""


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

    Raises PngChunkTooLarge for data longer than MAX_CHUNK_LENGTH.
    """
    if len(data) > MAX_CHUNK_LENGTH:
        raise PngChunkTooLarge(f"a PNG chunk holds at most {MAX_CHUNK_LENGTH} bytes")
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


def sanitize_png(data: bytes) -> bytes:
    """Return `data` rebuilt as a clean PNG container whose pixels are byte-for-byte the same.

    Kept, in their original order and bytes: IHDR, PLTE, every IDAT and the
    SAFE_ANCILLARY_CHUNKS found before the first IDAT; then an empty IEND. Dropped: every
    other ancillary chunk (so no text chunk, hence no foreign Open Badges data, survives)
    and any bytes after IEND. The image data is never decompressed or re-encoded.

    Raises InvalidImage for what no conforming decoder would show the same way: a non-PNG,
    truncated or corrupt file (see iter_png_chunks), an IHDR that is not 13 bytes or is
    repeated, an unknown critical chunk, a misplaced or repeated PLTE, IDAT chunks that are
    not consecutive, or no IDAT at all.
    """
    view = memoryview(data)
    pieces: list[bytes | memoryview] = [PNG_SIGNATURE]
    idat_seen = idat_ended = plte_seen = False
    for chunk in iter_png_chunks(data):
        kind = chunk.type
        if idat_seen and kind != b"IDAT":
            idat_ended = True
        _check_structure(chunk, idat_seen=idat_seen, idat_ended=idat_ended, plte_seen=plte_seen)
        plte_seen = plte_seen or kind == b"PLTE"
        idat_seen = idat_seen or kind == b"IDAT"
        if kind in (b"IHDR", b"PLTE", b"IDAT") or (kind in SAFE_ANCILLARY_CHUNKS and not idat_seen):
            pieces.append(view[chunk.start : chunk.end])
    if not idat_seen:
        raise InvalidImage("PNG file has no image data (IDAT chunk)")
    pieces.append(build_png_chunk(b"IEND", b""))
    return b"".join(pieces)


def _check_structure(
    chunk: PngChunk, *, idat_seen: bool, idat_ended: bool, plte_seen: bool
) -> None:
    kind, name = chunk.type, chunk.type.decode("latin-1")
    if kind == b"IHDR" and (
        chunk.start != len(PNG_SIGNATURE) or chunk.data_end - chunk.data_start != 13
    ):
        raise InvalidImage("PNG file is corrupt: it needs exactly one 13-byte IHDR chunk")
    if kind == b"PLTE" and (plte_seen or idat_seen):
        raise InvalidImage(
            "PNG file is corrupt: its PLTE chunk is repeated or after the image data"
        )
    if kind == b"IDAT" and idat_ended:
        raise InvalidImage("PNG file is corrupt: its IDAT chunks are not consecutive")
    if is_critical(kind) and kind not in CRITICAL_CHUNKS:
        raise InvalidImage(f"PNG file has an unknown critical chunk {name!r}, which viewers refuse")


def is_critical(chunk_type: bytes) -> bool:
    """Whether a chunk type is critical: its first letter is upper case (bit 5 clear)."""
    return not chunk_type[0] & 0x20
