"""Badge image checks: sniffing, PNG limits, SVG sanitising and conversions."""

import base64
import io
import random
import re
import struct
import zlib
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from PIL import Image

from badgeforge.core.baking import bake_svg, unbake_svg
from badgeforge.core.errors import ImageTooComplex, InvalidImage
from badgeforge.core.images import (
    ImageInfo,
    inspect_png,
    png_to_svg,
    sanitize_svg,
    sniff_media_type,
    svg_to_png,
)
from badgeforge.core.svg import MAX_SVG_DEPTH

FILES = Path(__file__).parent / "files"
SVG = "http://www.w3.org/2000/svg"
HOSTILE_FILES = [
    "script.svg",
    "foreign_object.svg",
    "external_href.svg",
    "javascript_href.svg",
    "style_url.svg",
    "badge_fr.svg",
]
LIMITS = {"max_pixels": 1_000_000, "max_side": 2048}


def make_png(size: tuple[int, int] = (32, 24), mode: str = "RGB", seed: int = 0) -> bytes:
    data = random.Random(seed).randbytes(size[0] * size[1] * len(mode))
    buffer = io.BytesIO()
    Image.frombytes(mode, size, data).save(buffer, "PNG")
    return buffer.getvalue()


def sanitize_file(name: str) -> str:
    return sanitize_svg((FILES / name).read_bytes())[0].decode("utf-8")


def svg_document(attributes: str, body: str = "") -> bytes:
    return f'<svg xmlns="{SVG}" {attributes}>{body}</svg>'.encode()


def png_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        return image.size


class TestSniffMediaType:
    @pytest.mark.parametrize(
        "data",
        [
            b'<svg xmlns="http://www.w3.org/2000/svg"/>',
            b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
            b'  \n<?xml version="1.0" encoding="UTF-8"?>\n<!-- a > b -->\n<!-- two -->\n<svg>',
            (FILES / "doctype_svg11.svg").read_bytes(),
            (FILES / "xxe.svg").read_bytes(),
            b'<?xml-stylesheet href="x.css"?><svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>',
            '\ufeff<svg xmlns="http://www.w3.org/2000/svg"/>'.encode("utf-16-le"),
            "<!-- « é » --><svg\n>".encode(),
        ],
    )
    def test_recognises_svg(self, data: bytes) -> None:
        assert sniff_media_type(data) == "image/svg+xml"

    def test_recognises_png_by_signature_only(self) -> None:
        assert sniff_media_type(make_png()) == "image/png"
        assert sniff_media_type(b"\x89PNG\r\n\x1a\n") == "image/png"

    @pytest.mark.parametrize(
        ("data", "kind"),
        [
            (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
            (b"GIF89a\x01\x00\x01\x00", "GIF"),
            (b"GIF87a\x01\x00\x01\x00", "GIF"),
            (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP"),
            (b"\x1f\x8b\x08\x00", "SVGZ"),
        ],
    )
    def test_refuses_other_image_types_naming_png_and_svg(self, data: bytes, kind: str) -> None:
        with pytest.raises(InvalidImage, match=f"{kind}.*must be PNG or SVG"):
            sniff_media_type(data)

    @pytest.mark.parametrize(
        "data",
        [
            b"",
            random.Random(3).randbytes(256),
            b"<html><body>not a badge</body></html>",
            b'<?xml version="1.0"?><svgx/>',
            b"<!-- never closed <svg>",
            b"\x89PNG",
            b"badge.png",
        ],
    )
    def test_refuses_anything_else(self, data: bytes) -> None:
        with pytest.raises(InvalidImage, match="upload a PNG or an SVG"):
            sniff_media_type(data)


class TestInspectPng:
    @pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
    def test_returns_size_from_header(self, mode: str) -> None:
        info = inspect_png(make_png((40, 30), mode), **LIMITS)
        assert info == ImageInfo("image/png", 40, 30)

    def test_refuses_a_side_over_the_limit(self) -> None:
        with pytest.raises(InvalidImage, match=r"PNG is 300x20 pixels; .* at most 256"):
            inspect_png(make_png((300, 20)), max_pixels=10**6, max_side=256)

    def test_refuses_too_many_pixels(self) -> None:
        with pytest.raises(InvalidImage, match="100x100 = 10000 pixels; the limit is 9999"):
            inspect_png(make_png((100, 100)), max_pixels=9_999, max_side=4096)

    def test_refuses_a_huge_header_without_decoding_it(self) -> None:
        png = bytearray(make_png())
        struct.pack_into(">II", png, 16, 100_000, 100_000)
        struct.pack_into(">I", png, 29, zlib.crc32(bytes(png[12:29])))
        with pytest.raises(InvalidImage, match="100000x100000"):
            inspect_png(bytes(png), **LIMITS)

    @pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
    def test_refuses_a_truncated_file(self, cut: float) -> None:
        png = make_png((64, 64))
        with pytest.raises(InvalidImage, match="truncated"):
            inspect_png(png[: int(len(png) * cut)], **LIMITS)

    def test_refuses_corrupt_image_data_with_valid_crcs(self) -> None:
        png = make_png((64, 64))
        start = png.index(b"IDAT") - 4
        (length,) = struct.unpack_from(">I", png, start)
        garbage = b"\x78\x9c" + random.Random(5).randbytes(length - 2)
        idat = struct.pack(">I", length) + b"IDAT" + garbage
        idat += struct.pack(">I", zlib.crc32(b"IDAT" + garbage))
        broken = png[:start] + idat + png[start + 12 + length :]
        with pytest.raises(InvalidImage, match="corrupt or truncated"):
            inspect_png(broken, **LIMITS)

    def test_refuses_a_wrong_crc(self) -> None:
        png = bytearray(make_png())
        png[png.index(b"IDAT") + 8] ^= 1
        with pytest.raises(InvalidImage, match="wrong CRC"):
            inspect_png(bytes(png), **LIMITS)

    def test_refuses_non_png(self) -> None:
        with pytest.raises(InvalidImage, match="not a PNG"):
            inspect_png(b"GIF89a", **LIMITS)


class TestSanitizeSvgRemovesHostileContent:
    def test_scripts_and_event_handlers(self) -> None:
        clean = sanitize_file("script.svg")
        assert "script" not in clean
        assert "alert" not in clean
        assert not re.search(r"\son\w+=", clean, re.IGNORECASE)
        assert "<circle" in clean
        assert '<rect id="background"' in clean

    def test_foreign_object_iframe_embed_object(self) -> None:
        clean = sanitize_file("foreign_object.svg")
        for word in ("foreignObject", "iframe", "embed", "object", "evil", "xhtml"):
            assert word not in clean
        assert '<rect width="120" height="80" fill="green"/>' in clean

    def test_external_references(self) -> None:
        clean = sanitize_file("external_href.svg")
        for word in ("evil", "file:", "svg+xml", "passwd"):
            assert word not in clean
        assert clean.count('href="#dot"') == 2
        assert clean.count("<use") == 2
        assert clean.count("<image") == 1
        assert 'href="data:image/png;base64,iVBORw0KGgo="' in clean

    @pytest.mark.parametrize("name", ["xxe.svg", "billion_laughs.svg", "doctype_svg11.svg"])
    def test_doctype_and_entities_are_refused(self, name: str) -> None:
        with pytest.raises(InvalidImage, match="DOCTYPE"):
            sanitize_svg((FILES / name).read_bytes())

    def test_javascript_links_and_animations(self) -> None:
        clean = sanitize_file("javascript_href.svg")
        assert "javascript" not in clean.lower()
        for word in ("alert", "evil", "<a", "animate", "<set", "target"):
            assert word not in clean
        assert '<g><rect width="50" height="40" fill="red"/></g>' in clean
        assert '<g><circle cx="75" cy="20" r="10"/></g>' in clean
        text = fromstring(clean.encode()).find(f"{{{SVG}}}text")
        assert text is not None
        assert "".join(text.itertext()) == "Cliquez ici maintenant"

    def test_external_urls_in_styles_and_paint(self) -> None:
        clean = sanitize_file("style_url.svg")
        for word in ("evil", "@import", "\\75", "beacon"):
            assert word not in clean
        assert clean.count("<style") == 1
        assert ".safe { fill: url(#grad); stroke: #222; }" in clean
        assert 'style="stroke: blue"' in clean
        assert 'style="opacity: 0.5"' in clean
        assert 'stroke="url(#grad)"' in clean
        assert 'mask="url(#grad)"' in clean

    def test_foreign_namespaces_comments_and_metadata(self) -> None:
        clean = sanitize_file("badge_fr.svg")
        for word in ("inkscape", "metadata", "rdf", "<!--", "Generator"):
            assert word not in clean

    @pytest.mark.parametrize(
        ("svg", "forbidden"),
        [
            (b'<?xml-stylesheet href="https://evil.example/x.css"?><svg {ns} {size}/>', "evil"),
            (b'<svg {ns} {size}><g xml:base="https://evil.example/"/></svg>', "evil"),
            (b'<svg {ns} {size}><rect fill="&#106;ava&#10;script:x"/></svg>', "script"),
            (b'<svg {ns} {size}><s:script xmlns:s="{svg}">x()</s:script></svg>', "script"),
            (b'<svg {ns} {size}><style type="text/xsl">g{{}}</style></svg>', "style"),
            (b"<svg {ns} {size}><handler>x()</handler><listener/></svg>", "x()"),
            (b'<svg {ns} {size}><rect style="behavior: url(x.htc)"/></svg>', "htc"),
            (b'<svg {ns} {size}><rect style="-moz-binding:url(http://evil)"/></svg>', "evil"),
            (b"<svg {ns} {size}><style>g{{}}&lt;/style&gt;&lt;b&gt;</style></svg>", "style"),
            (b"<svg {ns} {size}><text>&lt;script&gt;x&lt;/script&gt;</text></svg>", "<script"),
            (b'<svg {ns} {size}><rect p:onload="x()" xmlns:p="urn:p"/></svg>', "onload"),
        ],
    )
    def test_other_vectors(self, svg: bytes, forbidden: str) -> None:
        document = svg.decode().format(ns=f'xmlns="{SVG}"', size='width="9" height="9"', svg=SVG)
        clean, _ = sanitize_svg(document.encode())
        assert forbidden not in clean.decode()

    @pytest.mark.parametrize("name", HOSTILE_FILES)
    def test_sanitising_is_idempotent(self, name: str) -> None:
        once, info = sanitize_svg((FILES / name).read_bytes())
        assert sanitize_svg(once) == (once, info)

    @pytest.mark.parametrize("name", HOSTILE_FILES)
    def test_output_is_svg_in_the_svg_namespace(self, name: str) -> None:
        clean, info = sanitize_svg((FILES / name).read_bytes())
        assert clean.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="')
        assert fromstring(clean).tag == f"{{{SVG}}}svg"
        assert info.media_type == "image/svg+xml"


class TestSanitizeSvgKeepsContent:
    def test_french_text_survives(self) -> None:
        clean = sanitize_file("badge_fr.svg")
        assert "<title>Compétence numérique — Élève éco-délégué</title>" in clean
        assert "<desc>Délivré par l'ESAT Les Ateliers, Besançon</desc>" in clean
        assert '<tspan font-weight="bold">à 100 %</tspan> ✓</text>' in clean
        assert 'xml:space="preserve"' in clean
        assert 'fill="url(#fond)"' in clean
        assert "<radialGradient" in clean

    def test_latin1_document_comes_out_as_utf8(self) -> None:
        svg = (
            '<?xml version="1.0" encoding="ISO-8859-1"?>'
            f'<svg xmlns="{SVG}" width="10" height="10"><title>Créé à Besançon</title></svg>'
        ).encode("latin-1")
        clean, _ = sanitize_svg(svg)
        assert "<title>Créé à Besançon</title>" in clean.decode("utf-8")

    def test_prefixed_svg_is_rewritten_with_default_namespace(self) -> None:
        svg = f'<s:svg xmlns:s="{SVG}" width="5" height="5"><s:rect width="5"/></s:svg>'
        clean, _ = sanitize_svg(svg.encode())
        expected = f'<svg xmlns="{SVG}" width="5" height="5"><rect width="5"/></svg>'
        assert clean.decode().endswith(expected)


class TestSanitizeSvgSize:
    @pytest.mark.parametrize(
        ("attributes", "size"),
        [
            ('width="300" height="150"', (300, 150)),
            ('width="300px" height="150.4px"', (300, 150)),
            ('viewBox="0 0 512 256"', (512, 256)),
            ('viewBox="10,10,64,32"', (64, 32)),
            ('width="200" viewBox="0 0 100 50"', (200, 100)),
            ('height="100" viewBox="0 0 100 50"', (200, 100)),
            ('width="100%" height="100%" viewBox="0 0 90 60"', (90, 60)),
            ('width="1in" height="72pt"', (96, 96)),
            ('width="25.4mm" height="2.54cm"', (96, 96)),
            ('width="1e2" height="0.2"', (100, 1)),
        ],
    )
    def test_size_from_width_height_or_viewbox(
        self, attributes: str, size: tuple[int, int]
    ) -> None:
        _, info = sanitize_svg(svg_document(attributes))
        assert (info.width, info.height) == size

    @pytest.mark.parametrize(
        "attributes",
        ["", 'width="100%" height="100%"', 'width="0" height="0"', 'viewBox="0 0 0 10"'],
    )
    def test_unknown_size_is_refused(self, attributes: str) -> None:
        with pytest.raises(InvalidImage, match="no usable width/height and no viewBox"):
            sanitize_svg(svg_document(attributes))

    def test_too_large_is_refused(self) -> None:
        with pytest.raises(InvalidImage, match=r"5000x100 pixels; .* at most 4096"):
            sanitize_svg(svg_document('viewBox="0 0 5000 100"'))
        with pytest.raises(InvalidImage, match="at most 64"):
            sanitize_svg(svg_document('width="65" height="10"'), max_side=64)


class TestSanitizeSvgRefusesBadDocuments:
    @pytest.mark.parametrize(
        ("svg", "message"),
        [
            (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not well-formed"),
            (b"\xff\xfe\x00garbage", "not well-formed"),
            (b"", "not well-formed"),
            (b'<svg width="1" height="1"/>', "root element must be <svg>"),
            (b"<html xmlns='http://www.w3.org/1999/xhtml'/>", "root element must be <svg>"),
            (b"<svg xmlns='http://www.w3.org/2000/svg'><x:y/></svg>", "unbound prefix"),
        ],
    )
    def test_refused(self, svg: bytes, message: str) -> None:
        with pytest.raises(InvalidImage, match=message):
            sanitize_svg(svg)

    def test_deep_nesting_is_refused(self) -> None:
        depth = MAX_SVG_DEPTH + 1
        svg = svg_document('width="1" height="1"', "<g>" * depth + "</g>" * depth)
        with pytest.raises(InvalidImage, match="nested"):
            sanitize_svg(svg)


class TestSvgToPng:
    def test_renders_the_requested_width(self) -> None:
        png = svg_to_png((FILES / "badge_fr.svg").read_bytes(), width=64)
        assert png_size(png) == (64, 64)

    def test_keeps_the_aspect_ratio(self) -> None:
        svg = svg_document('viewBox="0 0 200 100"', '<rect width="200" height="100"/>')
        assert png_size(svg_to_png(svg, width=80)) == (80, 40)

    def test_hostile_input_is_sanitised_before_rendering(self) -> None:
        png = svg_to_png((FILES / "external_href.svg").read_bytes(), width=32)
        assert png_size(png) == (32, 32)

    def test_invalid_svg_is_refused(self) -> None:
        with pytest.raises(InvalidImage):
            svg_to_png(b"<svg>", width=32)

    @pytest.mark.parametrize("width", [0, -5, 100_000])
    def test_width_out_of_range_is_a_typed_error(self, width: int) -> None:
        with pytest.raises(ImageTooComplex, match="width must be between"):
            svg_to_png(svg_document('width="1" height="1"'), width=width)

    def test_render_height_is_bounded(self) -> None:
        with pytest.raises(ImageTooComplex, match="512 pixels wide would be 51200 tall"):
            svg_to_png(svg_document('viewBox="0 0 1 100"'), width=512)


class TestPngToSvg:
    def test_embeds_the_png_at_the_same_size(self) -> None:
        png = make_png((40, 30), "RGBA")
        svg = png_to_svg(png, inspect_png(png, **LIMITS))
        image = fromstring(svg).find(f"{{{SVG}}}image")
        assert image is not None
        for name in ("href", "{http://www.w3.org/1999/xlink}href"):
            value = image.get(name, "")
            assert base64.b64decode(value.removeprefix("data:image/png;base64,")) == png

    def test_passes_the_sanitizer_unchanged(self) -> None:
        png = make_png((40, 30))
        info = inspect_png(png, **LIMITS)
        svg = png_to_svg(png, info)
        clean, clean_info = sanitize_svg(svg)
        assert clean == svg
        assert clean_info == ImageInfo("image/svg+xml", 40, 30)

    def test_renders_back_to_the_same_size(self) -> None:
        png = make_png((40, 30))
        assert png_size(svg_to_png(png_to_svg(png, inspect_png(png, **LIMITS)), width=40)) == (
            40,
            30,
        )

    def test_round_trips_through_bake_svg(self) -> None:
        png = make_png()
        svg = png_to_svg(png, inspect_png(png, **LIMITS))
        baked = bake_svg(svg, verify="https://badges.example.fr/a/1", assertion_json='{"a": 1}')
        assert unbake_svg(baked) == "https://badges.example.fr/a/1"
        assert sanitize_svg(baked)[0] == svg

    def test_refuses_non_png(self) -> None:
        with pytest.raises(InvalidImage, match="needs PNG"):
            png_to_svg(b"GIF89a", ImageInfo("image/png", 1, 1))
