"""RDF Dataset Canonicalization (W3C RDFC-1.0) of a dataset given as N-Quads terms.

The quads come from :mod:`badgeforge.core.canonical` with every term already written as
N-Quads (``<iri>``, ``_:label``, or a literal), and the graph name ``""`` for the default
graph. The algorithm is the Recommendation's, with the choices every implementation made
(``digitalbazaar/rdf-canonize``, ``pyld``): the first-degree hashes are computed once, and
the Hash N-Degree Quads calls are bounded like rdf-canonize's default (``maxWorkFactor``
1: as many calls as there are blank nodes without a unique first-degree hash), so a
poisoned dataset is refused instead of taking exponential time. Terms and quads are plain
strings and tuples: our documents are small, and this is the hot path of every signature.
"""

import hashlib
from collections.abc import Iterator

from badgeforge.core.errors import SigningError

Quad = tuple[str, str, str, str]
"""Subject, predicate, object and graph name as N-Quads terms; ``""`` is the default graph."""

_ECHAR = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}
_LITERAL_ESCAPES = {
    **{code: _ECHAR.get(code, f"\\u{code:04X}") for code in (*range(0x20), 0x7F)},
    ord('"'): '\\"',
    ord("\\"): "\\\\",
}


class CanonicalizationTooComplex(SigningError):
    """The dataset needs more Hash N-Degree Quads work than allowed (a poison graph)."""


def escape_literal(value: str) -> str:
    """A string literal's lexical form as canonical N-Quads writes it (RDF 1.2 rules)."""
    return value.translate(_LITERAL_ESCAPES)


def nquad(subject: str, predicate: str, obj: str, graph: str) -> str:
    """One N-Quads line."""
    if graph:
        return f"{subject} {predicate} {obj} {graph} .\n"
    return f"{subject} {predicate} {obj} .\n"


def permutations(items: list[str]) -> Iterator[list[str]]:
    """The permutations rdf-canonize (and pyld) try, in their order.

    Steinhaus-Johnson-Trotter from the sorted list, where equal items share one direction:
    a list of one node repeated (a blank node related through several quads) is tried
    once, not ``n!`` times, which matters for the work bound.
    """
    current = sorted(items)
    looks_left = dict.fromkeys(current, True)
    while True:
        yield list(current)
        largest: str | None = None
        position = 0
        for index, item in enumerate(current):
            if largest is not None and item <= largest:
                continue
            if looks_left[item]:
                mobile = index > 0 and item > current[index - 1]
            else:
                mobile = index < len(current) - 1 and item > current[index + 1]
            if mobile:
                largest, position = item, index
        if largest is None:
            return
        swap = position - 1 if looks_left[largest] else position + 1
        current[position], current[swap] = current[swap], largest
        for item in current:
            if item > largest:
                looks_left[item] = not looks_left[item]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Issuer:
    """An identifier issuer: ``prefix`` + counter, remembering what it issued, in order."""

    __slots__ = ("issued", "prefix")

    def __init__(self, prefix: str, issued: dict[str, str] | None = None) -> None:
        self.prefix = prefix
        self.issued = dict(issued) if issued else {}

    def issue(self, existing: str) -> str:
        found = self.issued.get(existing)
        if found is None:
            found = self.issued[existing] = f"_:{self.prefix}{len(self.issued)}"
        return found

    def copy(self) -> "_Issuer":
        return _Issuer(self.prefix, self.issued)


class _Canonicalizer:
    def __init__(self, quads: list[Quad]) -> None:
        self.quads = quads
        self.quads_of: dict[str, list[Quad]] = {}
        for quad in quads:
            subject, _, obj, graph = quad
            for term in (subject, obj, graph):
                if term.startswith("_:"):
                    mentions = self.quads_of.setdefault(term, [])
                    if not mentions or mentions[-1] is not quad:
                        mentions.append(quad)
        self.canonical = _Issuer("c14n")
        self.first_degree: dict[str, str] = {}
        self.budget = 0

    def hash_first_degree(self, node: str) -> str:
        def mask(term: str) -> str:
            if not term.startswith("_:"):
                return term
            return "_:a" if term == node else "_:z"

        lines = sorted(
            nquad(mask(subject), predicate, mask(obj), mask(graph))
            for subject, predicate, obj, graph in self.quads_of[node]
        )
        return _sha256("".join(lines))

    def hash_related(self, related: str, predicate: str, issuer: _Issuer, position: str) -> str:
        identifier = (
            self.canonical.issued.get(related)
            or issuer.issued.get(related)
            or self.first_degree[related]
        )
        return _sha256(position + (predicate if position != "g" else "") + identifier)

    def hash_n_degree(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        if self.budget <= 0:
            raise CanonicalizationTooComplex(
                "the document's blank nodes are too symmetric to canonicalize"
            )
        self.budget -= 1
        related_by_hash: dict[str, list[str]] = {}
        for subject, predicate, obj, graph in self.quads_of[node]:
            for position, term in (("s", subject), ("o", obj), ("g", graph)):
                if term.startswith("_:") and term != node:
                    related_hash = self.hash_related(term, predicate, issuer, position)
                    related_by_hash.setdefault(related_hash, []).append(term)
        data: list[str] = []
        for related_hash in sorted(related_by_hash):
            data.append(related_hash)
            chosen_path, chosen_issuer = "", issuer
            for permutation in permutations(related_by_hash[related_hash]):
                found = self._path(permutation, issuer, chosen_path)
                if found is not None and (not chosen_path or found[0] < chosen_path):
                    chosen_path, chosen_issuer = found
            data.append(chosen_path)
            issuer = chosen_issuer
        return _sha256("".join(data)), issuer

    def _path(
        self, permutation: list[str], issuer: _Issuer, chosen_path: str
    ) -> tuple[str, _Issuer] | None:
        """Steps 5.4.1-5.4.5: the path of one permutation, or None once it cannot win."""
        issuer_copy = issuer.copy()
        path = ""
        recursion: list[str] = []
        for related in permutation:
            canonical = self.canonical.issued.get(related)
            if canonical is not None:
                path += canonical
            else:
                if related not in issuer_copy.issued:
                    recursion.append(related)
                path += issuer_copy.issue(related)
            if chosen_path and path > chosen_path:
                return None
        for related in recursion:
            result_hash, issuer_copy = self.hash_n_degree(related, issuer_copy)
            path += f"{issuer_copy.issue(related)}<{result_hash}>"
            if chosen_path and path > chosen_path:
                return None
        return path, issuer_copy

    def run(self) -> str:
        by_hash: dict[str, list[str]] = {}
        for node in self.quads_of:
            first = self.first_degree[node] = self.hash_first_degree(node)
            by_hash.setdefault(first, []).append(node)
        shared: list[list[str]] = []
        for first in sorted(by_hash):
            nodes = by_hash[first]
            if len(nodes) == 1:
                self.canonical.issue(nodes[0])
            else:
                shared.append(nodes)
        self.budget = sum(len(nodes) for nodes in shared)
        for nodes in shared:
            results = []
            for node in nodes:
                if node not in self.canonical.issued:
                    issuer = _Issuer("b")
                    issuer.issue(node)
                    results.append(self.hash_n_degree(node, issuer))
            for _, issuer in sorted(results, key=lambda result: result[0]):
                for existing in issuer.issued:
                    self.canonical.issue(existing)
        return self.relabelled()

    def relabelled(self) -> str:
        issued = self.canonical.issued

        def label(term: str) -> str:
            return issued[term] if term.startswith("_:") else term

        lines = sorted(
            nquad(label(subject), predicate, label(obj), label(graph))
            for subject, predicate, obj, graph in self.quads
        )
        return "".join(lines)


def canonical_nquads(quads: list[Quad]) -> str:
    """The RDFC-1.0 canonical N-Quads of a dataset (blank nodes relabelled ``_:c14nN``)."""
    return _Canonicalizer(quads).run()
