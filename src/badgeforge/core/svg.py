"""SVG documents as XML: safe parsing and namespace-aware serialisation.

Pure functions on bytes. XML always goes through defusedxml with DTDs forbidden, so entity
expansion (billion laughs) and external entities (XXE) are refused before any element is
built, and nesting depth is bounded. ``badgeforge.core.images`` (sanitising, conversion)
and ``badgeforge.core.baking`` build on these helpers.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

# Element is only a type here; every parse goes through defusedxml.
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import ParseError, iterparse

from badgeforge.core.errors import InvalidImage

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SVG_ROOT_TAG = f"{{{SVG_NS}}}svg"
XLINK_HREF = f"{{{XLINK_NS}}}href"

MAX_SVG_DEPTH = 256
"""Deepest element nesting accepted in an SVG (real badges stay under 30)."""


@dataclass(frozen=True)
class SvgTree:
    """A parsed SVG: the root element and the (prefix, uri) declarations of the source."""

    root: Element
    declarations: tuple[tuple[str, str], ...] = ()


def parse_svg(data: bytes) -> SvgTree:
    """Parse XML bytes with defusedxml (no DTD, no entities, bounded depth) or raise InvalidImage.

    Comments and processing instructions are dropped; the root is not checked here.
    """
    root: Element | None = None
    declarations: list[tuple[str, str]] = []
    try:
        for event, item in iterparse(
            io.BytesIO(data), events=("start", "start-ns"), forbid_dtd=True
        ):
            if event == "start-ns":
                declarations.append(item)
            elif root is None:
                root = item
    except DTDForbidden as exc:
        raise InvalidImage(
            "SVG contains a <!DOCTYPE> declaration; DTDs are refused because they can "
            "define entities. Remove the DOCTYPE line and upload the file again"
        ) from exc
    except DefusedXmlException as exc:
        raise InvalidImage("SVG declares XML entities or external references") from exc
    except ParseError as exc:
        raise InvalidImage(f"SVG is not well-formed XML ({exc})") from exc
    if root is None:  # pragma: no cover - expat reports "no element found" first
        raise InvalidImage("SVG document has no root element")
    _check_depth(root)
    return SvgTree(root, tuple(declarations))


def _check_depth(root: Element) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_SVG_DEPTH:
            raise InvalidImage(f"SVG elements are nested more than {MAX_SVG_DEPTH} deep")
        stack.extend((child, depth + 1) for child in element)


def split_tag(name: str) -> tuple[str | None, str]:
    """Split an ElementTree ``{uri}local`` name into (uri or None, local)."""
    if name.startswith("{"):
        uri, _, local = name[1:].partition("}")
        return uri, local
    return None, name


def serialize_svg(
    tree: SvgTree,
    *,
    prefixes: Mapping[str, str] | None = None,
    cdata_tags: frozenset[str] = frozenset(),
) -> bytes:
    """Serialise a tree as UTF-8 XML with an XML declaration.

    SVG is the default namespace; `prefixes` (uri -> prefix) wins over the prefixes the
    source declared, then xlink is ``xlink``. Text of elements whose tag is in `cdata_tags`
    is written as CDATA, with any ``]]>`` split across two sections.
    """
    names = _Prefixes(tree, prefixes or {})
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    declarations = [(f"xmlns:{prefix}", uri) for uri, prefix in names.by_uri.items()]
    _write(tree.root, out, names, cdata_tags, None, declarations)
    return "".join(out).encode("utf-8")


class _Prefixes:
    def __init__(self, tree: SvgTree, preferred: Mapping[str, str]) -> None:
        needed: set[str] = set()
        for element in tree.root.iter():
            uri, _ = split_tag(element.tag)
            if uri is not None and uri != SVG_NS:
                needed.add(uri)
            needed.update(uri for uri, _ in map(split_tag, element.attrib) if uri is not None)
        needed.discard(XML_NS)
        candidates = [
            *preferred.items(),
            (XLINK_NS, "xlink"),
            *((uri, prefix) for prefix, uri in tree.declarations),
            (SVG_NS, "svg"),  # only for attributes in the SVG namespace
        ]
        self.by_uri: dict[str, str] = {}
        taken = {"xml", "xmlns"}
        for uri, prefix in candidates:
            if uri in needed and uri not in self.by_uri and prefix and prefix not in taken:
                self.by_uri[uri] = prefix
                taken.add(prefix)
        for number, uri in enumerate(sorted(needed - self.by_uri.keys())):
            self.by_uri[uri] = f"ns{number}"

    def attribute(self, name: str) -> str:
        uri, local = split_tag(name)
        if uri is None:
            return local
        return f"{'xml' if uri == XML_NS else self.by_uri[uri]}:{local}"


def _write(
    element: Element,
    out: list[str],
    names: _Prefixes,
    cdata_tags: frozenset[str],
    default_ns: str | None,
    declarations: list[tuple[str, str]],
) -> None:
    uri, local = split_tag(element.tag)
    attributes: list[tuple[str, str]] = []
    if uri is None or uri == SVG_NS:
        name = local
        if default_ns != uri:
            attributes.append(("xmlns", uri or ""))
            default_ns = uri
    else:
        name = f"{names.by_uri[uri]}:{local}"
    attributes += declarations
    attributes += ((names.attribute(key), value) for key, value in element.attrib.items())
    out.append("<" + name + "".join(f' {k}="{_escape_attribute(v)}"' for k, v in attributes))
    children = list(element)
    if not element.text and not children:
        out.append("/>")
    else:
        out.append(">")
        if element.text:
            text = element.text
            out.append(_cdata(text) if element.tag in cdata_tags else _escape_text(text))
        for child in children:
            _write(child, out, names, cdata_tags, default_ns, [])
        out.append(f"</{name}>")
    if element.tail:
        out.append(_escape_text(element.tail))


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    value = _escape_text(value).replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
