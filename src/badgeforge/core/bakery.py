"""The containers that carry a baked badge, whatever its Open Badges version (SPEC §3, §6.2).

Pure functions on bytes; ``badgeforge.core.baking`` builds the OB 2.0 and OB 3.0 baking on
them. A PNG gets one uncompressed iTXt chunk spliced into its container as
``badgeforge.core.png.sanitize_png`` rebuilds it, so the image data is never decoded or
re-encoded and no other text chunk survives. An SVG is parsed with defusedxml (no DTD, no
entities), loses every Open Badges element it had (OB 2.0 ``assertion``, OB 3.0
``credential``) and gets the new one as the root's first child, re-serialised with the
``openbadges`` prefix spelled out because some consumers match the raw tag name.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

# Element is only a type here; every parse goes through defusedxml.
from xml.etree.ElementTree import Element

from badgeforge.core.errors import BakingError, InvalidImage
from badgeforge.core.png import PngChunk, build_png_chunk, iter_png_chunks, sanitize_png
from badgeforge.core.svg import SVG_NS, SVG_ROOT_TAG, SvgTree, parse_svg, serialize_svg

OB2_NS = "http://openbadges.org"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
OPENBADGES_PREFIX = "openbadges"
BADGE_ELEMENTS = ("assertion", "credential")
"""Local names of the Open Badges elements an SVG may carry (OB 2.0, OB 3.0)."""

MAX_INFLATED_TEXT = 1024 * 1024
"""Largest text a compressed Open Badges chunk may inflate to (zip-bomb guard)."""

_TEXT_CHUNK_TYPES = frozenset({b"iTXt", b"tEXt", b"zTXt"})
_NOT_XML_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# --------------------------------------------------------------------------- PNG


def bake_png_text(png: bytes, keyword: str, text: str) -> bytes:
    """Return `png` carrying `text` in one uncompressed iTXt chunk named `keyword`.

    The container is rebuilt first (``sanitize_png``): the pixels and the chunks that say
    how to show them are kept byte for byte, while every text chunk (so every earlier Open
    Badges chunk of any version), every other ancillary chunk and any bytes after IEND are
    dropped. The new chunk goes right before the first IDAT. Raises BakingError for a text
    that cannot be baked, or a PNG that ``sanitize_png`` refuses.
    """
    new_chunk = _itxt_chunk(keyword, text)
    try:
        clean = sanitize_png(png)
    except InvalidImage as exc:
        raise BakingError(f"cannot bake this PNG: {exc}") from exc
    first_idat = next(chunk.start for chunk in iter_png_chunks(clean) if chunk.type == b"IDAT")
    return clean[:first_idat] + new_chunk + clean[first_idat:]


def find_png_text(png: bytes, keyword: str, *, legacy: bool = False) -> str | None:
    """Return the text of the first iTXt chunk named `keyword`, or None when there is none.

    The keyword matches exactly (PNG keywords are case-sensitive). With `legacy`, the first
    ``tEXt`` or ``zTXt`` chunk of that keyword is the fallback (OB 1.x). Compressed text is
    inflated to at most MAX_INFLATED_TEXT bytes. Raises BakingError for bytes that are not
    a whole, uncorrupted PNG, and for a matching chunk that is malformed or empty.
    """
    field = keyword.encode("latin-1") + b"\x00"
    fallback: str | None = None
    for chunk in _png_chunks(png):
        if chunk.type not in _TEXT_CHUNK_TYPES or not png.startswith(field, chunk.data_start):
            continue
        body = png[chunk.data_start + len(field) : chunk.data_end]
        if chunk.type == b"iTXt":
            return _non_empty(_itxt_text(body, keyword), keyword)
        if legacy and fallback is None:
            fallback = _non_empty(_legacy_text(chunk.type, body, keyword), keyword)
    return fallback


def _png_chunks(png: bytes) -> list[PngChunk]:
    try:
        return list(iter_png_chunks(png))
    except InvalidImage as exc:
        raise BakingError(str(exc)) from exc


def _itxt_chunk(keyword: str, text: str) -> bytes:
    if not text:
        raise BakingError("nothing to bake: the payload is empty")
    if "\x00" in text:
        raise BakingError("the payload contains a NUL character, which iTXt cannot hold")
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BakingError("the payload is not valid Unicode text") from exc
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty
    # translated keyword NUL, then the UTF-8 text.
    body = keyword.encode("latin-1") + b"\x00" + b"\x00\x00\x00\x00" + encoded
    return build_png_chunk(b"iTXt", body)


def _itxt_text(body: bytes, keyword: str) -> str:
    language_end = body.find(b"\x00", 2)
    translated_end = body.find(b"\x00", language_end + 1) if language_end >= 0 else -1
    if len(body) < 2 or translated_end < 0:
        raise BakingError(f"the '{keyword}' iTXt chunk is malformed")
    compressed, method = body[0], body[1]
    text = body[translated_end + 1 :]
    if compressed not in (0, 1) or (compressed and method != 0):
        raise BakingError(f"the '{keyword}' iTXt chunk uses an unknown compression")
    if compressed:
        text = _inflate(text, keyword)
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakingError(f"the '{keyword}' iTXt chunk is not valid UTF-8") from exc


def _legacy_text(chunk_type: bytes, body: bytes, keyword: str) -> str:
    if chunk_type == b"zTXt":
        if body[:1] != b"\x00":
            raise BakingError(f"the '{keyword}' zTXt chunk uses an unknown compression")
        body = _inflate(body[1:], keyword)
    return body.decode("latin-1")


def _inflate(compressed: bytes, keyword: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(compressed, MAX_INFLATED_TEXT + 1)
    except zlib.error as exc:
        raise BakingError(f"the compressed '{keyword}' chunk is corrupt") from exc
    if len(text) > MAX_INFLATED_TEXT:
        raise BakingError(f"the '{keyword}' chunk inflates past {MAX_INFLATED_TEXT} bytes")
    if not inflater.eof:
        raise BakingError(f"the compressed '{keyword}' chunk is truncated")
    return text


def _non_empty(text: str, keyword: str) -> str:
    if not text.strip():
        raise BakingError(f"the '{keyword}' chunk is empty")
    return text


# --------------------------------------------------------------------------- SVG


def parse_svg_document(data: bytes) -> SvgTree:
    """Parse SVG bytes safely (see ``badgeforge.core.svg.parse_svg``) or raise BakingError."""
    try:
        return parse_svg(data)
    except InvalidImage as exc:
        raise BakingError(str(exc)) from exc


def badge_tags(tree: SvgTree, namespaces: Iterable[str], names: Iterable[str]) -> frozenset[str]:
    """ElementTree tags for the local `names` in `namespaces`, or under the prefix openbadges.

    Whatever URI the source binds to the prefix ``openbadges`` counts too, for consumers
    that wrote a slightly wrong namespace URI but the usual prefix.
    """
    uris = set(namespaces)
    uris.update(uri for prefix, uri in tree.declarations if prefix == OPENBADGES_PREFIX)
    return frozenset(f"{{{uri}}}{name}" for uri in uris for name in names)


def find_svg_text(tree: SvgTree, tags: frozenset[str]) -> str | None:
    """Return the data of the first element whose tag is in `tags`, or None without one.

    Its non-empty ``verify`` attribute wins, else its text (CDATA sections joined);
    surrounding whitespace is stripped, so an element holding nothing gives "".
    """
    for element in tree.root.iter():
        if element.tag in tags:
            verify = (element.get("verify") or "").strip()
            return verify or (element.text or "").strip()
    return None


def bake_svg_element(svg: bytes, element: Element, *, end_tag: bool = False) -> bytes:
    """Return `svg` with `element` as its root's first child, the only Open Badges element.

    Every OB 2.0 ``assertion`` and OB 3.0 ``credential`` element is removed first, wherever
    it is. The root declares the element's namespace with the prefix ``openbadges``; its
    text is written as CDATA (a ``]]>`` inside is split so it cannot end the section). An
    empty element is self-closing unless `end_tag`. The output is UTF-8 with an XML
    declaration. Raises BakingError for hostile or malformed XML or a root that is not
    ``<svg xmlns="http://www.w3.org/2000/svg">``.
    """
    tree = parse_svg_document(svg)
    if tree.root.tag != SVG_ROOT_TAG:
        raise BakingError(f'cannot bake: the root element is not <svg xmlns="{SVG_NS}">')
    _remove_elements(tree, badge_tags(tree, (OB2_NS, OB3_NS), BADGE_ELEMENTS))
    root_text = tree.root.text
    element.tail = root_text if root_text and not root_text.strip() else None
    tree.root.insert(0, element)
    namespace = element.tag[1:].partition("}")[0]
    baked = serialize_svg(
        tree, prefixes={namespace: OPENBADGES_PREFIX}, cdata_tags=frozenset({element.tag})
    )
    if end_tag and not element.text and not len(element):
        return _expand_first_empty_element(baked, element.tag.partition("}")[2])
    return baked


def _expand_first_empty_element(baked: bytes, local: str) -> bytes:
    # The element is the root's first child, so the first tag with its prefixed name is
    # it: text and attribute values are escaped, so "<openbadges:" cannot appear earlier.
    name = f"<{OPENBADGES_PREFIX}:{local}".encode()
    start = baked.index(name)
    close = baked.index(b"/>", start)
    return baked[:close] + b"></" + name[1:] + b">" + baked[close + 2 :]


def _remove_elements(tree: SvgTree, tags: frozenset[str]) -> None:
    found = [(parent, child) for parent in tree.root.iter() for child in parent]
    for parent, child in found:
        if child.tag not in tags:
            continue
        tail = child.tail if child.tail and child.tail.strip() else ""
        siblings = list(parent)
        index = siblings.index(child)
        if index == 0:
            parent.text = (parent.text or "") + tail or None
        else:
            previous = siblings[index - 1]
            previous.tail = (previous.tail or "") + tail or None
        parent.remove(child)


def check_xml_text(value: str, what: str) -> None:
    """Raise BakingError when `value` holds a character XML 1.0 cannot carry."""
    match = _NOT_XML_CHARACTER.search(value)
    if match is not None:
        raise BakingError(f"{what} contains U+{ord(match.group()):04X}, which XML cannot hold")
