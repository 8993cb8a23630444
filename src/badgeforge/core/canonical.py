"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, offline and in safe mode.

Data Integrity proofs sign the canonical N-Quads of a document. A term the contexts do
not define would silently vanish from those N-Quads (and so from what is signed), which
is why canonicalization here is *safe*: a dropped property or a type that is not an
absolute IRI is an error, as in the digitalbazaar verifiers. Contexts come only from the
bundled offline loader.
"""

from typing import Any

from pyld import jsonld

from badgeforge.core.errors import SigningError
from badgeforge.core.jsonld import DocumentLoader, offline_loader


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
                if not isinstance(type_iri, str) or ":" not in type_iri:
                    raise SigningError(f"type {type_iri!r} is not defined by the contexts")
        elif key == "@id" and (not isinstance(value, str) or ":" not in value):
            raise SigningError(f"identifier {value!r} is not an absolute IRI")
        elif key != "@value":
            _check_types(value)


def expand_safely(document: dict[str, Any], loader: DocumentLoader = offline_loader) -> Any:
    """JSON-LD expansion that fails on any term or type the contexts do not define."""
    dropped: list[str | None] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    try:
        expanded = processor.expand(document, {"documentLoader": loader, "base": None})
    except jsonld.JsonLdError as error:
        raise SigningError(f"the document is not valid JSON-LD: {error}") from error
    if dropped:
        names = ", ".join(sorted({str(name) for name in dropped}))
        raise SigningError(f"undefined JSON-LD term(s): {names}")
    _check_types(expanded)
    return expanded


def canonize(document: dict[str, Any], loader: DocumentLoader = offline_loader) -> str:
    """The RDFC-1.0 canonical N-Quads of ``document`` (safe mode, offline contexts)."""
    expanded = expand_safely(document, loader)
    try:
        nquads: str = jsonld.normalize(
            expanded,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": loader,
            },
        )
    except jsonld.JsonLdError as error:
        raise SigningError(f"the document cannot be canonicalized: {error}") from error
    return nquads
