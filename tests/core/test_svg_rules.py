"""Single rules of SVG parsing and serialisation: nesting depth, escaping, namespace prefixes."""

import re
from xml.etree.ElementTree import Element, SubElement

import pytest

from badgeforge.core.errors import InvalidImage
from badgeforge.core.svg import MAX_SVG_DEPTH, SvgTree, parse_svg, serialize_svg

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def exactly(text: str) -> str:
    return "^" + re.escape(text) + "$"


def nested(depth: int) -> bytes:
    """An SVG whose elements are nested `depth` deep, the root included."""
    inner = depth - 1
    return f'<svg xmlns="{SVG}">'.encode() + b"<g>" * inner + b"</g>" * inner + b"</svg>"


def round_trip(svg: str) -> str:
    return serialize_svg(parse_svg(svg.encode())).decode().removeprefix(HEAD)


class TestDepth:
    def test_the_deepest_allowed_nesting_parses(self) -> None:
        assert parse_svg(nested(MAX_SVG_DEPTH)).root.tag == f"{{{SVG}}}svg"

    def test_one_level_deeper_is_refused(self) -> None:
        reason = f"SVG elements are nested more than {MAX_SVG_DEPTH} deep"
        with pytest.raises(InvalidImage, match=exactly(reason)):
            parse_svg(nested(MAX_SVG_DEPTH + 1))


class TestRefusals:
    def test_a_doctype_is_refused_with_what_to_do(self) -> None:
        reason = (
            "SVG contains a <!DOCTYPE> declaration; DTDs are refused because they can "
            "define entities. Remove the DOCTYPE line and upload the file again"
        )
        with pytest.raises(InvalidImage, match=exactly(reason)):
            parse_svg(b'<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>')

    def test_malformed_xml_is_refused_saying_so(self) -> None:
        with pytest.raises(InvalidImage, match=r"^SVG is not well-formed XML \(.+\)$"):
            parse_svg(b"<svg><g></svg>")


class TestEscaping:
    def test_attribute_whitespace_and_quotes_survive_a_round_trip(self) -> None:
        svg = f'<svg xmlns="{SVG}"><text x="a&#13;b&#10;c&#9;d &quot;e&quot; &lt;&amp;&gt;"/></svg>'
        out = round_trip(svg)
        assert 'x="a&#13;b&#10;c&#9;d &quot;e&quot; &lt;&amp;&gt;"' in out
        assert parse_svg(out.encode()).root[0].get("x") == 'a\rb\nc\td "e" <&>'

    def test_text_markup_characters_are_escaped(self) -> None:
        out = round_trip(f'<svg xmlns="{SVG}"><text>a &lt; b &gt; c &amp; d</text></svg>')
        assert "<text>a &lt; b &gt; c &amp; d</text>" in out


class TestPrefixes:
    def test_xlink_is_always_spelt_xlink(self) -> None:
        out = round_trip(f'<svg xmlns="{SVG}" xmlns:xl="{XLINK}"><use xl:href="#a"/></svg>')
        assert out == (f'<svg xmlns="{SVG}" xmlns:xlink="{XLINK}"><use xlink:href="#a"/></svg>')

    def test_one_prefix_bound_to_two_namespaces_gets_a_fresh_name(self) -> None:
        svg = f'<svg xmlns="{SVG}" xmlns:a="urn:one" a:x="1"><g xmlns:a="urn:two" a:y="2"/></svg>'
        out = round_trip(svg)
        assert out == (
            f'<svg xmlns="{SVG}" xmlns:a="urn:one" xmlns:ns0="urn:two" a:x="1"><g ns0:y="2"/></svg>'
        )

    def test_attributes_in_the_svg_namespace_get_the_svg_prefix(self) -> None:
        root = Element(f"{{{SVG}}}svg", {f"{{{SVG}}}fill": "red"})
        out = serialize_svg(SvgTree(root)).decode().removeprefix(HEAD)
        assert out == f'<svg xmlns="{SVG}" xmlns:svg="{SVG}" svg:fill="red"/>'

    def test_an_element_in_no_namespace_undeclares_the_default(self) -> None:
        root = Element(f"{{{SVG}}}svg")
        SubElement(root, "plain")
        out = serialize_svg(SvgTree(root)).decode().removeprefix(HEAD)
        assert out == f'<svg xmlns="{SVG}"><plain xmlns=""/></svg>'
