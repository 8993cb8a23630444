"""Open Badges 2.0 baking: put an assertion into a PNG or SVG badge and read it back (SPEC §3).

Pure functions on bytes. A PNG is baked by splicing one uncompressed ``openbadges`` iTXt
chunk into its container as ``badgeforge.core.png.sanitize_png`` rebuilds it, so the image
data is never decoded or re-encoded and no other Open Badges chunk survives. An SVG
is parsed with defusedxml and re-serialised with the ``openbadges`` prefix spelled out,
because some consumers (Open Badge Passport) match the raw tag name.

OB 3.0 baking (``openbadgecredential`` / ``openbadges:credential``) is not handled here.
"""

from __future__ import annotations

import re
import zlib

# Element is only constructed here; every parse goes through defusedxml.
from xml.etree.ElementTree import Element

from badgeforge.core.errors import BakingError, InvalidImage
from badgeforge.core.images import sniff_media_type
from badgeforge.core.png import PngChunk, build_png_chunk, iter_png_chunks, sanitize_png
from badgeforge.core.svg import SVG_NS, SVG_ROOT_TAG, SvgTree, parse_svg, serialize_svg

OPENBADGES_KEYWORD = "openbadges"
OPENBADGES_NS = "http://openbadges.org"
ASSERTION_TAG = f"{{{OPENBADGES_NS}}}assertion"
MAX_INFLATED_TEXT = 1024 * 1024
"""Largest text a compressed openbadges chunk may inflate to (zip-bomb guard)."""

_KEYWORD_FIELD = OPENBADGES_KEYWORD.encode("latin-1") + b"\x00"
_TEXT_CHUNK_TYPES = frozenset({b"iTXt", b"tEXt", b"zTXt"})
_NOT_XML_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# --------------------------------------------------------------------------- PNG


def bake_png(png: bytes, payload: str) -> bytes:
    """Return `png` carrying `payload` in one uncompressed ``openbadges`` iTXt chunk.

    The container is rebuilt first (``sanitize_png``): the pixels and the chunks that say
    how to show them are kept byte for byte, while every text chunk (so every foreign
    ``openbadges`` or ``openbadgecredential`` chunk), every other ancillary chunk and any
    bytes after IEND are dropped. The new chunk goes right before the first IDAT. Raises
    BakingError for a payload that cannot be baked, or a PNG that ``sanitize_png`` refuses
    (not a PNG, truncated, corrupt, no image data...).
    """
    new_chunk = _itxt_chunk(payload)
    try:
        clean = sanitize_png(png)
    except InvalidImage as exc:
        raise BakingError(f"cannot bake this PNG: {exc}") from exc
    first_idat = next(chunk.start for chunk in iter_png_chunks(clean) if chunk.type == b"IDAT")
    return clean[:first_idat] + new_chunk + clean[first_idat:]


def unbake_png(data: bytes) -> str:
    """Return the Open Badges text baked into a PNG.

    The first ``openbadges`` iTXt chunk wins (compressed or not); failing that, the first
    legacy OB 1.x ``tEXt`` or ``zTXt`` chunk. Compressed text is inflated to at most
    MAX_INFLATED_TEXT bytes.
    """
    legacy: str | None = None
    for chunk in _png_chunks(data):
        if not _is_openbadges_text(data, chunk):
            continue
        body = data[chunk.data_start + len(_KEYWORD_FIELD) : chunk.data_end]
        if chunk.type == b"iTXt":
            return _non_empty(_itxt_text(body))
        if legacy is None:
            legacy = _non_empty(_legacy_text(chunk.type, body))
    if legacy is None:
        raise BakingError("this PNG contains no Open Badges data (no 'openbadges' chunk)")
    return legacy


def _png_chunks(png: bytes) -> list[PngChunk]:
    try:
        return list(iter_png_chunks(png))
    except InvalidImage as exc:
        raise BakingError(str(exc)) from exc


def _is_openbadges_text(png: bytes, chunk: PngChunk) -> bool:
    return chunk.type in _TEXT_CHUNK_TYPES and png.startswith(_KEYWORD_FIELD, chunk.data_start)


def _itxt_chunk(payload: str) -> bytes:
    if not payload:
        raise BakingError("nothing to bake: the payload is empty")
    if "\x00" in payload:
        raise BakingError("the payload contains a NUL character, which iTXt cannot hold")
    try:
        text = payload.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BakingError("the payload is not valid Unicode text") from exc
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty
    # translated keyword NUL, then the UTF-8 text.
    body = _KEYWORD_FIELD + b"\x00\x00\x00\x00" + text
    return build_png_chunk(b"iTXt", body)


def _itxt_text(body: bytes) -> str:
    language_end = body.find(b"\x00", 2)
    translated_end = body.find(b"\x00", language_end + 1) if language_end >= 0 else -1
    if len(body) < 2 or translated_end < 0:
        raise BakingError("the 'openbadges' iTXt chunk is malformed")
    compressed, method = body[0], body[1]
    text = body[translated_end + 1 :]
    if compressed not in (0, 1) or (compressed and method != 0):
        raise BakingError("the 'openbadges' iTXt chunk uses an unknown compression")
    if compressed:
        text = _inflate(text)
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakingError("the 'openbadges' iTXt chunk is not valid UTF-8") from exc


def _legacy_text(chunk_type: bytes, body: bytes) -> str:
    if chunk_type == b"zTXt":
        if body[:1] != b"\x00":
            raise BakingError("the 'openbadges' zTXt chunk uses an unknown compression")
        body = _inflate(body[1:])
    return body.decode("latin-1")


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(compressed, MAX_INFLATED_TEXT + 1)
    except zlib.error as exc:
        raise BakingError("the compressed 'openbadges' chunk is corrupt") from exc
    if len(text) > MAX_INFLATED_TEXT:
        raise BakingError(f"the 'openbadges' chunk inflates past {MAX_INFLATED_TEXT} bytes")
    if not inflater.eof:
        raise BakingError("the compressed 'openbadges' chunk is truncated")
    return text


def _non_empty(text: str) -> str:
    if not text.strip():
        raise BakingError("the 'openbadges' chunk is empty")
    return text


# --------------------------------------------------------------------------- SVG


def bake_svg(svg: bytes, *, verify: str, assertion_json: str | None = None) -> bytes:
    """Return `svg` with ``<openbadges:assertion verify=…>`` as the root's first child.

    Any existing assertion element is replaced. The root declares
    ``xmlns:openbadges="http://openbadges.org"``; `assertion_json`, when given, is the
    element's CDATA body (a ``]]>`` inside it is split so it cannot end the section),
    otherwise the element is self-closing. The output is UTF-8 with an XML declaration.
    """
    tree = _parse(svg)
    if tree.root.tag != SVG_ROOT_TAG:
        raise BakingError(f'cannot bake: the root element is not <svg xmlns="{SVG_NS}">')
    if not verify.strip():
        raise BakingError("cannot bake: verify is empty")
    _check_xml_text(verify, "verify")
    if assertion_json is not None:
        if not assertion_json.strip():
            raise BakingError("cannot bake: the assertion JSON is empty")
        _check_xml_text(assertion_json, "the assertion JSON")
    _remove_assertions(tree)
    assertion = Element(ASSERTION_TAG, {"verify": verify})
    assertion.text = assertion_json
    root_text = tree.root.text
    assertion.tail = root_text if root_text and not root_text.strip() else None
    tree.root.insert(0, assertion)
    return serialize_svg(
        tree, prefixes={OPENBADGES_NS: "openbadges"}, cdata_tags=frozenset({ASSERTION_TAG})
    )


def unbake_svg(data: bytes) -> str:
    """Return the Open Badges data of the first ``openbadges:assertion`` in an SVG.

    The element is found by namespace (``http://openbadges.org``) or by its raw
    ``openbadges`` prefix. Its non-empty ``verify`` attribute is returned when present,
    else its text (the assertion JSON); surrounding whitespace is stripped.
    """
    tree = _parse(data)
    names = _assertion_tags(tree)
    for element in tree.root.iter():
        if element.tag in names:
            verify = (element.get("verify") or "").strip()
            text = verify or (element.text or "").strip()
            if text:
                return text
            break
    raise BakingError("this SVG contains no Open Badges data (no openbadges:assertion)")


def _parse(svg: bytes) -> SvgTree:
    try:
        return parse_svg(svg)
    except InvalidImage as exc:
        raise BakingError(str(exc)) from exc


def _assertion_tags(tree: SvgTree) -> frozenset[str]:
    uris = {OPENBADGES_NS}
    uris.update(uri for prefix, uri in tree.declarations if prefix == "openbadges")
    return frozenset(f"{{{uri}}}assertion" for uri in uris)


def _remove_assertions(tree: SvgTree) -> None:
    names = _assertion_tags(tree)
    found = [(parent, child) for parent in tree.root.iter() for child in parent]
    for parent, child in found:
        if child.tag not in names:
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


def _check_xml_text(value: str, what: str) -> None:
    match = _NOT_XML_CHARACTER.search(value)
    if match is not None:
        raise BakingError(f"{what} contains U+{ord(match.group()):04X}, which XML cannot hold")


# --------------------------------------------------------------------------- dispatch


def unbake(data: bytes) -> str:
    """Return the Open Badges data baked into a PNG or SVG, chosen by content."""
    try:
        media_type = sniff_media_type(data)
    except InvalidImage as exc:
        raise BakingError(f"cannot unbake: {exc}") from exc
    return unbake_png(data) if media_type == "image/png" else unbake_svg(data)
