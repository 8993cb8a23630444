"""Baking and unbaking Open Badges 3.0 credentials in PNG and SVG badges (SPEC §6.2, pitfall 10).

The credentials are real: the 1EdTech OB 3.0 test vector (Data Integrity, eddsa-rdfc-2022)
and a VC-JWT signed RS256 by the core. The chunk layout is checked byte by byte against
what the 1EdTech OB 3.0 validator's PNG parser reads (the first iTXt chunk whose keyword is
exactly ``openbadgecredential``, flag and method bytes, two NUL-terminated fields), and the
PNG is read back by Pillow, a reader of its own.
"""

import copy
import io
import json
import re
import struct
import time
import zlib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from defusedxml.ElementTree import fromstring
from defusedxml.minidom import parseString
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from badgeforge.core import vc_jwt
from badgeforge.core.baking import (
    CREDENTIAL_TAG,
    MAX_INFLATED_TEXT,
    OB3_NS,
    bake_png,
    bake_png_credential,
    bake_svg,
    bake_svg_credential,
    unbake,
    unbake_any,
    unbake_credential,
    unbake_png,
    unbake_svg,
)
from badgeforge.core.data_integrity import add_proof, verify_proof
from badgeforge.core.errors import BakingError
from badgeforge.core.jws import verify_compact
from tests.core.test_baking import insert_before_iend, make_png, raw_chunk, read_chunks
from tests.images import SAFE_SVG, XXE_SVG, jpeg_bytes

FILES = Path(__file__).parent / "files"
VECTOR = FILES / "ob3" / "obv3p0-signed-credential.json"
VECTOR_SEED = bytes.fromhex("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4")
OB2_NS = "http://openbadges.org"
KEYWORD = b"openbadgecredential"
NO_CREDENTIAL = r"no Open Badges 3\.0 credential"
ASSERTION_JWS = "eyJhbGciOiJSUzI1NiJ9.eyJ0eXBlIjoiQXNzZXJ0aW9uIn0.c2lnbmF0dXJlLWJ5dGVz"


def vector() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(VECTOR.read_text())
    return document


CREDENTIAL_JSON = json.dumps(vector(), ensure_ascii=False, separators=(",", ":"))


@cache
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def credential_jwt() -> str:
    credential = vector()
    del credential["proof"]
    return vc_jwt.sign(credential, rsa_key(), "https://example.edu/issuers/565049#key-1")


def credentials() -> list[Any]:
    return [
        pytest.param(lambda: CREDENTIAL_JSON, id="json"),
        pytest.param(credential_jwt, id="jwt"),
    ]


def signed_with_narrative(narrative: str) -> str:
    """The test vector re-signed (eddsa-rdfc-2022) after its criteria narrative is changed."""
    credential = vector()
    del credential["proof"]
    credential["credentialSubject"]["achievement"]["criteria"]["narrative"] = narrative
    signed = add_proof(
        credential,
        ed25519.Ed25519PrivateKey.from_private_bytes(VECTOR_SEED),
        verification_method=vector()["proof"]["verificationMethod"],
        created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    return json.dumps(signed, ensure_ascii=False)


def verify_data_integrity(text: str) -> None:
    document = json.loads(text)
    public_key = ed25519.Ed25519PrivateKey.from_private_bytes(VECTOR_SEED).public_key()
    verify_proof(document, document["proof"], public_key)


def text_chunks(png: bytes) -> list[tuple[bytes, bytes, int]]:
    return [c for c in read_chunks(png) if c[0] in (b"tEXt", b"zTXt", b"iTXt")]


def idat_bytes(png: bytes) -> bytes:
    return b"".join(data for kind, data, _ in read_chunks(png) if kind == b"IDAT")


def open_badges_elements(svg: bytes) -> list[str]:
    return [
        e.tag
        for e in fromstring(svg).iter()
        if e.tag.endswith(("}credential", "}assertion")) and "svg" not in e.tag
    ]


def svg_with(*elements: str, namespaces: str = "") -> bytes:
    body = "".join(elements)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {namespaces} viewBox="0 0 10 10">'
        f'<circle cx="5" cy="5" r="4"/>{body}</svg>'
    ).encode()


class TestBakePngCredential:
    @pytest.mark.parametrize("make", credentials())
    def test_round_trip(self, make: Any) -> None:
        credential = make()
        baked = bake_png_credential(make_png(), credential)
        assert unbake_credential(baked) == credential
        assert unbake_any(baked) == ("ob3", credential)

    @pytest.mark.parametrize("make", credentials())
    def test_chunk_bytes_are_what_the_1edtech_parser_reads(self, make: Any) -> None:
        credential = make()
        baked = bake_png_credential(make_png(), credential)
        start = baked.index(b"iTXt" + KEYWORD) - 4
        (length,) = struct.unpack_from(">I", baked, start)
        data = baked[start + 8 : start + 8 + length]
        (crc,) = struct.unpack_from(">I", baked, start + 8 + length)
        text = credential.encode("utf-8")
        assert length == len(KEYWORD) + 5 + len(text)
        # keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty
        # translated keyword NUL, then the UTF-8 text itself.
        assert data == KEYWORD + b"\x00" + b"\x00" + b"\x00" + b"\x00" + b"\x00" + text
        assert crc == zlib.crc32(b"iTXt" + data)
        assert [(c[0], c[1]) for c in text_chunks(baked)] == [(b"iTXt", data)]

    def test_pillow_reads_the_same_text(self) -> None:
        credential = signed_with_narrative("Réussi à 100 % — niveau élevé ✓")
        baked = bake_png_credential(make_png(), credential)
        with Image.open(io.BytesIO(baked)) as image:
            assert image.text == {"openbadgecredential": credential}

    def test_chunk_goes_right_before_the_first_idat_and_pixels_are_untouched(self) -> None:
        original = make_png((400, 300), seed=3)
        baked = bake_png_credential(original, credential_jwt())
        types = [c[0] for c in read_chunks(baked)]
        assert types[types.index(b"IDAT") - 1] == b"iTXt"
        assert types.count(b"IDAT") > 1
        assert idat_bytes(baked) == idat_bytes(original)
        with Image.open(io.BytesIO(baked)) as after, Image.open(io.BytesIO(original)) as before:
            assert after.tobytes() == before.tobytes()

    @pytest.mark.parametrize(
        "keyword", ["openbadgecredential", "OpenBadgeCredential", "openbadges", "Comment"]
    )
    @pytest.mark.parametrize("kind", ["tEXt", "zTXt", "iTXt"])
    def test_foreign_text_chunks_are_removed(self, keyword: str, kind: str) -> None:
        forged = '{"type": ["VerifiableCredential"], "id": "https://forger.example/c/1"}'
        info = PngInfo()
        if kind == "iTXt":
            info.add_itxt(keyword, forged, zip=True)
        else:
            info.add_text(keyword, forged, zip=kind == "zTXt")
        png = make_png(pnginfo=info) + b"trailing bytes after IEND"
        png = insert_before_iend(png, raw_chunk(b"eXIf", b"MM\x00*\x00\x00\x00\x08"))
        baked = bake_png_credential(png, CREDENTIAL_JSON)
        assert [c[1] for c in text_chunks(baked)] == [
            KEYWORD + b"\x00\x00\x00\x00\x00" + CREDENTIAL_JSON.encode()
        ]
        assert b"forger.example" not in baked
        assert b"eXIf" not in baked
        assert baked.endswith(raw_chunk(b"IEND", b""))

    def test_rebaking_keeps_a_single_chunk(self) -> None:
        once = bake_png_credential(make_png(), CREDENTIAL_JSON)
        assert bake_png_credential(once, CREDENTIAL_JSON) == once
        jwt = bake_png_credential(once, credential_jwt())
        assert len(text_chunks(jwt)) == 1
        assert unbake_credential(jwt) == credential_jwt()

    def test_one_open_badges_payload_per_image(self) -> None:
        ob2 = bake_png(make_png(), ASSERTION_JWS)
        ob3 = bake_png_credential(ob2, CREDENTIAL_JSON)
        with pytest.raises(BakingError, match="no Open Badges data"):
            unbake_png(ob3)
        back_to_ob2 = bake_png(ob3, ASSERTION_JWS)
        assert back_to_ob2 == ob2
        with pytest.raises(BakingError, match=NO_CREDENTIAL):
            unbake_credential(back_to_ob2)

    @pytest.mark.parametrize(
        ("credential", "message"),
        [
            ("", "JSON object .* or a compact JWS"),
            ("https://badges.example.fr/credentials/1", "compact JWS"),
            ("[1, 2]", "compact JWS"),
            ('"{}"', "compact JWS"),
            ("aGVhZGVy.cGF5bG9hZA", "compact JWS"),
            ("aGVhZGVy.cGF5bG9hZA.", "compact JWS"),
            ("aGVhZGVy.cGF5bG9hZA.c2ln ", "compact JWS"),
            ("aGVh+ZGVy.cGF5bG9hZA.c2ln", "compact JWS"),
            ('{"id": "x",}', "not valid JSON"),
            ('{"a": "raw \x00 NUL"}', "not valid JSON"),
            ("{" * 100_000, "not valid JSON"),
            ('{"a": "\ud800"}', "not valid Unicode"),
        ],
    )
    def test_refuses_what_is_not_a_credential(self, credential: str, message: str) -> None:
        with pytest.raises(BakingError, match=message):
            bake_png_credential(make_png(), credential)

    def test_refuses_a_broken_png(self) -> None:
        png = bytearray(make_png())
        png[png.index(b"IDAT") + 10] ^= 0xFF
        with pytest.raises(BakingError, match="wrong CRC"):
            bake_png_credential(bytes(png), CREDENTIAL_JSON)
        with pytest.raises(BakingError, match="not a PNG"):
            bake_png_credential(jpeg_bytes(), CREDENTIAL_JSON)


class TestUnbakePngCredential:
    def test_reads_a_compressed_itxt_with_language_and_translated_keyword(self) -> None:
        info = PngInfo()
        info.add_itxt("openbadgecredential", CREDENTIAL_JSON, lang="fr", tkey="badge", zip=True)
        png = make_png(pnginfo=info)
        assert text_chunks(png)[0][1][len(KEYWORD) + 1] == 1  # compressed
        assert unbake_credential(png) == CREDENTIAL_JSON

    def test_reads_a_chunk_after_the_image_data_and_strips_whitespace(self) -> None:
        chunk = raw_chunk(b"iTXt", KEYWORD + b"\x00\x00\x00\x00\x00\n " + CREDENTIAL_JSON.encode())
        assert unbake_credential(insert_before_iend(make_png(), chunk)) == CREDENTIAL_JSON

    def test_the_first_chunk_wins(self) -> None:
        first = raw_chunk(b"iTXt", KEYWORD + b"\x00\x00\x00\x00\x00" + b"first.jwt.here")
        second = raw_chunk(b"iTXt", KEYWORD + b"\x00\x00\x00\x00\x00" + b"second.jwt.here")
        png = insert_before_iend(insert_before_iend(make_png(), first), second)
        assert unbake_credential(png) == "first.jwt.here"

    @pytest.mark.parametrize(
        "chunk",
        [
            raw_chunk(b"tEXt", KEYWORD + b"\x00" + CREDENTIAL_JSON.encode()),
            raw_chunk(b"zTXt", KEYWORD + b"\x00\x00" + zlib.compress(CREDENTIAL_JSON.encode())),
            raw_chunk(b"iTXt", b"OpenBadgeCredential\x00\x00\x00\x00\x00" + b"a.b.c"),
            raw_chunk(b"iTXt", b"openbadgecredentials\x00\x00\x00\x00\x00" + b"a.b.c"),
        ],
        ids=["tEXt", "zTXt", "keyword-case", "longer-keyword"],
    )
    def test_only_an_itxt_with_the_exact_keyword_counts(self, chunk: bytes) -> None:
        png = insert_before_iend(make_png(), chunk)
        with pytest.raises(BakingError, match=NO_CREDENTIAL):
            unbake_credential(png)

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (b"\x00\x00no terminators", "malformed"),
            (b"\x02\x00\x00\x00a.b.c", "unknown compression"),
            (b"\x01\x01\x00\x00" + zlib.compress(b"a.b.c"), "unknown compression"),
            (b"\x00\x00\x00\x00\xff\xfe", "not valid UTF-8"),
            (b"\x00\x00\x00\x00 \n ", "empty"),
            (b"\x01\x00\x00\x00not zlib", "corrupt"),
            (b"\x01\x00\x00\x00" + zlib.compress(b"x" * 1000)[:-6], "truncated"),
        ],
    )
    def test_refuses_a_malformed_chunk(self, body: bytes, message: str) -> None:
        png = insert_before_iend(make_png(), raw_chunk(b"iTXt", KEYWORD + b"\x00" + body))
        with pytest.raises(BakingError, match=message):
            unbake_credential(png)
        with pytest.raises(BakingError, match=message):
            unbake_any(png)

    @pytest.mark.parametrize(
        ("chunk_type", "keyword", "header"),
        [
            (b"iTXt", KEYWORD, b"\x01\x00\x00\x00"),
            (b"iTXt", b"openbadges", b"\x01\x00\x00\x00"),
            (b"zTXt", b"openbadges", b"\x00"),
        ],
    )
    def test_refuses_a_zip_bomb_quickly(
        self, chunk_type: bytes, keyword: bytes, header: bytes
    ) -> None:
        compressor = zlib.compressobj(9)
        block = bytes(1024 * 1024)
        bomb = b"".join(compressor.compress(block) for _ in range(64)) + compressor.flush()
        assert len(bomb) < 100_000  # 64 MiB of text in under 100 KB
        png = insert_before_iend(
            make_png(), raw_chunk(chunk_type, keyword + b"\x00" + header + bomb)
        )
        started = time.perf_counter()
        with pytest.raises(BakingError, match=f"inflates past {MAX_INFLATED_TEXT} bytes"):
            unbake_any(png)
        assert time.perf_counter() - started < 0.5

    def test_refuses_what_is_not_a_whole_png(self) -> None:
        baked = bake_png_credential(make_png(), CREDENTIAL_JSON)
        for data, message in [
            (baked[:-20], "truncated"),
            (baked[:40] + b"\x00" + baked[41:], "wrong CRC|corrupt"),
            (jpeg_bytes(), "PNG or (an )?SVG"),
            (b"", "PNG or (an )?SVG"),
        ]:
            with pytest.raises(BakingError, match=message):
                unbake_credential(data)


class TestBakeSvgCredential:
    def test_jwt_goes_in_verify_of_an_empty_element_with_its_end_tag(self) -> None:
        jwt = credential_jwt()
        baked = bake_svg_credential(SAFE_SVG, jwt)
        text = baked.decode("utf-8")
        root_tag = re.search(r"<svg\b[^>]*>", text)
        assert root_tag is not None
        assert f'xmlns:openbadges="{OB3_NS}"' in root_tag.group()
        after_root = text[root_tag.end() :]
        assert after_root.startswith(
            f'<openbadges:credential verify="{jwt}"></openbadges:credential>'
        )
        element = fromstring(baked)[0]
        assert (element.tag, element.text, len(element)) == (CREDENTIAL_TAG, None, 0)
        assert "CDATA" not in text
        assert unbake_credential(baked) == jwt
        verify_compact(unbake_credential(baked), rsa_key().public_key())

    def test_json_goes_in_one_cdata_section_without_verify(self) -> None:
        baked = bake_svg_credential(SAFE_SVG, CREDENTIAL_JSON)
        assert f"<openbadges:credential><![CDATA[{CREDENTIAL_JSON}]]></openbadges:credential>" in (
            baked.decode("utf-8")
        )
        element = fromstring(baked)[0]
        assert element.tag == CREDENTIAL_TAG
        assert element.get("verify") is None
        assert unbake_credential(baked) == CREDENTIAL_JSON
        assert unbake_any(baked) == ("ob3", CREDENTIAL_JSON)

    def test_an_independent_dom_sees_one_namespaced_cdata_node(self) -> None:
        baked = bake_svg_credential((FILES / "badge_fr.svg").read_bytes(), CREDENTIAL_JSON)
        root = parseString(baked).documentElement
        first = next(node for node in root.childNodes if node.nodeType == node.ELEMENT_NODE)
        assert (first.namespaceURI, first.localName, first.prefix) == (
            OB3_NS,
            "credential",
            "openbadges",
        )
        assert [(n.nodeType, n.data) for n in first.childNodes] == [
            (first.CDATA_SECTION_NODE, CREDENTIAL_JSON)
        ]

    def test_cdata_end_marker_in_json_keeps_one_section_and_the_proof(self) -> None:
        hostile = "Vu ]]> en atelier ]]]]><script>alert(1)</script> \ufffe fin"
        credential = signed_with_narrative(hostile)
        verify_data_integrity(credential)
        baked = bake_svg_credential(SAFE_SVG, credential)
        assert baked.count(b"<![CDATA[") == 1
        assert baked.count(b"]]>") == 1
        assert b"<script>" in baked  # inside the CDATA section, as data
        root = fromstring(baked)
        assert [child.tag.rpartition("}")[2] for child in root] == ["credential", "circle", "text"]
        unbaked = unbake_credential(baked)
        assert json.loads(unbaked) == json.loads(credential)
        verify_data_integrity(unbaked)
        narrative = json.loads(unbaked)["credentialSubject"]["achievement"]["criteria"]
        assert narrative["narrative"] == hostile

    def test_tampering_after_unbaking_breaks_the_proof(self) -> None:
        unbaked = json.loads(unbake_credential(bake_svg_credential(SAFE_SVG, CREDENTIAL_JSON)))
        tampered = copy.deepcopy(unbaked)
        tampered["name"] = "Other Badge"
        verify_data_integrity(json.dumps(unbaked))
        with pytest.raises(Exception, match="does not verify"):
            verify_data_integrity(json.dumps(tampered))

    @pytest.mark.parametrize(
        ("existing", "namespaces"),
        [
            (f'<openbadges:assertion verify="{ASSERTION_JWS}"/>', f'xmlns:openbadges="{OB2_NS}"'),
            ('<g><openbadges:credential verify="old.jwt.x"/></g>', f'xmlns:openbadges="{OB3_NS}"'),
            ('<ob3:credential><![CDATA[{"old": 1}]]></ob3:credential>', f'xmlns:ob3="{OB3_NS}"'),
            (
                '<openbadges:credential verify="old.jwt.x"/>',
                'xmlns:openbadges="https://purl.imsglobal.org/spec/ob/v3p0"',
            ),
            (
                f'<a:assertion verify="{ASSERTION_JWS}"/><b:credential verify="old.jwt.x"/>',
                f'xmlns:a="{OB2_NS}" xmlns:b="{OB3_NS}"',
            ),
        ],
    )
    def test_every_earlier_open_badges_element_is_removed(
        self, existing: str, namespaces: str
    ) -> None:
        svg = svg_with(existing, namespaces=namespaces)
        for credential in (CREDENTIAL_JSON, credential_jwt()):
            baked = bake_svg_credential(svg, credential)
            assert open_badges_elements(baked) == [CREDENTIAL_TAG]
            assert b"old" not in baked
            assert ASSERTION_JWS.encode() not in baked
            assert unbake_credential(baked) == credential
            kept = [e.tag.rpartition("}")[2] for e in fromstring(baked)]
            assert kept == ["credential", "circle", *(["g"] if "<g>" in existing else [])]

    def test_rebaking_is_stable_and_switches_proof_format(self) -> None:
        once = bake_svg_credential(SAFE_SVG, CREDENTIAL_JSON)
        assert bake_svg_credential(once, CREDENTIAL_JSON) == once
        jwt = bake_svg_credential(once, credential_jwt())
        assert open_badges_elements(jwt) == [CREDENTIAL_TAG]
        assert bake_svg_credential(jwt, CREDENTIAL_JSON) == once

    def test_one_open_badges_payload_per_image(self) -> None:
        ob2 = bake_svg(SAFE_SVG, verify=ASSERTION_JWS)
        ob3 = bake_svg_credential(ob2, CREDENTIAL_JSON)
        assert open_badges_elements(ob3) == [CREDENTIAL_TAG]
        assert OB2_NS.encode() not in ob3
        with pytest.raises(BakingError, match="no Open Badges data"):
            unbake_svg(ob3)
        back = bake_svg(ob3, verify=ASSERTION_JWS)
        assert back == ob2
        assert OB3_NS.encode() not in back
        with pytest.raises(BakingError, match=NO_CREDENTIAL):
            unbake_credential(back)

    @pytest.mark.parametrize(
        "svg",
        [
            XXE_SVG,
            (FILES / "xxe.svg").read_bytes(),
            (FILES / "billion_laughs.svg").read_bytes(),
            b'<!DOCTYPE svg [<!ENTITY c "a.b.c">]><svg xmlns="http://www.w3.org/2000/svg" '
            b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
            b'<openbadges:credential verify="&c;"/></svg>',
        ],
    )
    def test_hostile_svg_is_refused_both_ways(self, svg: bytes) -> None:
        with pytest.raises(BakingError, match="DOCTYPE"):
            bake_svg_credential(svg, CREDENTIAL_JSON)
        with pytest.raises(BakingError, match="DOCTYPE"):
            unbake_credential(svg)
        with pytest.raises(BakingError, match="DOCTYPE"):
            unbake_any(svg)

    @pytest.mark.parametrize(
        ("svg", "message"),
        [
            (b"<html><body/></html>", "root element"),
            (b'<svg viewBox="0 0 1 1"/>', "root element"),
            (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "well-formed"),
        ],
    )
    def test_refuses_bad_documents(self, svg: bytes, message: str) -> None:
        with pytest.raises(BakingError, match=message):
            bake_svg_credential(svg, CREDENTIAL_JSON)

    @pytest.mark.parametrize("credential", ["", "not a credential", "[]", "a.b", '{"a": 1'])
    def test_refuses_what_is_not_a_credential(self, credential: str) -> None:
        with pytest.raises(BakingError, match="credential"):
            bake_svg_credential(SAFE_SVG, credential)


class TestUnbakeSvgCredential:
    @pytest.mark.parametrize(
        ("element", "expected"),
        [
            (
                '<openbadges:credential verify=" a.b.c "><![CDATA[{}]]></openbadges:credential>',
                "a.b.c",
            ),
            (
                '<openbadges:credential verify=""><![CDATA[{"a": 1}]]></openbadges:credential>',
                '{"a": 1}',
            ),
            (
                '<openbadges:credential>\n <![CDATA[{"a": "]]]]><![CDATA[>"}]]>\n'
                "</openbadges:credential>",
                '{"a": "]]>"}',
            ),
            ('<openbadges:credential>{"a": "]]&gt;"}</openbadges:credential>', '{"a": "]]>"}'),
            ('<g><openbadges:credential verify="first.x.y"/></g>', "first.x.y"),
        ],
    )
    def test_reads_verify_else_text(self, element: str, expected: str) -> None:
        svg = svg_with(element, namespaces=f'xmlns:openbadges="{OB3_NS}"')
        assert unbake_credential(svg) == expected
        assert unbake_any(svg) == ("ob3", expected)

    def test_finds_the_element_by_namespace_or_by_the_raw_prefix(self) -> None:
        other_prefix = svg_with('<c:credential verify="a.b.c"/>', namespaces=f'xmlns:c="{OB3_NS}"')
        assert unbake_credential(other_prefix) == "a.b.c"
        wrong_uri = svg_with(
            '<openbadges:credential verify="d.e.f"/>',
            namespaces='xmlns:openbadges="https://purl.imsglobal.org/spec/ob/v3p0"',
        )
        assert unbake_credential(wrong_uri) == "d.e.f"

    def test_the_first_element_wins(self) -> None:
        svg = svg_with(
            '<openbadges:credential verify="first.x.y"/>',
            '<openbadges:credential verify="second.x.y"/>',
            namespaces=f'xmlns:openbadges="{OB3_NS}"',
        )
        assert unbake_credential(svg) == "first.x.y"

    @pytest.mark.parametrize(
        ("svg", "message"),
        [
            (SAFE_SVG, NO_CREDENTIAL),
            (
                svg_with(
                    '<x:credential verify="a.b.c"/>', namespaces='xmlns:x="https://o.example"'
                ),
                NO_CREDENTIAL,
            ),
            (
                svg_with('<ob:assertion verify="a.b.c"/>', namespaces=f'xmlns:ob="{OB2_NS}"'),
                NO_CREDENTIAL,
            ),
            (
                svg_with(
                    "<openbadges:credential> </openbadges:credential>",
                    namespaces=f'xmlns:openbadges="{OB3_NS}"',
                ),
                "element is empty",
            ),
        ],
    )
    def test_reports_an_svg_without_a_credential(self, svg: bytes, message: str) -> None:
        with pytest.raises(BakingError, match=message):
            unbake_credential(svg)


class TestUnbakeAny:
    def test_reads_every_format(self) -> None:
        png, svg, jwt = make_png(), SAFE_SVG, credential_jwt()
        assert unbake_any(bake_png_credential(png, jwt)) == ("ob3", jwt)
        assert unbake_any(bake_svg_credential(svg, jwt)) == ("ob3", jwt)
        assert unbake_any(bake_png(png, ASSERTION_JWS)) == ("ob2", ASSERTION_JWS)
        assert unbake_any(bake_svg(svg, verify=ASSERTION_JWS)) == ("ob2", ASSERTION_JWS)
        legacy = make_png(pnginfo=_text("openbadges", "https://old.example/a.json"))
        assert unbake_any(legacy) == ("ob2", "https://old.example/a.json")

    def test_ob2_readers_do_not_see_a_credential(self) -> None:
        with pytest.raises(BakingError, match="no Open Badges data"):
            unbake(bake_png_credential(make_png(), CREDENTIAL_JSON))
        with pytest.raises(BakingError, match="no Open Badges data"):
            unbake(bake_svg_credential(SAFE_SVG, CREDENTIAL_JSON))

    def test_a_foreign_image_with_both_gives_the_credential(self) -> None:
        png = bake_png(make_png(), ASSERTION_JWS)
        both = insert_before_iend(
            png, raw_chunk(b"iTXt", KEYWORD + b"\x00\x00\x00\x00\x00" + b"a.b.c")
        )
        assert unbake_any(both) == ("ob3", "a.b.c")
        assert unbake(both) == ASSERTION_JWS
        svg = svg_with(
            f'<openbadges:assertion verify="{ASSERTION_JWS}"/>',
            '<c:credential verify="a.b.c"/>',
            namespaces=f'xmlns:openbadges="{OB2_NS}" xmlns:c="{OB3_NS}"',
        )
        assert unbake_any(svg) == ("ob3", "a.b.c")

    def test_a_broken_credential_is_not_skipped_for_an_assertion(self) -> None:
        png = bake_png(make_png(), ASSERTION_JWS)
        broken = raw_chunk(b"iTXt", KEYWORD + b"\x00\x01\x00\x00\x00not zlib")
        with pytest.raises(BakingError, match="corrupt"):
            unbake_any(insert_before_iend(png, broken))
        svg = svg_with(
            f'<a:assertion verify="{ASSERTION_JWS}"/><c:credential/>',
            namespaces=f'xmlns:a="{OB2_NS}" xmlns:c="{OB3_NS}"',
        )
        with pytest.raises(BakingError, match="empty"):
            unbake_any(svg)

    @pytest.mark.parametrize(
        "data",
        [
            make_png(),
            SAFE_SVG,
            svg_with("<ob:assertion/>", namespaces=f'xmlns:ob="{OB2_NS}"'),
        ],
    )
    def test_reports_an_image_without_badge_data(self, data: bytes) -> None:
        with pytest.raises(BakingError, match=r"no Open Badges data \(OB 2.0 or 3.0\)"):
            unbake_any(data)

    @pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe0\x00\x10JFIF", b"hello", b""])
    def test_refuses_other_content(self, data: bytes) -> None:
        with pytest.raises(BakingError, match=r"PNG or (an )?SVG"):
            unbake_any(data)


def _text(key: str, value: str) -> PngInfo:
    info = PngInfo()
    info.add_text(key, value)
    return info
