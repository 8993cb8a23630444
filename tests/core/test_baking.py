"""Baking and unbaking Open Badges 2.0 data in PNG and SVG badges (SPEC §3, pitfall 10)."""

import io
import random
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from badgeforge.core.baking import (
    ASSERTION_TAG,
    MAX_INFLATED_TEXT,
    bake_png,
    bake_svg,
    unbake,
    unbake_png,
    unbake_svg,
)
from badgeforge.core.errors import BakingError

FILES = Path(__file__).parent / "files"
ASSERTION_URL = "https://badges.example.fr/public/assertions/3f1c9a"
ASSERTION_JSON = (
    '{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", '
    f'"id": "{ASSERTION_URL}", "narrative": "Réussi à 100 % — niveau élevé"}}'
)
JWS = "eyJhbGciOiJSUzI1NiJ9.eyJ0eXBlIjoiQXNzZXJ0aW9uIn0.c2lnbmF0dXJlLWJ5dGVz"
Reader = Callable[[bytes], object]
SIMPLE_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">\n'
    b'  <circle cx="50" cy="50" r="40" fill="#c00"/>\n'
    b"</svg>\n"
)


def make_png(
    size: tuple[int, int] = (64, 48), *, pnginfo: PngInfo | None = None, seed: int = 0
) -> bytes:
    rng = random.Random(seed)
    pixels = rng.randbytes(size[0] * size[1] * 4)
    buffer = io.BytesIO()
    Image.frombytes("RGBA", size, pixels).save(buffer, "PNG", pnginfo=pnginfo)
    return buffer.getvalue()


def read_chunks(png: bytes) -> list[tuple[bytes, bytes, int]]:
    """Independent reader: (type, data, stored CRC) for each chunk up to IEND."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, position = [], 8
    while True:
        (length,) = struct.unpack_from(">I", png, position)
        chunk_type = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack_from(">I", png, position + 8 + length)
        chunks.append((chunk_type, data, crc))
        position += 12 + length
        if chunk_type == b"IEND":
            return chunks


def raw_chunk(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + data)
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def insert_before_iend(png: bytes, chunk: bytes) -> bytes:
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + chunk + png[iend:]


def insert_before_first_idat(png: bytes, chunk: bytes) -> bytes:
    idat = png.index(b"IDAT") - 4
    return png[:idat] + chunk + png[idat:]


def openbadges_chunks(png: bytes) -> list[tuple[bytes, bytes, int]]:
    return [c for c in read_chunks(png) if c[1].startswith(b"openbadges\x00")]


def pixels(png: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(png)) as image:
        return image.mode, image.size, image.tobytes()


def root_start_tag(svg: bytes) -> str:
    match = re.search(r"<svg\b[^>]*>", svg.decode("utf-8"))
    assert match is not None
    return match.group()


class TestBakePng:
    @pytest.mark.parametrize("payload", [ASSERTION_URL, ASSERTION_JSON, JWS])
    def test_round_trip(self, payload: str) -> None:
        assert unbake_png(bake_png(make_png(), payload)) == payload

    def test_writes_one_uncompressed_itxt_with_empty_language_and_translation(self) -> None:
        baked = bake_png(make_png(), ASSERTION_JSON)
        [(chunk_type, data, _)] = openbadges_chunks(baked)
        assert chunk_type == b"iTXt"
        assert data == b"openbadges\x00" + b"\x00\x00" + b"\x00\x00" + ASSERTION_JSON.encode()

    def test_every_crc_is_valid(self) -> None:
        for chunk_type, data, crc in read_chunks(bake_png(make_png(), ASSERTION_JSON)):
            assert zlib.crc32(chunk_type + data) == crc

    def test_chunk_goes_right_before_the_first_idat(self) -> None:
        types = [c[0] for c in read_chunks(bake_png(make_png((400, 400)), JWS))]
        first_idat = types.index(b"IDAT")
        assert types[first_idat - 1] == b"iTXt"
        assert types[0] == b"IHDR"
        assert types.count(b"IDAT") > 1  # several IDAT chunks, none split

    def test_other_bytes_of_a_clean_png_are_untouched(self) -> None:
        gama = raw_chunk(b"gAMA", struct.pack(">I", 45455))
        original = insert_before_first_idat(make_png(), gama)
        baked = bake_png(original, ASSERTION_URL)
        inserted = raw_chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + ASSERTION_URL.encode())
        assert baked.replace(inserted, b"") == original

    def test_drops_bytes_after_iend(self) -> None:
        original = make_png()
        baked = bake_png(original + b"<html><script>alert(1)</script></html>", ASSERTION_URL)
        assert baked.endswith(raw_chunk(b"IEND", b""))
        assert b"<script>" not in baked

    def test_image_decodes_to_the_same_pixels(self) -> None:
        original = make_png((120, 90), seed=7)
        assert pixels(bake_png(original, ASSERTION_JSON)) == pixels(original)

    def test_rebaking_keeps_a_single_chunk(self) -> None:
        png = make_png()
        once = bake_png(png, ASSERTION_URL)
        twice = bake_png(bake_png(once, JWS), ASSERTION_URL)
        assert len(openbadges_chunks(twice)) == 1
        assert twice == once
        assert unbake_png(bake_png(once, JWS)) == JWS

    def test_removes_legacy_chunks_wherever_they_are(self) -> None:
        info = _info(("openbadges", "https://old.example/1.json"))
        info.add_itxt("openbadges", "compressed", zip=True)
        png = make_png(pnginfo=info)
        png = insert_before_iend(png, raw_chunk(b"zTXt", b"openbadges\x00\x00" + _deflate(b"z")))
        baked = bake_png(png, ASSERTION_URL)
        assert [c[0] for c in openbadges_chunks(baked)] == [b"iTXt"]
        assert unbake_png(baked) == ASSERTION_URL

    @pytest.mark.parametrize(
        "keyword", ["openbadges", "OpenBadges", "OPENBADGES", "openbadgecredential", "Software"]
    )
    @pytest.mark.parametrize("kind", ["tEXt", "zTXt", "iTXt"])
    def test_our_chunk_is_the_only_text_chunk(self, keyword: str, kind: str) -> None:
        forged = '{"type": "Assertion", "id": "https://forger.example/a/1"}'
        info = PngInfo()
        if kind == "iTXt":
            info.add_itxt(keyword, forged)
        else:
            info.add_text(keyword, forged, zip=kind == "zTXt")
        png = make_png(pnginfo=info)
        forged_chunk = raw_chunk(b"tEXt", keyword.encode() + b"\x00" + forged.encode())
        baked = bake_png(insert_before_iend(png, forged_chunk), ASSERTION_URL)
        text_chunks = [c for c in read_chunks(baked) if c[0] in (b"tEXt", b"zTXt", b"iTXt")]
        assert [c[1] for c in text_chunks] == [
            b"openbadges\x00\x00\x00\x00\x00" + ASSERTION_URL.encode()
        ]
        assert b"forger.example" not in baked
        assert unbake_png(baked) == ASSERTION_URL

    @pytest.mark.parametrize(
        ("payload", "message"),
        [("", "empty"), ("a\x00b", "NUL"), ("\ud800", "Unicode")],
    )
    def test_refuses_unbakeable_payloads(self, payload: str, message: str) -> None:
        with pytest.raises(BakingError, match=message):
            bake_png(make_png(), payload)


class TestUnbakePng:
    def test_reads_legacy_text_chunk(self) -> None:
        png = make_png(pnginfo=_info(("openbadges", "https://old.example/assertion.json")))
        assert [c[0] for c in openbadges_chunks(png)] == [b"tEXt"]
        assert unbake_png(png) == "https://old.example/assertion.json"

    def test_reads_compressed_ztxt_chunk(self) -> None:
        info = PngInfo()
        info.add_text("openbadges", "https://old.example/zipped.json", zip=True)
        png = make_png(pnginfo=info)
        assert [c[0] for c in openbadges_chunks(png)] == [b"zTXt"]
        assert unbake_png(png) == "https://old.example/zipped.json"

    def test_reads_compressed_itxt_chunk(self) -> None:
        info = PngInfo()
        info.add_itxt("openbadges", ASSERTION_JSON, zip=True)
        assert unbake_png(make_png(pnginfo=info)) == ASSERTION_JSON

    def test_reads_itxt_with_language_and_translated_keyword(self) -> None:
        info = PngInfo()
        info.add_itxt("openbadges", JWS, lang="fr", tkey="badges ouverts")
        assert unbake_png(make_png(pnginfo=info)) == JWS

    def test_itxt_wins_over_an_earlier_legacy_chunk(self) -> None:
        info = _info(("openbadges", "https://old.example/1"))
        info.add_itxt("openbadges", JWS)
        png = make_png(pnginfo=info)
        assert [c[0] for c in openbadges_chunks(png)] == [b"tEXt", b"iTXt"]
        assert unbake_png(png) == JWS

    def test_reads_a_chunk_placed_after_the_image_data(self) -> None:
        chunk = raw_chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + JWS.encode())
        assert unbake_png(insert_before_iend(make_png(), chunk)) == JWS

    @pytest.mark.parametrize("chunk_type", [b"iTXt", b"zTXt"])
    def test_refuses_a_zip_bomb(self, chunk_type: bytes) -> None:
        bomb = _deflate(b"0" * (4 * MAX_INFLATED_TEXT))
        header = b"\x01\x00\x00\x00" if chunk_type == b"iTXt" else b"\x00"
        chunk = raw_chunk(chunk_type, b"openbadges\x00" + header + bomb)
        with pytest.raises(BakingError, match="inflates past"):
            unbake_png(insert_before_iend(make_png(), chunk))

    def test_refuses_corrupt_compressed_text(self) -> None:
        chunk = raw_chunk(b"iTXt", b"openbadges\x00\x01\x00\x00\x00not zlib at all")
        with pytest.raises(BakingError, match="corrupt"):
            unbake_png(insert_before_iend(make_png(), chunk))

    def test_refuses_truncated_compressed_text(self) -> None:
        chunk = raw_chunk(b"zTXt", b"openbadges\x00\x00" + _deflate(b"x" * 1000)[:-6])
        with pytest.raises(BakingError, match="truncated"):
            unbake_png(insert_before_iend(make_png(), chunk))

    def test_refuses_an_empty_chunk(self) -> None:
        chunk = raw_chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00")
        with pytest.raises(BakingError, match="empty"):
            unbake_png(insert_before_iend(make_png(), chunk))

    def test_reports_a_png_without_badge_data(self) -> None:
        with pytest.raises(BakingError, match="contains no Open Badges data"):
            unbake_png(make_png(pnginfo=_info(("Software", "GIMP"))))


class TestMalformedPng:
    @pytest.fixture(params=["bake", "unbake"])
    def read(self, request: pytest.FixtureRequest) -> Reader:
        if request.param == "bake":
            return lambda data: bake_png(data, JWS)
        return unbake_png

    @pytest.mark.parametrize(
        "data",
        [
            b"",
            b"GIF89a\x01\x00\x01\x00",
            b"\xff\xd8\xff\xe0",
            SIMPLE_SVG,
            random.Random(1).randbytes(64),
        ],
    )
    def test_refuses_non_png(self, read: Reader, data: bytes) -> None:
        with pytest.raises(BakingError, match="not a PNG"):
            read(data)

    @pytest.mark.parametrize("cut", [9, 20, 40, -30, -1])
    def test_refuses_a_truncated_file(self, read: Reader, cut: int) -> None:
        with pytest.raises(BakingError, match="truncated"):
            read(make_png()[:cut])

    def test_refuses_a_bad_crc(self, read: Reader) -> None:
        png = bytearray(make_png())
        png[png.index(b"IDAT") + 10] ^= 0xFF
        with pytest.raises(BakingError, match="wrong CRC"):
            read(bytes(png))

    def test_refuses_a_file_not_starting_with_ihdr(self, read: Reader) -> None:
        png = make_png()
        gama = raw_chunk(b"gAMA", struct.pack(">I", 45455))
        with pytest.raises(BakingError, match="IHDR"):
            read(png[:8] + gama + png[8:])

    def test_bake_refuses_an_unknown_critical_chunk(self) -> None:
        png = insert_before_first_idat(make_png(), raw_chunk(b"ZZZZ", b"x"))
        with pytest.raises(BakingError, match="unknown critical chunk 'ZZZZ'"):
            bake_png(png, JWS)

    def test_bake_refuses_a_png_without_image_data(self) -> None:
        png = make_png()
        ihdr_end = 8 + 12 + 13
        empty = png[:ihdr_end] + raw_chunk(b"IEND", b"")
        with pytest.raises(BakingError, match="no image data"):
            bake_png(empty, JWS)


class TestBakeSvg:
    def test_hosted_assertion_has_verify_and_cdata_body(self) -> None:
        baked = bake_svg(SIMPLE_SVG, verify=ASSERTION_URL, assertion_json=ASSERTION_JSON)
        text = baked.decode("utf-8")
        assert f'<openbadges:assertion verify="{ASSERTION_URL}"><![CDATA[{{' in text
        element = fromstring(baked)[0]
        assert element.get("verify") == ASSERTION_URL
        assert element.text == ASSERTION_JSON

    def test_signed_assertion_is_self_closing(self) -> None:
        baked = bake_svg(SIMPLE_SVG, verify=JWS)
        assert f'<openbadges:assertion verify="{JWS}"/>' in baked.decode("utf-8")
        assert unbake_svg(baked) == JWS

    def test_root_declares_the_openbadges_namespace(self) -> None:
        start = root_start_tag(bake_svg(SIMPLE_SVG, verify=JWS))
        assert 'xmlns:openbadges="http://openbadges.org"' in start
        assert 'xmlns="http://www.w3.org/2000/svg"' in start

    def test_assertion_is_the_first_child(self) -> None:
        svg = (FILES / "badge_fr.svg").read_bytes()
        baked = bake_svg(svg, verify=ASSERTION_URL, assertion_json=ASSERTION_JSON)
        assert fromstring(baked)[0].tag == ASSERTION_TAG
        after_root = baked.decode("utf-8").split(root_start_tag(baked), 1)[1]
        assert after_root.lstrip().startswith("<openbadges:assertion ")

    def test_output_is_utf8_with_xml_declaration(self) -> None:
        baked = bake_svg((FILES / "badge_fr.svg").read_bytes(), verify=JWS)
        assert baked.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        assert "Compétence numérique — Élève éco-délégué" in baked.decode("utf-8")

    def test_cdata_end_marker_inside_json_cannot_break_out(self) -> None:
        hostile = '{"narrative": "a]]><script>alert(1)</script>]]]>b"}'
        baked = bake_svg(SIMPLE_SVG, verify=ASSERTION_URL, assertion_json=hostile)
        assert b"]]]]><![CDATA[>" in baked
        root = fromstring(baked)
        assert root[0].text == hostile
        assert len(root[0]) == 0
        assert [child.tag for child in root][1:] == ["{http://www.w3.org/2000/svg}circle"]

    def test_verify_attribute_is_escaped(self) -> None:
        verify = 'https://x.example/a?b=1&c="2"<d>\t\n'
        baked = bake_svg(SIMPLE_SVG, verify=verify)
        assert fromstring(baked)[0].get("verify") == verify

    def test_rebaking_replaces_the_assertion(self) -> None:
        once = bake_svg(SIMPLE_SVG, verify=ASSERTION_URL, assertion_json=ASSERTION_JSON)
        signed = bake_svg(once, verify=JWS)
        assert signed.count(b"<openbadges:assertion") == 1
        assert unbake_svg(signed) == JWS
        assert bake_svg(signed, verify=ASSERTION_URL, assertion_json=ASSERTION_JSON) == once

    @pytest.mark.parametrize(
        "existing",
        [
            '<g><ob:assertion xmlns:ob="http://openbadges.org" verify="old"/></g>',
            '<openbadges:assertion xmlns:openbadges="https://openbadges.org/" verify="old"/>',
        ],
    )
    def test_replaces_an_assertion_by_namespace_or_raw_prefix(self, existing: str) -> None:
        svg = SIMPLE_SVG.replace(b"</svg>", existing.encode() + b"</svg>")
        baked = bake_svg(svg, verify=JWS)
        assert b'verify="old"' not in baked
        assert sum(1 for e in fromstring(baked).iter() if e.tag.endswith("}assertion")) == 1

    def test_keeps_the_rest_of_the_document(self) -> None:
        svg = (FILES / "badge_fr.svg").read_bytes()
        before = fromstring(svg)
        after = fromstring(bake_svg(svg, verify=JWS))
        assert [e.tag for e in after.iter()][2:] == [e.tag for e in before.iter()][1:]
        assert after.attrib == before.attrib

    @pytest.mark.parametrize(
        ("svg", "message"),
        [
            (b"<html><body/></html>", "root element"),
            (b'<svg viewBox="0 0 1 1"/>', "root element"),
            (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "well-formed"),
            ((FILES / "xxe.svg").read_bytes(), "DOCTYPE"),
            ((FILES / "billion_laughs.svg").read_bytes(), "DOCTYPE"),
        ],
    )
    def test_refuses_bad_documents(self, svg: bytes, message: str) -> None:
        with pytest.raises(BakingError, match=message):
            bake_svg(svg, verify=JWS)

    @pytest.mark.parametrize(
        ("verify", "assertion_json", "message"),
        [
            ("", None, "verify is empty"),
            (" ", ASSERTION_JSON, "verify is empty"),
            (ASSERTION_URL, "  ", "JSON is empty"),
            ("https://x/\x01", None, "U\\+0001"),
            (ASSERTION_URL, '{"a": "\x0b"}', "U\\+000B"),
        ],
    )
    def test_refuses_bad_values(
        self, verify: str, assertion_json: str | None, message: str
    ) -> None:
        with pytest.raises(BakingError, match=message):
            bake_svg(SIMPLE_SVG, verify=verify, assertion_json=assertion_json)


class TestUnbakeSvg:
    def test_prefers_the_verify_attribute(self) -> None:
        baked = bake_svg(SIMPLE_SVG, verify=ASSERTION_URL, assertion_json=ASSERTION_JSON)
        assert unbake_svg(baked) == ASSERTION_URL

    @pytest.mark.parametrize(
        "element",
        [
            "<openbadges:assertion><![CDATA[\n  "
            '{"a": "]]]]><![CDATA[>"}\n]]></openbadges:assertion>',
            '<openbadges:assertion verify="">{"a": "]]&gt;"}</openbadges:assertion>',
        ],
    )
    def test_returns_the_json_body_without_verify(self, element: str) -> None:
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
            f"{element}</svg>"
        )
        assert unbake_svg(svg.encode()) == '{"a": "]]>"}'

    def test_finds_the_element_under_another_prefix(self) -> None:
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="http://openbadges.org">'
        svg += b'<g><ob:assertion verify="https://a.example/1"/></g></svg>'
        assert unbake_svg(svg) == "https://a.example/1"

    def test_finds_the_raw_openbadges_prefix_under_another_namespace(self) -> None:
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://openbadges.org">'
        svg += b'<openbadges:assertion verify="https://a.example/2"/></svg>'
        assert unbake_svg(svg) == "https://a.example/2"

    def test_the_first_element_wins(self) -> None:
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        svg += b'<openbadges:assertion verify="first"/><openbadges:assertion verify="second"/>'
        assert unbake_svg(svg + b"</svg>") == "first"

    @pytest.mark.parametrize(
        "svg",
        [
            SIMPLE_SVG,
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
            b"<openbadges:assertion>  </openbadges:assertion></svg>",
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://other.example">'
            b'<x:assertion verify="not ours"/></svg>',
        ],
    )
    def test_reports_an_svg_without_badge_data(self, svg: bytes) -> None:
        with pytest.raises(BakingError, match="contains no Open Badges data"):
            unbake_svg(svg)


class TestUnbake:
    def test_dispatches_png(self) -> None:
        assert unbake(bake_png(make_png(), ASSERTION_URL)) == ASSERTION_URL

    def test_dispatches_svg_with_bom_and_comments(self) -> None:
        baked = bake_svg(SIMPLE_SVG, verify=JWS)
        assert unbake(b"\xef\xbb\xbf<!-- badge -->\n" + baked.split(b"\n", 1)[1]) == JWS

    @pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe0\x00\x10JFIF", b"hello", b""])
    def test_refuses_other_content(self, data: bytes) -> None:
        with pytest.raises(BakingError, match=r"PNG or (an )?SVG"):
            unbake(data)


def _info(*texts: tuple[str, str]) -> PngInfo:
    info = PngInfo()
    for key, value in texts:
        info.add_text(key, value)
    return info


def _deflate(data: bytes) -> bytes:
    return zlib.compress(data, 9)
