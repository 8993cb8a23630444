"""Hypothesis strategies for canonicalization tests: varied OB 3.0 credentials and datasets.

Credentials come from ``core/ob3.py`` with drawn text (any Unicode but the control
characters pyld escapes wrongly), duplicated alignments and evidence (symmetric blank
nodes), and extra properties from an inline context: lists, language maps, numbers,
``@json`` literals, blank nodes shared between and referring to each other, and one or
more proofs (named graphs named by blank nodes).
"""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from badgeforge.core import ob3, status_list
from badgeforge.core.records import (
    Alignment,
    AwardRecord,
    BadgeClassRecord,
    Evidence,
    IssuerRecord,
    Recipient,
)
from tests.core.test_ob3 import LINKS

# pyld writes these raw; RDFC-1.0 escapes them (tested on their own).
PYLD_UNESCAPED = "".join(chr(code) for code in (*range(0x20), 0x7F) if chr(code) not in "\t\n\r")
TEXT = st.text(st.characters(codec="utf-8", exclude_characters=PYLD_UNESCAPED), max_size=12)
WORD = st.text(st.characters(codec="utf-8", exclude_characters=PYLD_UNESCAPED), min_size=1)
IRI = st.sampled_from(
    ["https://example.org/a", "https://example.org/b", "urn:uuid:1", "did:example:123#k-1"]
)
EXTRA_CONTEXT = {
    "ex": "https://example.org/vocab#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "exList": {"@id": "ex:list", "@container": "@list"},
    "exLang": {"@id": "ex:lang", "@container": "@language"},
    "exValue": {"@id": "ex:value"},
    "exDouble": {"@id": "ex:double", "@type": "xsd:double"},
    "exJson": {"@id": "ex:json", "@type": "@json"},
    "exRef": {"@id": "ex:ref", "@type": "@id"},
    "exNode": {"@id": "ex:node"},
}
ISSUER_ID = UUID("11111111-1111-4111-8111-111111111111")
BADGE_CLASS_ID = UUID("22222222-2222-4222-8222-222222222222")

scalars = st.one_of(
    TEXT,
    st.integers(-(10**22), 10**22),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.builds(
        lambda value, lang: {"@value": value, "@language": lang},
        TEXT,
        st.sampled_from(["fr", "en-GB", "de"]),
    ),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def _node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A node object: blank (no id, or a shared ``_:`` label) or identified by an IRI."""
    identifier = st.none() | st.sampled_from(["_:n1", "_:n2", "_:n3"]) | IRI
    return st.builds(
        lambda ident, value, ref, child: {
            key: item
            for key, item in (("@id", ident), ("exValue", value), ("exRef", ref), ("exNode", child))
            if item is not None
        },
        identifier,
        st.none() | scalars,
        st.none() | IRI | st.sampled_from(["_:n1", "_:n2"]),
        st.none() | children,
    )


nodes = st.recursive(st.just({"exValue": "leaf"}), _node, max_leaves=5)


@st.composite
def records(draw: st.DrawFn) -> tuple[AwardRecord, BadgeClassRecord, IssuerRecord]:
    alignment_pool = [
        Alignment(target_name=draw(WORD), target_url="https://example.org/c1"),
        Alignment(
            target_name=draw(WORD),
            target_url="https://example.org/c2",
            target_framework=draw(st.none() | WORD),
        ),
    ]
    evidence_pool = [
        Evidence(narrative=draw(WORD)),
        Evidence(url="https://example.org/e", name=draw(st.none() | WORD)),
    ]
    issuer = IssuerRecord(
        id=ISSUER_ID,
        name=draw(WORD),
        url="https://esat.example.fr",
        email="contact@esat.example.fr",
        description=draw(st.none() | TEXT),
        has_image=draw(st.booleans()),
    )
    badge_class = BadgeClassRecord(
        id=BADGE_CLASS_ID,
        issuer_id=ISSUER_ID,
        name=draw(WORD),
        description=draw(WORD),
        image_media_type="image/png",
        criteria_narrative=draw(WORD),
        alignments=tuple(draw(st.lists(st.sampled_from(alignment_pool), max_size=3))),
        tags=tuple(draw(st.lists(WORD, max_size=3))),
        language=draw(st.sampled_from([None, "fr", "fr-FR", "en"])),
    )
    issued = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 10**8)))
    award = AwardRecord(
        id=UUID(int=draw(st.integers(0, 2**128 - 1))),
        badge_class_id=BADGE_CLASS_ID,
        recipient=Recipient("sha256$" + "0" * 64, draw(WORD)),
        issued_on=issued,
        narrative=draw(st.none() | WORD),
        evidence=tuple(draw(st.lists(st.sampled_from(evidence_pool), max_size=3))),
    )
    return award, badge_class, issuer


def _proof(created: str, value: str) -> dict[str, Any]:
    return {
        "type": "DataIntegrityProof",
        "created": created,
        "verificationMethod": "https://esat.example.fr/keys/1",
        "cryptosuite": "eddsa-rdfc-2022",
        "proofPurpose": "assertionMethod",
        "proofValue": value,
    }


@st.composite
def credentials(draw: st.DrawFn, extras: bool = True) -> dict[str, Any]:
    """An OB 3.0 credential, sometimes with extra terms and proofs."""
    award, badge_class, issuer = draw(records())
    entry = status_list.status_entry("https://esat.example.fr/status/1", draw(st.integers(0, 9)))
    options = ob3.CredentialOptions(credential_status=draw(st.none() | st.just(entry)))
    document = ob3.open_badge_credential(award, badge_class, issuer, LINKS, options)
    if not extras or not draw(st.booleans()):
        return document
    document["@context"] = [*document["@context"], EXTRA_CONTEXT]
    optional = {
        "exList": st.lists(scalars | nodes, max_size=4),
        "exLang": st.dictionaries(st.sampled_from(["fr", "en", "fr-ca"]), TEXT, max_size=2),
        "exDouble": st.floats(allow_nan=False, allow_infinity=False) | st.integers(-99, 99),
        "exJson": json_values,
        "exNode": st.lists(nodes, max_size=4),
        "proof": st.lists(
            st.builds(
                _proof,
                st.sampled_from(["2026-01-01T00:00:00Z", "2026-02-02T00:00:00Z"]),
                st.sampled_from(["z3abc", "z4def"]),
            ),
            min_size=1,
            max_size=3,
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            document[key] = draw(strategy)
    return document


BLANKS = [f"_:x{index}" for index in range(6)]
TERMS = ["<https://example.org/s>", "<https://example.org/t>", *BLANKS]
OBJECTS = [*TERMS, '"a"', '"b"@fr', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>']


@st.composite
def datasets(draw: st.DrawFn) -> list[tuple[str, str, str, str]]:
    """Small RDF datasets rich in blank nodes: cycles, self-loops, blank graph names."""
    quad = st.tuples(
        st.sampled_from(TERMS),
        st.sampled_from(["<https://example.org/p>", "<https://example.org/q>"]),
        st.sampled_from(OBJECTS),
        st.sampled_from(["", "", "<https://example.org/g>", "_:x4", "_:x5"]),
    )
    return list(dict.fromkeys(draw(st.lists(quad, min_size=1, max_size=14))))
