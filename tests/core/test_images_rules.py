"""Single rules of badge image checks: sniffing, PNG header limits, SVG size, render size.

Each rule is checked on an input only it decides, with the exact reason of a refusal.
Mutation testing (scripts/mutation) found the rules no other test depended on.
"""

import codecs
import io
import re
import struct
import zlib

import pytest
from PIL import Image

from badgeforge.core.errors import ImageTooComplex, InvalidImage, UnsupportedImageType
from badgeforge.core.images import (
    MAX_RENDER_SIDE,
    inspect_png,
    png_to_svg,
    prepare_render,
    sanitize_svg,
    sniff_media_type,
)
from badgeforge.core.svg_budget import RenderLimits

SVG = "http://www.w3.org/2000/svg"
ROOT = f'<svg xmlns="{SVG}" width="10" height="10">'
LIMITS = {"max_pixels": 1_000_000, "max_side": 2048}


def exactly(text: str) -> str:
    return "^" + re.escape(text) + "$"


class TestSniffing:
    @pytest.mark.parametrize(
        "head",
        [
            "<??>",  # the shortest processing instruction
            "<!---->",  # the shortest comment
            "<!DOCTYPE svg>",  # a DOCTYPE right before the root, no space
            '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "svg11.dtd">\n',
            '<!DOCTYPE svg [<!ENTITY a "x>y">]>',  # '>' inside the internal subset
            '<?xml version="1.0"?><!-- a --><?pi x?>\n',
            "<!-- [ --><!DOCTYPE svg>",  # a bracket before the DOCTYPE is no subset
            '<!-- ] --><!DOCTYPE svg [<!ENTITY a "b">]>',  # nor is a bracket before it
        ],
    )
    def test_an_svg_root_after_a_prologue(self, head: str) -> None:
        data = f"{head}{ROOT}<text>a ?&gt; [1] --&gt; b</text><!-- c --></svg>"
        assert sniff_media_type(data.encode()) == "image/svg+xml"

    @pytest.mark.parametrize("tail", [b"?> [x]", b"<!-- x -->", b"x"])
    def test_later_markup_does_not_end_the_prologue_early(self, tail: bytes) -> None:
        data = b'<?xml version="1.0"?><!-- a --><!DOCTYPE svg>' + ROOT.encode() + tail + b"</svg>"
        assert sniff_media_type(data) == "image/svg+xml"

    def test_utf16_cut_in_the_middle_of_a_character(self) -> None:
        data = codecs.BOM_UTF16_LE + f"{ROOT}</svg>".encode("utf-16-le") + b"\x00"
        assert sniff_media_type(data) == "image/svg+xml"

    @pytest.mark.parametrize(
        "head",
        ["<!DOCTYPE svg [", '  <!DOCTYPE svg [<!ENTITY a "b">', "<!-- open", "<?xml "],
    )
    def test_an_unfinished_prologue_is_not_svg(self, head: str) -> None:
        with pytest.raises(UnsupportedImageType):
            sniff_media_type(f"{head}{ROOT}</svg>".encode()[: len(head) + 20])

    @pytest.mark.parametrize(
        ("data", "kind"),
        [
            (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP"),
            (b"\x00\x00\x00\x1cftypavif", "AVIF/HEIC"),
        ],
    )
    def test_other_formats_are_named(self, data: bytes, kind: str) -> None:
        reason = f"{kind} images are not accepted: Open Badges images must be PNG or SVG"
        with pytest.raises(UnsupportedImageType, match=exactly(reason)):
            sniff_media_type(data)

    @pytest.mark.parametrize(
        "data",
        [b"RIFF\x00\x00\x00\x00WAVEfmt ", b"XXXX\x00\x00\x00\x00WEBP", b"\x00\x00\x00\x1cFTYP"],
    )
    def test_lookalikes_are_unrecognised(self, data: bytes) -> None:
        reason = "unrecognised image format: upload a PNG or an SVG file"
        with pytest.raises(UnsupportedImageType, match=exactly(reason)):
            sniff_media_type(data)


def png_declaring(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose IHDR (CRC fixed) declares another size."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    struct.pack_into(">II", data, 16, width, height)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


class TestPngHeader:
    @pytest.mark.parametrize(("width", "height"), [(0, 5), (5, 0), (0, 0)])
    def test_a_zero_side_is_refused(self, width: int, height: int) -> None:
        reason = "PNG file is corrupt: it declares a zero width or height"
        with pytest.raises(InvalidImage, match=exactly(reason)):
            inspect_png(png_declaring(width, height), **LIMITS)

    def test_a_side_with_the_high_bit_set_is_too_large(self) -> None:
        reason = "PNG is 2147483649x1 pixels; each side must be at most 2048 pixels"
        with pytest.raises(InvalidImage, match=exactly(reason)):
            inspect_png(png_declaring(0x8000_0001, 1), **LIMITS)

    @pytest.mark.parametrize("size", [(1, 7), (7, 1)])
    def test_one_pixel_sides_are_fine(self, size: tuple[int, int]) -> None:
        buffer = io.BytesIO()
        Image.new("L", size).save(buffer, "PNG")
        assert (
            inspect_png(buffer.getvalue(), **LIMITS).width,
            inspect_png(buffer.getvalue(), **LIMITS).height,
        ) == size


class TestPngLimits:
    def png(self, size: tuple[int, int]) -> bytes:
        buffer = io.BytesIO()
        Image.new("L", size).save(buffer, "PNG")
        return buffer.getvalue()

    def test_sides_and_pixels_exactly_at_the_limits_are_accepted(self) -> None:
        info = inspect_png(self.png((20, 10)), max_pixels=200, max_side=20)
        assert (info.width, info.height) == (20, 10)
        info = inspect_png(self.png((10, 20)), max_pixels=200, max_side=20)
        assert (info.width, info.height) == (10, 20)

    def test_one_pixel_more_is_refused(self) -> None:
        reason = "PNG is 20x11 = 220 pixels; the limit is 219"
        with pytest.raises(InvalidImage, match=exactly(reason)):
            inspect_png(self.png((20, 11)), max_pixels=219, max_side=20)

    def test_an_ihdr_of_the_wrong_length_is_refused(self) -> None:
        data = self.png((2, 2))
        ihdr = struct.pack(">I", 12) + b"IHDR" + data[16:28]
        ihdr += struct.pack(">I", zlib.crc32(ihdr[4:]))
        reason = "PNG file is corrupt: its IHDR chunk has the wrong length"
        with pytest.raises(InvalidImage, match=exactly(reason)):
            inspect_png(data[:8] + ihdr + data[33:], **LIMITS)

    def test_a_png_without_image_data_is_refused(self) -> None:
        data = self.png((2, 2))
        without_idat = data[:33] + data[-12:]
        reason = "PNG file has no image data (IDAT chunk)"
        with pytest.raises(InvalidImage, match=exactly(reason)):
            inspect_png(without_idat, **LIMITS)


class TestSvgSize:
    @pytest.mark.parametrize(
        ("attributes", "size"),
        [
            ('width="1" height="1"', (1, 1)),
            ('width="0.4" height="2"', (1, 2)),
            ('viewBox="0 0 0.5 0.25"', (1, 1)),
            ('viewBox="0 0 10 0.5"', (10, 1)),
            ('viewBox="0,0,3,2"', (3, 2)),
        ],
    )
    def test_small_sizes_round_up_to_one_pixel(
        self, attributes: str, size: tuple[int, int]
    ) -> None:
        info = sanitize_svg(f'<svg xmlns="{SVG}" {attributes}/>'.encode())[1]
        assert (info.width, info.height) == size

    def test_sides_exactly_at_the_limit_are_accepted(self) -> None:
        for attributes in ('width="20" height="5"', 'width="5" height="20"'):
            info = sanitize_svg(f'<svg xmlns="{SVG}" {attributes}/>'.encode(), max_side=20)[1]
            assert max(info.width, info.height) == 20

    @pytest.mark.parametrize(
        "view_box",
        ["0 0 10 0", "0 0 0 10", "0 0 -1 10", "0 0 10 nan", "0 0 inf 1", "0 0 10", "a b c d"],
    )
    def test_an_unusable_view_box_is_refused(self, view_box: str) -> None:
        reason = (
            "SVG has no usable width/height and no viewBox, so its size is unknown; "
            'add a viewBox such as viewBox="0 0 512 512"'
        )
        with pytest.raises(InvalidImage, match=exactly(reason)):
            sanitize_svg(f'<svg xmlns="{SVG}" viewBox="{view_box}"/>'.encode())


class TestRenderSize:
    def tall(self, ratio: int) -> bytes:
        return f'<svg xmlns="{SVG}" viewBox="0 0 1 {ratio}"/>'.encode()

    def test_the_largest_render_is_allowed(self) -> None:
        _, height = prepare_render(self.tall(8), width=1024, limits=RenderLimits())
        assert height == MAX_RENDER_SIDE == 8192

    def test_one_pixel_taller_is_refused(self) -> None:
        svg = f'<svg xmlns="{SVG}" viewBox="0 0 1024 8193"/>'.encode()
        reason = "rendering this SVG 1024 pixels wide would be 8193 tall"
        with pytest.raises(ImageTooComplex, match=exactly(reason)):
            prepare_render(svg, width=1024, limits=RenderLimits())

    @pytest.mark.parametrize("width", [1, MAX_RENDER_SIDE])
    def test_widths_at_the_bounds_are_allowed(self, width: int) -> None:
        assert prepare_render(self.tall(1), width=width, limits=RenderLimits())[1] == width

    @pytest.mark.parametrize("width", [0, MAX_RENDER_SIDE + 1])
    def test_widths_past_the_bounds_are_refused(self, width: int) -> None:
        reason = f"render width must be between 1 and 8192, not {width}"
        with pytest.raises(ImageTooComplex, match=exactly(reason)):
            prepare_render(self.tall(1), width=width, limits=RenderLimits())


class TestPngToSvg:
    def test_the_svg_has_the_size_of_the_png(self) -> None:
        buffer = io.BytesIO()
        Image.new("L", (3, 2)).save(buffer, "PNG")
        png = buffer.getvalue()
        svg, info = sanitize_svg(png_to_svg(png, inspect_png(png, **LIMITS)))
        assert (info.width, info.height) == (3, 2)
        text = svg.decode()
        assert '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink=' in text
        assert 'width="3" height="2" viewBox="0 0 3 2"><image width="3" height="2" href=' in text

    def test_only_png_bytes_are_wrapped(self) -> None:
        info = sanitize_svg(f"{ROOT}</svg>".encode())[1]
        with pytest.raises(InvalidImage, match=exactly("png_to_svg needs PNG bytes")):
            png_to_svg(f"{ROOT}</svg>".encode(), info)
