"""Raster image sizes read from their headers, never by decoding pixels.

A 41 KB PNG can declare 16000x16000 pixels (1 GB once decoded) and a JPEG 65535x65535, so
the size of every raster a renderer may decode is read here first and bounded by the
caller. Pure functions on bytes: PNG (IHDR), JPEG (the SOF segment), GIF (logical screen and
every frame) and WebP (VP8, VP8L and VP8X headers).
"""

from __future__ import annotations

import contextlib
import struct
from dataclasses import dataclass
from typing import Literal

from badgeforge.core.errors import InvalidImage

RasterKind = Literal["PNG", "JPEG", "GIF", "WebP"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Start-of-frame markers: baseline, extended, progressive, lossless, hierarchical, arithmetic.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


@dataclass(frozen=True, slots=True)
class RasterSize:
    """The format and pixel size a raster declares."""

    kind: RasterKind
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


def raster_size(data: bytes) -> RasterSize | None:
    """Return the format and size declared by a PNG, JPEG, GIF or WebP header.

    None when the bytes end before a size is declared: no decoder can draw anything from
    them. Raises InvalidImage when the bytes are none of these formats or declare an empty
    image. Nothing is decompressed.
    """
    try:
        size = _read(data)
    except (struct.error, IndexError):
        return None
    if size.width <= 0 or size.height <= 0:
        raise InvalidImage(f"embedded {size.kind} image declares a zero width or height")
    return size


def _read(data: bytes) -> RasterSize:
    if data.startswith(_PNG_SIGNATURE):
        if len(data) < 24:
            raise IndexError
        if data[12:16] != b"IHDR":
            raise InvalidImage("embedded PNG image does not start with an IHDR chunk")
        width, height = struct.unpack_from(">II", data, 16)
        return RasterSize("PNG", width, height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _gif(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    raise InvalidImage("embedded image is not a PNG, JPEG, GIF or WebP image")


def _jpeg(data: bytes) -> RasterSize:
    position = 2
    while True:
        if data[position] != 0xFF:
            raise InvalidImage("embedded JPEG image is corrupt: marker expected")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no frame header before
            raise InvalidImage("embedded JPEG image has no frame header")
        (length,) = struct.unpack_from(">H", data, position + 2)
        if marker in _JPEG_SOF:
            height, width = struct.unpack_from(">HH", data, position + 5)
            return RasterSize("JPEG", width, height)
        if length < 2:
            raise InvalidImage("embedded JPEG image is corrupt: segment length")
        position += 2 + length


def _gif(data: bytes) -> RasterSize:
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    position = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    with contextlib.suppress(struct.error, IndexError):  # a cut-off frame is never drawn
        while data[position] != 0x3B:  # trailer
            if data[position] == 0x21:  # extension: label, then sub-blocks
                position = _skip_sub_blocks(data, position + 2)
            elif data[position] == 0x2C:  # image descriptor: a frame may exceed the screen
                left, top, frame_width, frame_height, frame_flags = struct.unpack_from(
                    "<HHHHB", data, position + 1
                )
                width = max(width, left + frame_width)
                height = max(height, top + frame_height)
                position += 10
                if frame_flags & 0x80:
                    position += 3 << ((frame_flags & 7) + 1)
                position = _skip_sub_blocks(data, position + 1)  # after the LZW code size
            else:
                raise InvalidImage("embedded GIF image is corrupt: unknown block")
    return RasterSize("GIF", width, height)


def _skip_sub_blocks(data: bytes, position: int) -> int:
    while data[position] != 0:
        position += data[position] + 1
    return position + 1


def _webp(data: bytes) -> RasterSize:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        if len(data) < 30:
            raise IndexError
    elif chunk == b"VP8L":
        (bits,) = struct.unpack_from("<I", data, 21)
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif chunk == b"VP8 ":
        width, height = struct.unpack_from("<HH", data, 26)
        width, height = width & 0x3FFF, height & 0x3FFF
    else:
        raise InvalidImage("embedded WebP image has an unknown header")
    return RasterSize("WebP", width, height)
