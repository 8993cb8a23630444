"""Single rules of baking and unbaking, each checked on its own.

The zip-bomb guard is checked where it matters: inflating stops at the limit, so memory
stays small however far the text would expand (a check of the final length alone would
come after the whole bomb was in memory). Refusals are checked with their exact reason.
"""

import io
import re
import struct
import tracemalloc
import zlib

import pytest
from PIL import Image

from badgeforge.core.baking import (
    MAX_INFLATED_TEXT,
    bake_png,
    bake_svg,
    bake_svg_credential,
    unbake_any,
    unbake_credential,
    unbake_png,
    unbake_svg,
)
from badgeforge.core.errors import BakingError

OB = "http://openbadges.org"
SVG = "http://www.w3.org/2000/svg"


def chunk(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(chunk_type))
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def png_with(*extra: bytes) -> bytes:
    """A small PNG with `extra` chunks right before IEND."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    data = buffer.getvalue()
    return data[:-12] + b"".join(extra) + data[-12:]


def ztxt(compressed: bytes, method: bytes = b"\x00") -> bytes:
    return chunk(b"zTXt", b"openbadges\x00" + method + compressed)


def itxt(text: bytes, *, flag: int = 0, method: int = 0, language: bytes = b"") -> bytes:
    header = bytes([flag, method]) + language + b"\x00" + b"OpenBadges\x00"
    return chunk(b"iTXt", b"openbadges\x00" + header + text)


def zeros_deflated(size: int) -> bytes:
    """A zlib stream that inflates to `size` zero bytes (about size/1000 bytes long)."""
    compressor = zlib.compressobj(9)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + compressor.flush()


def message(text: str) -> str:
    """A pytest `match` pattern for exactly `text`."""
    return "^" + re.escape(text) + "$"


class TestZipBomb:
    BOMB = 64 * 1024 * 1024

    @pytest.mark.parametrize("kind", ["zTXt", "iTXt"])
    def test_inflating_stops_at_the_limit_so_memory_stays_small(self, kind: str) -> None:
        stream = zeros_deflated(self.BOMB)
        bomb = ztxt(stream) if kind == "zTXt" else itxt(stream, flag=1)
        data = png_with(bomb)
        tracemalloc.start()
        try:
            with pytest.raises(
                BakingError,
                match=message(f"the 'openbadges' chunk inflates past {MAX_INFLATED_TEXT} bytes"),
            ):
                unbake_png(data)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 4 * MAX_INFLATED_TEXT < self.BOMB

    def test_text_of_exactly_the_limit_is_read(self) -> None:
        text = b"{" + b" " * (MAX_INFLATED_TEXT - 2) + b"}"
        assert unbake_png(png_with(ztxt(zlib.compress(text)))) == text.decode()

    def test_a_corrupt_stream_is_refused(self) -> None:
        with pytest.raises(
            BakingError, match=message("the compressed 'openbadges' chunk is corrupt")
        ):
            unbake_png(png_with(ztxt(b"not zlib at all")))

    def test_a_truncated_stream_is_refused(self) -> None:
        with pytest.raises(
            BakingError, match=message("the compressed 'openbadges' chunk is truncated")
        ):
            unbake_png(png_with(ztxt(zlib.compress(b'{"a": 1}')[:-3])))

    def test_ztxt_with_an_unknown_method_is_refused(self) -> None:
        with pytest.raises(
            BakingError, match=message("the 'openbadges' zTXt chunk uses an unknown compression")
        ):
            unbake_png(png_with(ztxt(zlib.compress(b"{}"), method=b"\x01")))


class TestItxt:
    def test_compressed_text_with_a_language_tag_is_read(self) -> None:
        text = '{"name": "Sécurité"}'
        data = png_with(itxt(zlib.compress(text.encode()), flag=1, language=b"fr-FR"))
        assert unbake_png(data) == text

    def test_the_method_byte_of_uncompressed_text_is_ignored(self) -> None:
        assert unbake_png(png_with(itxt(b"https://x.example/a", method=7))) == "https://x.example/a"

    @pytest.mark.parametrize(("flag", "method"), [(2, 0), (1, 1), (255, 0)])
    def test_an_unknown_compression_is_refused(self, flag: int, method: int) -> None:
        data = png_with(itxt(zlib.compress(b"{}"), flag=flag, method=method))
        with pytest.raises(
            BakingError, match=message("the 'openbadges' iTXt chunk uses an unknown compression")
        ):
            unbake_png(data)

    @pytest.mark.parametrize("body", [b"\x00", b"\x00\x00", b"\x00\x00fr-FR", b"\x00\x00fr\x00x"])
    def test_a_chunk_without_its_two_terminators_is_malformed(self, body: bytes) -> None:
        data = png_with(chunk(b"iTXt", b"openbadges\x00" + body))
        with pytest.raises(BakingError, match=message("the 'openbadges' iTXt chunk is malformed")):
            unbake_png(data)

    def test_text_that_is_not_utf8_is_refused(self) -> None:
        with pytest.raises(
            BakingError, match=message("the 'openbadges' iTXt chunk is not valid UTF-8")
        ):
            unbake_png(png_with(itxt(b"caf\xe9")))

    def test_legacy_text_is_latin1(self) -> None:
        data = png_with(chunk(b"tEXt", b"openbadges\x00caf\xe9"))
        assert unbake_png(data) == "café"

    def test_an_empty_legacy_chunk_is_empty(self) -> None:
        with pytest.raises(BakingError, match=message("the 'openbadges' chunk is empty")):
            unbake_png(png_with(chunk(b"tEXt", b"openbadges\x00")))

    @pytest.mark.parametrize(
        ("payload", "reason"),
        [
            ("", "nothing to bake: the payload is empty"),
            ("a\x00b", "the payload contains a NUL character, which iTXt cannot hold"),
            ("\ud800", "the payload is not valid Unicode text"),
        ],
    )
    def test_a_payload_that_cannot_be_baked(self, payload: str, reason: str) -> None:
        with pytest.raises(BakingError, match=message(reason)):
            bake_png(png_with(), payload)

    def test_whitespace_only_text_is_empty(self) -> None:
        with pytest.raises(BakingError, match=message("the 'openbadges' chunk is empty")):
            unbake_png(png_with(itxt(b" \n ")))

    def test_a_png_without_badge_data_says_so(self) -> None:
        with pytest.raises(
            BakingError,
            match=message("this PNG contains no Open Badges data (no 'openbadges' chunk)"),
        ):
            unbake_png(png_with())


def svg(body: str, root_text: str = "") -> bytes:
    root = f'<svg xmlns="{SVG}" xmlns:openbadges="{OB}" width="9" height="9">'
    return f"{root}{root_text}{body}</svg>".encode()


def baked_body(baked: bytes) -> str:
    """What follows the new assertion element in a baked SVG."""
    text = baked.decode()
    return text.partition('verify="https://x.example/a"/>')[2].removesuffix("</svg>")


class TestBakeSvgLayout:
    def test_the_assertion_takes_the_indentation_of_the_first_child(self) -> None:
        baked = bake_svg(svg("<rect/>\n", "\n  "), verify="https://x.example/a")
        assert '<openbadges:assertion verify="https://x.example/a"/>\n  <rect/>' in baked.decode()

    def test_root_text_that_is_not_whitespace_is_not_repeated(self) -> None:
        baked = bake_svg(svg("<rect/>", "Badge"), verify="https://x.example/a").decode()
        assert baked.count("Badge") == 1
        assert baked.endswith(
            '9">Badge<openbadges:assertion verify="https://x.example/a"/><rect/></svg>'
        )

    def test_a_replaced_first_assertion_leaves_its_tail_text_in_place(self) -> None:
        old = '<openbadges:assertion verify="old"/>'
        baked = bake_svg(svg(f"{old}suite<rect/>", "avant "), verify="https://x.example/a")
        text = baked.decode()
        assert "old" not in text
        assert '9">avant suite<openbadges:assertion verify="https://x.example/a"/><rect/>' in text

    def test_a_replaced_later_assertion_leaves_its_tail_after_the_previous_sibling(self) -> None:
        old = '<openbadges:assertion verify="old"/>'
        baked = bake_svg(svg(f"<g/><rect/>a{old}b<circle/>"), verify="https://x.example/a")
        assert baked_body(baked) == "<g/><rect/>ab<circle/>"

    def test_a_whitespace_tail_of_a_replaced_assertion_is_dropped(self) -> None:
        old = '<openbadges:assertion verify="old"/>'
        baked = bake_svg(svg(f"<rect/>{old}   <circle/>"), verify="https://x.example/a")
        assert baked_body(baked) == "<rect/><circle/>"


class TestBakeSvgRefuses:
    @pytest.mark.parametrize(
        ("verify", "assertion_json", "reason"),
        [
            (" ", None, "cannot bake: verify is empty"),
            ("https://x\x01", None, "verify contains U+0001, which XML cannot hold"),
            ("https://x", " ", "cannot bake: the assertion JSON is empty"),
            (
                "https://x",
                '{"a": "\ufffe"}',
                "the assertion JSON contains U+FFFE, which XML cannot hold",
            ),
        ],
    )
    def test_text_that_cannot_be_baked(
        self, verify: str, assertion_json: str | None, reason: str
    ) -> None:
        with pytest.raises(BakingError, match=message(reason)):
            bake_svg(svg("<rect/>"), verify=verify, assertion_json=assertion_json)


class TestUnbakeSvg:
    def test_an_empty_assertion_holds_no_badge(self) -> None:
        with pytest.raises(
            BakingError,
            match=message("this SVG contains no Open Badges data (no openbadges:assertion)"),
        ):
            unbake_svg(svg("<openbadges:assertion/><rect/>"))


class TestOpenBadges3:
    def test_credential_json_may_start_with_whitespace(self) -> None:
        baked = bake_svg_credential(svg("<rect/>"), '\n {"type": ["VerifiableCredential"]}')
        assert unbake_credential(baked) == '{"type": ["VerifiableCredential"]}'

    def test_an_empty_credential_element_is_refused(self) -> None:
        v3 = "https://purl.imsglobal.org/ob/v3p0"
        data = f'<svg xmlns="{SVG}" xmlns:openbadges="{v3}"><openbadges:credential/></svg>'
        with pytest.raises(
            BakingError, match=message("the openbadges:credential element is empty")
        ):
            unbake_credential(data.encode())

    @pytest.mark.parametrize("kind", ["PNG", "SVG"])
    def test_an_image_without_a_credential_says_which_kind(self, kind: str) -> None:
        data = png_with() if kind == "PNG" else svg("<rect/>")
        with pytest.raises(
            BakingError, match=message(f"this {kind} contains no Open Badges 3.0 credential")
        ):
            unbake_credential(data)
        with pytest.raises(
            BakingError, match=message(f"this {kind} contains no Open Badges data (OB 2.0 or 3.0)")
        ):
            unbake_any(data)
