"""Baking: put an Open Badges 2.0 assertion or 3.0 credential into a PNG or SVG badge.

Pure functions on bytes, following SPEC §3 (OB 2.0) and §6.2 (OB 3.0):

| | PNG (one uncompressed iTXt) | SVG (first child of the root) |
| --- | --- | --- |
| OB 2.0 | keyword ``openbadges`` | ``<openbadges:assertion>`` in ``http://openbadges.org`` |
| OB 3.0 | keyword ``openbadgecredential`` | ``<openbadges:credential>`` in ``OB3_NS`` |

**One payload per image.** Baking either version removes every Open Badges chunk or element
already there, of either version (a PNG keeps no text chunk at all), so an image never
carries an OB 2.0 assertion and an OB 3.0 credential side by side: a wallet or verifier
reading it cannot pick a different badge, or a stale one, from the one we served. Each
format of an award is baked into its own image.

Reading is lenient where the specifications were: OB 2.0 also reads the legacy OB 1.x
``tEXt``/``zTXt`` chunk, compressed iTXt chunks are inflated within MAX_INFLATED_TEXT, and
SVG elements are found by namespace or by the raw ``openbadges`` prefix. Every failure is a
BakingError. The containers themselves are handled by ``badgeforge.core.bakery``.
"""

from __future__ import annotations

import json
import re
from typing import Literal

# Element is only constructed here; every parse goes through defusedxml.
from xml.etree.ElementTree import Element

from badgeforge.core.bakery import (
    MAX_INFLATED_TEXT,
    OB2_NS,
    OB3_NS,
    badge_tags,
    bake_png_text,
    bake_svg_element,
    check_xml_text,
    find_png_text,
    find_svg_text,
    parse_svg_document,
)
from badgeforge.core.errors import BakingError, InvalidImage
from badgeforge.core.images import sniff_media_type
from badgeforge.core.svg import SvgTree

__all__ = [
    "ASSERTION_TAG",
    "CREDENTIAL_KEYWORD",
    "CREDENTIAL_TAG",
    "MAX_INFLATED_TEXT",
    "OB3_NS",
    "OPENBADGES_KEYWORD",
    "OPENBADGES_NS",
    "BakedVersion",
    "bake_png",
    "bake_png_credential",
    "bake_svg",
    "bake_svg_credential",
    "unbake",
    "unbake_any",
    "unbake_credential",
    "unbake_png",
    "unbake_svg",
]

OPENBADGES_KEYWORD = "openbadges"
OPENBADGES_NS = OB2_NS
ASSERTION_TAG = f"{{{OB2_NS}}}assertion"
CREDENTIAL_KEYWORD = "openbadgecredential"
CREDENTIAL_TAG = f"{{{OB3_NS}}}credential"

BakedVersion = Literal["ob2", "ob3"]
"""Which Open Badges version an image was found to carry."""

_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_CDATA_UNSAFE = re.compile("]]>|[\ud800-\udfff\ufffe\uffff]")


# --------------------------------------------------------------------------- OB 2.0


def bake_png(png: bytes, payload: str) -> bytes:
    """Return `png` carrying `payload` (assertion JSON, JWS or URL) in an ``openbadges`` iTXt.

    See ``bakery.bake_png_text``: the container is rebuilt, so no other text chunk (no
    foreign ``openbadges`` or ``openbadgecredential`` chunk) survives.
    """
    return bake_png_text(png, OPENBADGES_KEYWORD, payload)


def unbake_png(data: bytes) -> str:
    """Return the OB 2.0 text baked into a PNG.

    The first ``openbadges`` iTXt chunk wins (compressed or not); failing that, the first
    legacy OB 1.x ``tEXt`` or ``zTXt`` chunk.
    """
    text = find_png_text(data, OPENBADGES_KEYWORD, legacy=True)
    if text is None:
        raise BakingError("this PNG contains no Open Badges data (no 'openbadges' chunk)")
    return text


def bake_svg(svg: bytes, *, verify: str, assertion_json: str | None = None) -> bytes:
    """Return `svg` with ``<openbadges:assertion verify=…>`` as the root's first child.

    Any existing Open Badges element (OB 2.0 or 3.0) is removed. The root declares
    ``xmlns:openbadges="http://openbadges.org"``; `assertion_json`, when given, is the
    element's CDATA body, otherwise the element is self-closing (a signed assertion).
    """
    if not verify.strip():
        raise BakingError("cannot bake: verify is empty")
    check_xml_text(verify, "verify")
    if assertion_json is not None:
        if not assertion_json.strip():
            raise BakingError("cannot bake: the assertion JSON is empty")
        check_xml_text(assertion_json, "the assertion JSON")
    assertion = Element(ASSERTION_TAG, {"verify": verify})
    assertion.text = assertion_json
    return bake_svg_element(svg, assertion)


def unbake_svg(data: bytes) -> str:
    """Return the data of the first ``openbadges:assertion`` of an SVG (`verify`, else text)."""
    text = _svg_assertion(parse_svg_document(data))
    if not text:
        raise BakingError("this SVG contains no Open Badges data (no openbadges:assertion)")
    return text


def _svg_assertion(tree: SvgTree) -> str | None:
    return find_svg_text(tree, badge_tags(tree, (OB2_NS,), ("assertion",)))


# --------------------------------------------------------------------------- OB 3.0


def bake_png_credential(png: bytes, credential: str) -> bytes:
    """Return `png` carrying an OB 3.0 credential in one ``openbadgecredential`` iTXt chunk.

    `credential` is the credential JSON (embedded proof) or a compact JWS (VC-JWT), baked
    as given: uncompressed, empty language tag and translated keyword. The container is
    rebuilt as for ``bake_png``, so no OB 2.0 ``openbadges`` chunk survives either.
    """
    _credential_kind(credential)
    return bake_png_text(png, CREDENTIAL_KEYWORD, credential)


def bake_svg_credential(svg: bytes, credential: str) -> bytes:
    """Return `svg` with ``<openbadges:credential>`` as the root's first child.

    The root declares ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"``. A compact
    JWS goes in the ``verify`` attribute of an empty element written with its end tag, as
    the specification shows; credential JSON goes, without ``verify``, in one CDATA
    section. Any ``]]>`` inside a JSON string is written ``]]\\u003e`` (the same JSON value;
    a Data Integrity proof signs the value, not the bytes), as are the few characters XML
    cannot carry, so the section is never split: the 1EdTech validator reads only the
    first run of characters. Every other Open Badges element (OB 2.0 or 3.0) is removed.
    """
    if _credential_kind(credential) == "jwt":
        element = Element(CREDENTIAL_TAG, {"verify": credential})
        return bake_svg_element(svg, element, end_tag=True)
    element = Element(CREDENTIAL_TAG)
    element.text = _CDATA_UNSAFE.sub(_json_escape, credential)
    check_xml_text(element.text, "the credential JSON")
    return bake_svg_element(svg, element)


def unbake_credential(data: bytes) -> str:
    """Return the OB 3.0 credential (JSON or compact JWS) baked into a PNG or SVG.

    PNG: the first iTXt chunk named exactly ``openbadgecredential``. SVG: the first
    ``credential`` element in the OB 3.0 namespace (or under the ``openbadges`` prefix):
    its ``verify`` attribute, else its text. Surrounding whitespace is stripped.
    """
    if _media_type(data) == "image/png":
        text = find_png_text(data, CREDENTIAL_KEYWORD)
        kind = "PNG"
    else:
        text = _svg_credential(parse_svg_document(data))
        kind = "SVG"
    if text is None:
        raise BakingError(f"this {kind} contains no Open Badges 3.0 credential")
    return text.strip()


def _svg_credential(tree: SvgTree) -> str | None:
    text = find_svg_text(tree, badge_tags(tree, (OB3_NS,), ("credential",)))
    if text == "":
        raise BakingError("the openbadges:credential element is empty")
    return text


def _credential_kind(credential: str) -> Literal["json", "jwt"]:
    if _COMPACT_JWS.fullmatch(credential):
        return "jwt"
    if credential.lstrip().startswith("{"):
        try:
            value = json.loads(credential)
        except (ValueError, RecursionError) as exc:
            raise BakingError(f"cannot bake: the credential is not valid JSON ({exc})") from exc
        if isinstance(value, dict):
            return "json"
    raise BakingError(
        "cannot bake: the credential must be a JSON object (embedded proof) "
        "or a compact JWS (VC-JWT)"
    )


def _json_escape(match: re.Match[str]) -> str:
    # Only reached inside JSON strings: outside them JSON has no '>' and no such characters.
    text = match.group()
    return "]]\\u003e" if text == "]]>" else f"\\u{ord(text):04x}"


# --------------------------------------------------------------------------- dispatch


def unbake(data: bytes) -> str:
    """Return the OB 2.0 data baked into a PNG or SVG, chosen by content."""
    return unbake_png(data) if _media_type(data) == "image/png" else unbake_svg(data)


def unbake_any(data: bytes) -> tuple[BakedVersion, str]:
    """Return ("ob3", credential) or ("ob2", assertion data) found in a PNG or SVG.

    OB 3.0 is looked for first, then OB 2.0, so a foreign image carrying both gives its
    credential. A malformed OB 3.0 chunk or element is an error, never skipped in favour of
    an OB 2.0 one. Raises BakingError when the image carries neither.
    """
    if _media_type(data) == "image/png":
        credential = find_png_text(data, CREDENTIAL_KEYWORD)
        if credential is not None:
            return "ob3", credential.strip()
        assertion = find_png_text(data, OPENBADGES_KEYWORD, legacy=True)
        kind = "PNG"
    else:
        tree = parse_svg_document(data)
        credential = _svg_credential(tree)
        if credential is not None:
            return "ob3", credential
        assertion = _svg_assertion(tree)
        kind = "SVG"
    if not assertion:
        raise BakingError(f"this {kind} contains no Open Badges data (OB 2.0 or 3.0)")
    return "ob2", assertion


def _media_type(data: bytes) -> str:
    try:
        return sniff_media_type(data)
    except InvalidImage as exc:
        raise BakingError(f"cannot unbake: {exc}") from exc
