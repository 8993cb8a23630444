"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, offline and in safe mode.

Data Integrity proofs sign the canonical N-Quads of a document. A term the contexts do
not define would silently vanish from those N-Quads (and so from what is signed), which
is why canonicalization here is *safe*: a dropped property, a type or identifier that is
not an absolute IRI, an IRI N-Quads cannot write or a blank-node predicate is an error,
as in the digitalbazaar verifiers. Contexts come only from the given loader (the bundled
offline one by default).

The document is expanded once (pyld, processed contexts cached: :mod:`.expansion`), turned
into RDF by pyld's node map, and canonicalized by :mod:`.rdfc`. The result is pyld's
``normalize`` output byte for byte, except where pyld departs from RDFC-1.0 and from the
digitalbazaar stack: control characters in literals are escaped as canonical N-Quads
requires (``\\b``, ``\\f``, ``\\u0000``...), a blank node's quads count once even if it
is both subject and object, highly symmetric (poisoned) datasets are refused like
rdf-canonize refuses them, and ``@direction`` becomes an ``i18n`` datatype as the
``eddsa-rdfc-2022`` cryptosuite asks (pyld's default drops it).
"""

import re
from functools import lru_cache
from typing import Any

from pyld import jsonld

from badgeforge.core import expansion
from badgeforge.core.errors import SigningError
from badgeforge.core.jsonld import DocumentLoader, offline_loader
from badgeforge.core.rdfc import Quad, canonical_nquads, escape_literal

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_TO_RDF_OPTIONS = {
    "produceGeneralizedRdf": False,
    "rdfDirection": "i18n-datatype",
    "processingMode": "json-ld-1.1",
}


def _is_reference(value: Any) -> bool:
    """An absolute IRI N-Quads can write, or a blank node identifier."""
    return isinstance(value, str) and (
        value.startswith("_:") or _ABSOLUTE_IRI.fullmatch(value) is not None
    )


def _check_types(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _check_types(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@type" and "@value" not in node:
            for type_iri in value if isinstance(value, list) else [value]:
                if not _is_reference(type_iri):
                    raise SigningError(f"type {type_iri!r} is not defined by the contexts")
        elif key == "@id":
            if not _is_reference(value):
                raise SigningError(f"identifier {value!r} is not an absolute IRI")
        elif key.startswith("_:"):
            raise SigningError(f"property {key!r} is a blank node, which RDF cannot carry")
        elif key != "@value":
            _check_types(value)


def expand_safely(document: dict[str, Any], loader: DocumentLoader = offline_loader) -> Any:
    """JSON-LD expansion that fails on any term or type the contexts do not define."""
    dropped: list[str | None] = []
    try:
        expanded = expansion.expand(document, loader, dropped.append)
    except (jsonld.JsonLdError, ValueError) as error:  # pyld: ValueError on relative IRIs
        raise SigningError(f"the document is not valid JSON-LD: {error}") from error
    if dropped:
        names = ", ".join(sorted({str(name) for name in dropped}))
        raise SigningError(f"undefined JSON-LD term(s): {names}")
    _check_types(expanded)
    return expanded


@lru_cache(maxsize=4096)
def _iri(value: str) -> str:
    if _ABSOLUTE_IRI.fullmatch(value) is None:
        raise SigningError(f"{value!r} is not an absolute IRI that N-Quads can write")
    return f"<{value}>"


def _term(term: dict[str, Any]) -> str:
    kind, value = term["type"], term["value"]
    if kind == "IRI":
        return _iri(value)
    if kind == "blank node":
        return str(value)
    if not isinstance(value, str):
        raise SigningError(f"the literal {value!r} is not a string")
    datatype = term["datatype"]
    literal = f'"{escape_literal(value)}"'
    if datatype == _RDF_LANG_STRING:
        language = term.get("language")
        if not language:
            return literal
        if _LANGUAGE_TAG.fullmatch(language) is None:
            raise SigningError(f"{language!r} is not a language tag")
        return f"{literal}@{language}"
    if datatype == _XSD_STRING:
        return literal
    return f"{literal}^^{_iri(datatype)}"


def to_dataset(expanded: Any) -> list[Quad]:
    """The RDF dataset of an expanded document (pyld's deserialization), as N-Quads terms.

    ``expanded`` is consumed: pyld's node map takes it apart.
    """
    processor = jsonld.JsonLdProcessor()
    issuer = jsonld.IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    quads: list[Quad] = []
    for graph_name, graph in sorted(node_map.items()):
        if graph_name == "@default":
            graph_term = ""
        elif graph_name.startswith("_:"):
            graph_term = graph_name
        else:
            graph_term = _iri(graph_name)
        for triple in processor._graph_to_rdf(graph, issuer, _TO_RDF_OPTIONS):
            predicate = _iri(triple["predicate"]["value"])
            subject, obj = _term(triple["subject"]), _term(triple["object"])
            quads.append((subject, predicate, obj, graph_term))
    return quads


def canonize(document: dict[str, Any], loader: DocumentLoader = offline_loader) -> str:
    """The RDFC-1.0 canonical N-Quads of ``document`` (safe mode, offline contexts)."""
    expanded = expand_safely(document, loader)
    try:
        quads = to_dataset(expanded)
    except (jsonld.JsonLdError, ValueError) as error:
        raise SigningError(f"the document cannot be canonicalized: {error}") from error
    return canonical_nquads(quads)
