"""The render cost check: hostile SVGs refused before the renderer runs, honest ones kept."""

import io
import struct
import time
from pathlib import Path

import pytest
from PIL import Image

from badgeforge.core.errors import ImageTooComplex, InvalidImage
from badgeforge.core.images import prepare_render, sanitize_svg, svg_to_png
from badgeforge.core.rasters import RasterSize, raster_size
from badgeforge.core.svg import parse_svg
from badgeforge.core.svg_budget import RenderLimits, check_render_budget
from tests.images import (
    MORPHOLOGY_BOMB,
    TURBULENCE_BOMB,
    bomb_png,
    png_bytes,
    svg_embedding,
    svg_filtered,
)

FILES = Path(__file__).parent / "files"
TEMPLATES = Path(__file__).parents[2] / "badge_templates"
SVG = 'xmlns="http://www.w3.org/2000/svg"'
LIMITS = RenderLimits()


def check(svg: bytes, width: int = 512, limits: RenderLimits = LIMITS) -> None:
    prepare_render(svg, width=width, limits=limits)


def svg(body: str, size: int = 100) -> bytes:
    return f'<svg {SVG} width="{size}" height="{size}">{body}</svg>'.encode()


class TestIssueBombs:
    """The SVGs of issue 5 are refused in milliseconds, naming what is too large."""

    @pytest.mark.parametrize(
        ("bomb", "message"),
        [
            (TURBULENCE_BOMB, "feTurbulence numOctaves is 1000; the limit is 10"),
            (MORPHOLOGY_BOMB, "feMorphology radius is 512 pixels at this size; the limit is 32"),
        ],
    )
    def test_filter_bombs(self, bomb: bytes, message: str) -> None:
        started = time.perf_counter()
        with pytest.raises(ImageTooComplex, match=message):
            svg_to_png(bomb, width=512)
        assert time.perf_counter() - started < 0.5

    @pytest.mark.parametrize("side", [16000, 50000])
    def test_raster_bombs_are_measured_from_their_header(self, side: int) -> None:
        bomb = svg_embedding(bomb_png(side, side))
        started = time.perf_counter()
        with pytest.raises(ImageTooComplex, match=f"{side}x{side} pixels; each side"):
            svg_to_png(bomb, width=512)
        assert time.perf_counter() - started < 0.5

    def test_billion_laughs_through_use(self) -> None:
        levels = "".join(
            f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, 10)
        )
        bomb = svg(f'<defs><rect id="l0" width="1" height="1"/>{levels}</defs><use href="#l9"/>')
        with pytest.raises(ImageTooComplex, match="more than 10000 elements drawn"):
            check(bomb)

    def test_reference_cycle(self) -> None:
        with pytest.raises(ImageTooComplex, match="refers to itself"):
            check(svg('<g id="a"><rect width="1" height="1"/><use href="#a"/></g>'))


class TestFilters:
    @pytest.mark.parametrize(
        ("primitive", "message"),
        [
            ('<feTurbulence numOctaves="1e3"/>', "numOctaves is 1000"),
            ('<feGaussianBlur stdDeviation="5 200"/>', "stdDeviation is 1024 pixels"),
            ('<feDropShadow stdDeviation="101"/>', "feDropShadow stdDeviation"),
            ('<feConvolveMatrix order="11" kernelMatrix="1"/>', "order is 11; the limit is 9"),
            ('<feConvolveMatrix order="3" kernelMatrix="' + "1 " * 82 + '"/>', "kernelMatrix"),
            (
                '<feComponentTransfer><feFuncR type="table" tableValues="'
                + "0 " * 257
                + '"/></feComponentTransfer>',
                "tableValues is 257",
            ),
        ],
    )
    def test_parameters_are_bounded(self, primitive: str, message: str) -> None:
        with pytest.raises(ImageTooComplex, match=message):
            check(svg_filtered(primitive))

    def test_radius_is_measured_in_device_pixels(self) -> None:
        radius = svg_filtered('<feMorphology radius="4"/>', size=512)
        check(radius)  # 4 pixels at 512 px
        scaled = f'<g transform="translate(1) scale(10)">{_body(radius)}</g>'
        with pytest.raises(ImageTooComplex, match="radius is 40 pixels"):
            check(svg(scaled, size=512))
        with pytest.raises(ImageTooComplex, match="radius is 512 pixels"):
            check(svg_filtered('<feMorphology radius="1"/>', attributes=_BBOX_UNITS))

    def test_primitives_per_filter(self) -> None:
        with pytest.raises(ImageTooComplex, match="17 primitives; the limit is 16"):
            check(svg_filtered('<feOffset dx="1"/>' * 17))

    def test_filter_runs_count_every_element_using_the_filter(self) -> None:
        rects = '<rect width="9" height="9" filter="url(#f)"/>' * 9
        body = f'<filter id="f">{"<feOffset/>" * 8}</filter>{rects}'
        with pytest.raises(ImageTooComplex, match="more than 64 filter primitives run"):
            check(svg(body))

    def test_stylesheet_filters_apply_to_every_element(self) -> None:
        body = '<style>rect { filter: url(#f) }</style><filter id="f"><feOffset/></filter>'
        with pytest.raises(ImageTooComplex, match="filter primitives run"):
            check(svg(body + '<rect width="1" height="1"/>' * 70))

    def test_total_work(self) -> None:
        heavy = '<feMorphology radius="3"/>' * 2  # each alone within the budget at 512 px
        with pytest.raises(ImageTooComplex, match=r"pixel operations to render; the limit"):
            check(svg_filtered(heavy))
        check(svg_filtered(heavy), width=256)

    def test_filter_template_cycle(self) -> None:
        body = '<filter id="f" href="#g"/><filter id="g" href="#f"/>'
        with pytest.raises(ImageTooComplex, match="refers to itself"):
            check(svg(body + '<rect width="1" height="1" filter="url(#f)"/>'))


_BBOX_UNITS = 'primitiveUnits="objectBoundingBox"'


def _body(document: bytes) -> str:
    text = document.decode()
    return text[text.index(">") + 1 : text.rindex("</svg>")]


class TestExpansion:
    def test_markers_are_drawn_at_every_vertex(self) -> None:
        marker = '<marker id="m"><path d="M0 0L1 1"/></marker>'
        points = " ".join(f"{n} {n}" for n in range(6000))
        body = f'{marker}<polyline points="{points}" marker-mid="url(#m)"/>'
        with pytest.raises(ImageTooComplex, match="elements drawn"):
            check(svg(body))

    def test_inherited_paint_is_counted_per_shape(self) -> None:
        pattern = '<pattern id="p" width="1" height="1">' + "<rect/>" * 400 + "</pattern>"
        shapes = '<g fill="url(#p)">' + "<circle r='1'/>" * 30 + "</g>"
        with pytest.raises(ImageTooComplex, match="elements drawn"):
            check(svg(pattern + shapes))

    def test_path_data_and_text(self) -> None:
        path = '<path id="p" d="' + "L1 1 " * 50_000 + '"/>'
        with pytest.raises(ImageTooComplex, match="characters of path data"):
            check(svg(f"<defs>{path}</defs>" + '<use href="#p"/>' * 9))
        text = "<text>" + "badge " * 4000 + "</text>"
        with pytest.raises(ImageTooComplex, match="characters of text"):
            check(svg(text))

    def test_pattern_tile_size(self) -> None:
        tile = '<pattern id="p" patternUnits="userSpaceOnUse" width="3000" height="3000"/>'
        with pytest.raises(ImageTooComplex, match="pattern tile"):
            check(svg(tile + '<rect width="9" height="9" fill="url(#p)"/>'))

    def test_transform_out_of_range(self) -> None:
        with pytest.raises(ImageTooComplex, match="out of range"):
            check(svg('<g transform="scale(1e308)"><g transform="scale(1e308)"/></g>'))


class TestEmbeddedRasters:
    def test_pixels_over_the_limit(self) -> None:
        limits = RenderLimits(max_raster_pixels=1000)
        with pytest.raises(ImageTooComplex, match="64x64 = 4096 pixels; the limit is 1000"):
            check(svg_embedding(png_bytes()), limits=limits)

    def test_total_pixels_count_every_use(self) -> None:
        image = _body(svg_embedding(png_bytes(1000, 1000))).replace("<image", '<image id="i"')
        with pytest.raises(ImageTooComplex, match="embedded image pixels decoded"):
            check(svg(image + '<use href="#i"/>' * 20))

    def test_declared_type_must_match_the_bytes(self) -> None:
        with pytest.raises(InvalidImage, match="embedded as JPEG in the SVG is a PNG"):
            check(svg_embedding(png_bytes(), "image/jpeg"))

    def test_not_base64(self) -> None:
        document = svg('<image href="data:image/png;base64,iVBORw0KGgo=A" width="1"/>')
        with pytest.raises(InvalidImage, match="not valid base64"):
            check(document)


def _encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


class TestRasterSize:
    @pytest.mark.parametrize(
        ("kind", "options"),
        [
            ("PNG", {}),
            ("JPEG", {"exif": b"Exif\x00\x00" + bytes(3000)}),
            ("JPEG", {"progressive": True}),
            ("GIF", {}),
            ("WebP", {"lossless": True}),
            ("WebP", {"quality": 50}),
        ],
    )
    def test_reads_the_header(self, kind: str, options: dict[str, object]) -> None:
        data = _encoded(Image.new("RGB", (37, 21), "red"), kind.upper(), **options)
        assert raster_size(data) == RasterSize(kind, 37, 21)  # type: ignore[arg-type]

    def test_webp_extended_header(self) -> None:
        data = _encoded(Image.new("RGBA", (37, 21)), "WEBP", exif=b"Exif\x00\x00x")
        assert raster_size(data) == RasterSize("WebP", 37, 21)

    def test_gif_frame_larger_than_its_screen(self) -> None:
        gif = bytearray(_encoded(Image.new("P", (10, 10)), "GIF"))
        start = gif.index(b"\x2c", 13)
        struct.pack_into("<HH", gif, start + 5, 30000, 20000)
        size = raster_size(bytes(gif))
        assert size is not None
        assert (size.width, size.height) == (30000, 20000)

    def test_huge_jpeg_header(self) -> None:
        jpeg = bytearray(_encoded(Image.new("RGB", (8, 8)), "JPEG"))
        start = jpeg.index(b"\xff\xc0")
        struct.pack_into(">HH", jpeg, start + 5, 65535, 65535)
        assert raster_size(bytes(jpeg)) == RasterSize("JPEG", 65535, 65535)

    @pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0\x00\x10JF"])
    def test_too_short_to_declare_a_size(self, data: bytes) -> None:
        assert raster_size(data) is None

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"BM" + bytes(40), "not a PNG, JPEG, GIF or WebP"),
            (b"\xff\xd8\xff\xd9", "no frame header"),
            (b"\xff\xd8\x00", "marker expected"),
            (b"RIFF\x00\x00\x00\x00WEBPVP8Q" + bytes(30), "unknown header"),
            (bomb_png(1, 1).replace(b"\x00\x00\x00\x01\x00\x00\x00\x01", bytes(8), 1), "zero"),
        ],
    )
    def test_refused(self, data: bytes, message: str) -> None:
        with pytest.raises(InvalidImage, match=message):
            raster_size(data)


class TestHonestBadgesPass:
    @pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.svg")), ids=lambda p: p.name)
    def test_templates(self, path: Path) -> None:
        check(path.read_bytes())

    @pytest.mark.parametrize("name", ["badge_fr.svg", "external_href.svg", "style_url.svg"])
    def test_fixtures(self, name: str) -> None:
        check((FILES / name).read_bytes())

    def test_common_effects(self) -> None:
        effects = (
            '<feGaussianBlur in="SourceAlpha" stdDeviation="4"/><feOffset dx="2" dy="3"/>'
            '<feMorphology operator="dilate" radius="2"/><feComponentTransfer>'
            '<feFuncA type="linear" slope="0.4"/></feComponentTransfer>'
            '<feMerge><feMergeNode/><feMergeNode in="SourceGraphic"/></feMerge>'
        )
        check(svg_filtered(effects, size=512))
        check(svg_embedding(png_bytes(512, 512)))

    def test_budget_checks_a_parsed_tree_directly(self) -> None:
        clean, info = sanitize_svg(TURBULENCE_BOMB)
        with pytest.raises(ImageTooComplex):
            check_render_budget(
                parse_svg(clean), width=info.width, height=info.height, limits=LIMITS
            )
