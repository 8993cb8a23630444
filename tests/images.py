"""Small real images for upload tests, made with Pillow."""

import io

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
