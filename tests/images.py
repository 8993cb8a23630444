"""Small real images for upload tests, made with Pillow, and hostile ones for the renderer."""

import base64
import functools
import io
import struct
import zlib

from PIL import Image


def png_bytes(width: int = 64, height: int = 64, colour: str = "#1d4e89") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(buffer, format="JPEG")
    return buffer.getvalue()


SAFE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">'
    b'<circle cx="100" cy="100" r="90" fill="#1d4e89"/>'
    b'<text x="100" y="110" text-anchor="middle" fill="#fff">S\xc3\xa9curit\xc3\xa9</text></svg>'
)

HOSTILE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="100" height="100" onload="alert(1)">'
    b"<script>alert(document.cookie)</script>"
    b'<foreignObject width="10" height="10"><iframe src="https://evil.example"/></foreignObject>'
    b'<image xlink:href="https://evil.example/track.png" width="10" height="10"/>'
    b'<a href="javascript:alert(1)"><rect width="50" height="50" onclick="alert(2)"/></a>'
    b"<text>Badge</text></svg>"
)

XXE_SVG = (
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&xxe;</text></svg>'
)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def bomb_png(width: int, height: int) -> bytes:
    """A valid 1-bit grey PNG of width x height black pixels: tiny compressed, huge decoded.

    16000x16000 is about 31 KB and decodes to 1 GB of RGBA; 50000x50000 about 300 KB.
    """
    row = bytes(1 + (width + 7) // 8)  # filter byte 0, then zero bits
    compressor = zlib.compressobj(9)
    rows_per_block = max(1, 4_000_000 // len(row))
    parts = []
    for start in range(0, height, rows_per_block):
        parts.append(compressor.compress(row * min(rows_per_block, height - start)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def svg_embedding(raster: bytes, media_type: str = "image/png", size: int = 100) -> bytes:
    """An SVG drawing `raster` through a data: URI, as the issue's raster bombs do."""
    uri = f"data:{media_type};base64,{base64.b64encode(raster).decode('ascii')}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}">'
        f'<image href="{uri}" width="{size}" height="{size}"/></svg>'
    ).encode()


def svg_filtered(primitives: str, *, size: int = 100, attributes: str = "") -> bytes:
    """A small SVG whose one rectangle is drawn through a filter made of `primitives`."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}"><filter id="f" {attributes}>{primitives}</filter>'
        f'<rect width="{size}" height="{size}" fill="#1d4e89" filter="url(#f)"/></svg>'
    ).encode()


TURBULENCE_BOMB = svg_filtered('<feTurbulence baseFrequency="0.05" numOctaves="1000"/>')
"""The issue's 24-second SVG (a couple hundred bytes)."""

MORPHOLOGY_BOMB = svg_filtered('<feMorphology operator="dilate" radius="100"/>')
"""The issue's 31-second SVG."""

SLOW_BUT_WITHIN_BUDGET = svg_filtered('<feMorphology operator="dilate" radius="3"/>')
"""Accepted by the cost check, yet about a second of renderer time at 512 px."""
