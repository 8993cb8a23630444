"""Rebuilding an uploaded PNG's container: pixels kept, nothing else we do not vouch for."""

import io
import random
import struct
import zlib

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from badgeforge.core import png as png_module
from badgeforge.core.errors import BakingError, InvalidImage, PngChunkTooLarge
from badgeforge.core.png import SAFE_ANCILLARY_CHUNKS, build_png_chunk, is_critical, sanitize_png

SIGNATURE = b"\x89PNG\r\n\x1a\n"
IEND = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))


def chunk(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + data)
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Independent reader: (type, data) of every chunk up to IEND."""
    found, position = [], 8
    while True:
        (length,) = struct.unpack_from(">I", png, position)
        kind = png[position + 4 : position + 8]
        found.append((kind, png[position + 8 : position + 8 + length]))
        position += 12 + length
        if kind == b"IEND":
            assert position == len(png), "bytes after IEND"
            return found


def make_png(
    size: tuple[int, int] = (64, 48), *, mode: str = "RGBA", pnginfo: PngInfo | None = None
) -> bytes:
    rng = random.Random(3)
    channels = {"RGBA": 4, "RGB": 3, "P": 1}[mode]
    image = Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * channels))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=pnginfo)
    return buffer.getvalue()


def before_first_idat(png: bytes, *extra: bytes) -> bytes:
    idat = png.index(b"IDAT") - 4
    return png[:idat] + b"".join(extra) + png[idat:]


def before_iend(png: bytes, *extra: bytes) -> bytes:
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + b"".join(extra) + png[iend:]


def pixels(png: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(png)) as image:
        return image.mode, image.size, image.tobytes()


def idat_bytes(png: bytes) -> list[bytes]:
    return [data for kind, data in chunks(png) if kind == b"IDAT"]


SAFE_CHUNKS = [
    chunk(b"gAMA", struct.pack(">I", 45455)),
    chunk(b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000)),
    chunk(b"sBIT", b"\x08\x08\x08\x08"),
    chunk(b"pHYs", struct.pack(">IIB", 3780, 3780, 1)),
    chunk(b"bKGD", struct.pack(">HHH", 255, 255, 255)),
    chunk(b"iCCP", b"profile\x00\x00" + zlib.compress(b"not a real ICC profile")),
]


class TestSanitizePng:
    def test_a_clean_png_comes_back_byte_for_byte(self) -> None:
        png = before_first_idat(make_png(), *SAFE_CHUNKS)
        assert sanitize_png(png) == png

    def test_bytes_after_iend_are_dropped(self) -> None:
        png = make_png()
        for trailer in (b"<html><script>alert(1)</script></html>", b"PK\x03\x04zip", b"\x00"):
            assert sanitize_png(png + trailer) == png

    def test_image_data_is_never_re_encoded(self) -> None:
        png = make_png((300, 300), mode="RGB")
        info = PngInfo()
        info.add_text("Comment", "x" * 1000)
        dirty = before_iend(make_png((300, 300), mode="RGB", pnginfo=info), chunk(b"tIME", b"7"))
        clean = sanitize_png(dirty + b"trailer")
        assert idat_bytes(clean) == idat_bytes(png)
        assert len(idat_bytes(clean)) > 1  # several IDAT chunks, none merged or split
        assert pixels(clean) == pixels(png)

    @pytest.mark.parametrize(
        "keyword",
        ["openbadges", "OpenBadges", "OPENBADGES", "openbadgecredential", "OpenBadgeCredential"],
    )
    @pytest.mark.parametrize("where", ["before IDAT", "after IDAT"])
    def test_no_open_badges_chunk_survives(self, keyword: str, where: str) -> None:
        name = keyword.encode()
        forged = b'{"type": "Assertion", "id": "https://forger.example/a/1"}'
        texts = [
            chunk(b"tEXt", name + b"\x00" + forged),
            chunk(b"zTXt", name + b"\x00\x00" + zlib.compress(forged)),
            chunk(b"iTXt", name + b"\x00\x00\x00\x00\x00" + forged),
            chunk(b"iTXt", name + b"\x00\x01\x00fr\x00cle\x00" + zlib.compress(forged)),
        ]
        original = make_png()
        insert = before_first_idat if where == "before IDAT" else before_iend
        clean = sanitize_png(insert(original, *texts))
        assert clean == original
        assert b"forger" not in clean

    @pytest.mark.parametrize(
        "dropped",
        [
            chunk(b"tEXt", b"Software\x00GIMP"),
            chunk(b"eXIf", b"MM\x00*\x00\x00\x00\x08GPS"),
            chunk(b"tIME", b"\x07\xe9\x01\x01\x00\x00\x00"),
            chunk(b"acTL", struct.pack(">II", 2, 0)),
            chunk(b"fcTL", b"\x00" * 26),
            chunk(b"prIv", b"private data"),
            chunk(b"sPLT", b"name\x00\x08"),
        ],
    )
    def test_other_ancillary_chunks_are_dropped(self, dropped: bytes) -> None:
        original = make_png()
        assert sanitize_png(before_first_idat(original, dropped)) == original

    def test_safe_chunks_after_the_image_data_are_dropped(self) -> None:
        original = make_png()
        assert sanitize_png(before_iend(original, *SAFE_CHUNKS)) == original

    def test_palette_and_transparency_are_kept(self) -> None:
        info = PngInfo()
        info.add_text("Title", "palette")
        png = make_png(mode="P", pnginfo=info)
        png = before_first_idat(png, chunk(b"tRNS", b"\x00\x80"), chunk(b"sRGB", b"\x00"))
        clean = sanitize_png(png)
        kinds = [kind for kind, _ in chunks(clean)]
        assert kinds[:4] == [b"IHDR", b"PLTE", b"tRNS", b"sRGB"]
        assert b"tEXt" not in kinds
        assert pixels(clean) == pixels(png)

    def test_iend_is_rebuilt_empty(self) -> None:
        png = make_png()
        smuggled = png[: png.rindex(b"IEND") - 4] + chunk(b"IEND", b"<script>")
        assert sanitize_png(smuggled) == png

    def test_is_idempotent(self) -> None:
        once = sanitize_png(before_iend(make_png(), chunk(b"tEXt", b"a\x00b")) + b"tail")
        assert sanitize_png(once) == once

    def test_allow_list_is_ancillary_only(self) -> None:
        assert not any(is_critical(kind) for kind in SAFE_ANCILLARY_CHUNKS)
        assert is_critical(b"IDAT")
        assert not is_critical(b"iTXt")


class TestSanitizePngRefuses:
    def test_an_unknown_critical_chunk(self) -> None:
        with pytest.raises(InvalidImage, match="unknown critical chunk 'ZZZZ'"):
            sanitize_png(before_first_idat(make_png(), chunk(b"ZZZZ", b"x")))

    def test_a_second_ihdr(self) -> None:
        png = make_png()
        ihdr = png[8:33]
        with pytest.raises(InvalidImage, match="exactly one 13-byte IHDR"):
            sanitize_png(before_first_idat(png, ihdr))

    def test_an_ihdr_of_the_wrong_length(self) -> None:
        png = make_png()
        long_ihdr = chunk(b"IHDR", png[16:29] + b"\x00")
        with pytest.raises(InvalidImage, match="exactly one 13-byte IHDR"):
            sanitize_png(png[:8] + long_ihdr + png[33:])

    def test_a_palette_after_the_image_data(self) -> None:
        png = make_png(mode="P")
        palette = next(data for kind, data in chunks(png) if kind == b"PLTE")
        with pytest.raises(InvalidImage, match="PLTE"):
            sanitize_png(before_iend(png, chunk(b"PLTE", palette)))

    def test_image_data_that_is_not_consecutive(self) -> None:
        png = make_png((300, 300), mode="RGB")
        second_idat = png.index(b"IDAT", png.index(b"IDAT") + 4) - 4
        interleaved = png[:second_idat] + chunk(b"tEXt", b"a\x00b") + png[second_idat:]
        with pytest.raises(InvalidImage, match="not consecutive"):
            sanitize_png(interleaved)

    def test_no_image_data(self) -> None:
        with pytest.raises(InvalidImage, match="no image data"):
            sanitize_png(make_png()[:33] + IEND)

    @pytest.mark.parametrize(
        "data", [b"", b"GIF89a", SIGNATURE, SIGNATURE + b"\x00\x00\x00\x0dIHDR"]
    )
    def test_what_is_not_a_whole_png(self, data: bytes) -> None:
        with pytest.raises(InvalidImage):
            sanitize_png(data)


class TestBuildPngChunk:
    def test_builds_length_type_data_and_crc(self) -> None:
        assert build_png_chunk(b"tEXt", b"a\x00b") == chunk(b"tEXt", b"a\x00b")

    def test_too_long_data_is_a_typed_baking_error(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # The real limit is 2**31 - 1 bytes; lower it rather than allocate 2 GiB.
        monkeypatch.setattr(png_module, "MAX_CHUNK_LENGTH", 3)
        assert build_png_chunk(b"tEXt", b"abc") == chunk(b"tEXt", b"abc")
        with pytest.raises(PngChunkTooLarge, match="at most 3 bytes") as raised:
            build_png_chunk(b"tEXt", b"abcd")
        assert isinstance(raised.value, BakingError)
        assert not isinstance(raised.value, ValueError)
