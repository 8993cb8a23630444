"""Single rules of the PNG container walk and rebuild, each checked on its own.

Every refusal is checked with the exact reason it gives (the upload's 422 shows it), and each
rule with a file that only it catches. Mutation testing (scripts/mutation) found the rules
no other test depended on: the chunk-type and high-bit length checks among them.
"""

import io
import struct
import zlib

import pytest
from PIL import Image

from badgeforge.core.errors import InvalidImage
from badgeforge.core.png import PNG_SIGNATURE, iter_png_chunks, sanitize_png

SIGNATURE_LENGTH = len(PNG_SIGNATURE)
PLTE_MISPLACED = r"^PNG file is corrupt: its PLTE chunk is repeated or after the image data$"


def chunk(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(chunk_type))
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def png(mode: str = "RGB", size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, size)
    if mode == "P":
        image.putpalette([0, 0, 0, 255, 0, 0])
    image.save(buffer, "PNG")
    return buffer.getvalue()


def split(data: bytes) -> list[bytes]:
    """The whole chunks of a PNG (length, type, data, CRC), in order."""
    return [data[c.start : c.end] for c in iter_png_chunks(data)]


def assemble(*chunks: bytes) -> bytes:
    return PNG_SIGNATURE + b"".join(chunks)


def types(data: bytes) -> list[bytes]:
    return [c.type for c in iter_png_chunks(data)]


class TestChunkHeaders:
    def test_a_length_with_the_high_bit_set_is_corrupt_not_truncated(self) -> None:
        ihdr = split(png())[0]
        bad = struct.pack(">I", 0x8000_0000) + b"IDAT" + b"\x00" * 16
        with pytest.raises(
            InvalidImage, match=r"^PNG file is corrupt: bad chunk header at byte 33$"
        ):
            list(iter_png_chunks(assemble(ihdr, bad)))

    def test_the_largest_legal_length_is_only_truncated(self) -> None:
        ihdr = split(png())[0]
        longest = struct.pack(">I", 0x7FFF_FFFF) + b"IDAT" + b"\x00" * 16
        with pytest.raises(InvalidImage, match=r"^PNG file is truncated inside its 'IDAT' chunk$"):
            list(iter_png_chunks(assemble(ihdr, longest)))

    @pytest.mark.parametrize("chunk_type", [b"tE5t", b"a\x00bc", b"IDA ", b"\xe9XIf"])
    def test_a_chunk_type_that_is_not_four_letters_is_refused(self, chunk_type: bytes) -> None:
        ihdr, *rest = split(png())
        data = assemble(ihdr, chunk(chunk_type, b"x"), *rest)
        with pytest.raises(
            InvalidImage, match=r"^PNG file is corrupt: bad chunk header at byte 33$"
        ):
            sanitize_png(data)

    def test_a_wrong_crc_names_the_chunk(self) -> None:
        ihdr, idat, iend = split(png())
        broken = idat[:-1] + bytes([idat[-1] ^ 1])
        with pytest.raises(
            InvalidImage, match=r"^PNG file is corrupt: the 'IDAT' chunk has a wrong CRC$"
        ):
            list(iter_png_chunks(assemble(ihdr, broken, iend)))


class TestTruncation:
    def test_a_file_ending_inside_a_chunk_header_ends_before_iend(self) -> None:
        data = png()
        end_of_ihdr = SIGNATURE_LENGTH + 25
        with pytest.raises(
            InvalidImage, match=r"^PNG file is truncated: it ends before its IEND chunk$"
        ):
            list(iter_png_chunks(data[: end_of_ihdr + 7]))

    def test_a_file_ending_right_after_a_chunk_header_is_truncated_inside_it(self) -> None:
        data = png()
        end_of_ihdr = SIGNATURE_LENGTH + 25
        with pytest.raises(InvalidImage, match=r"^PNG file is truncated inside its 'IDAT' chunk$"):
            list(iter_png_chunks(data[: end_of_ihdr + 8]))

    def test_a_file_ending_between_chunks_ends_before_iend(self) -> None:
        ihdr, idat, _ = split(png())
        with pytest.raises(
            InvalidImage, match=r"^PNG file is truncated: it ends before its IEND chunk$"
        ):
            list(iter_png_chunks(assemble(ihdr, idat)))

    def test_the_signature_is_required(self) -> None:
        with pytest.raises(
            InvalidImage, match=r"^not a PNG file \(the PNG signature is missing\)$"
        ):
            list(iter_png_chunks(b"\x89PNG\r\n\x1a" + png()[8:]))

    def test_the_first_chunk_must_be_ihdr(self) -> None:
        ihdr, idat, iend = split(png())
        with pytest.raises(
            InvalidImage, match=r"^PNG file is corrupt: it does not start with an IHDR chunk$"
        ):
            list(iter_png_chunks(assemble(chunk(b"gAMA", b"\x00\x00\xb1\x8f"), ihdr, idat, iend)))


class TestStructure:
    def test_a_palette_image_is_kept_whole(self) -> None:
        data = png("P")
        assert types(data)[:3] == [b"IHDR", b"PLTE", b"IDAT"]
        assert sanitize_png(data) == data

    def test_a_repeated_palette_is_refused(self) -> None:
        ihdr, plte, *rest = split(png("P"))
        with pytest.raises(InvalidImage, match=PLTE_MISPLACED):
            sanitize_png(assemble(ihdr, plte, plte, *rest))

    def test_a_palette_after_the_last_image_data_is_refused(self) -> None:
        ihdr, plte, *idat, iend = split(png("P"))
        with pytest.raises(InvalidImage, match=PLTE_MISPLACED):
            sanitize_png(assemble(ihdr, *idat, plte, iend))

    def test_a_second_ihdr_is_refused(self) -> None:
        ihdr, idat, iend = split(png())
        with pytest.raises(
            InvalidImage, match=r"^PNG file is corrupt: it needs exactly one 13-byte IHDR chunk$"
        ):
            sanitize_png(assemble(ihdr, ihdr, idat, iend))

    def test_image_data_split_by_another_chunk_is_refused(self) -> None:
        ihdr, idat, iend = split(png())
        text = chunk(b"tEXt", b"Comment\x00x")
        with pytest.raises(
            InvalidImage, match=r"^PNG file is corrupt: its IDAT chunks are not consecutive$"
        ):
            sanitize_png(assemble(ihdr, idat, text, idat, iend))

    def test_no_image_data_is_refused(self) -> None:
        ihdr, _, iend = split(png())
        with pytest.raises(InvalidImage, match=r"^PNG file has no image data \(IDAT chunk\)$"):
            sanitize_png(assemble(ihdr, iend))
