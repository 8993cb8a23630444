"""RDFC-1.0 canonicalization: the fast path against pyld, the spec's rules, and safe mode."""

import copy
import json
import random
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st
from pyld import jsonld

from badgeforge.core import canonical
from badgeforge.core.canonical import canonize, expand_safely, to_dataset
from badgeforge.core.errors import SigningError
from badgeforge.core.jsonld import offline_loader
from badgeforge.core.rdfc import CanonicalizationTooComplex, canonical_nquads, nquad
from tests.core.canonical_strategies import EXTRA_CONTEXT, credentials, datasets

VECTORS = Path(__file__).parent / "files" / "ob3"
DIFFERENTIAL = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def pyld_normalize(document: dict[str, Any]) -> str:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    normalized: str = jsonld.normalize(document, {**options, "documentLoader": offline_loader})
    return normalized


def has_self_loop(quads: list[tuple[str, str, str, str]]) -> bool:
    """pyld counts a quad twice for a blank node it names twice (RDFC-1.0: once)."""
    for subject, _, obj, graph in quads:
        blanks = [term for term in (subject, obj, graph) if term.startswith("_:")]
        if len(blanks) != len(set(blanks)):
            return True
    return False


def pyld_normalize_quads(quads: list[tuple[str, str, str, str]]) -> str:
    text = "".join(nquad(*quad) for quad in quads)
    options = {"algorithm": "URDNA2015", "inputFormat": "application/n-quads"}
    normalized: str = jsonld.normalize(text, {**options, "format": "application/n-quads"})
    return normalized


def with_extras(**extras: Any) -> dict[str, Any]:
    document = json.loads((VECTORS / "obv3p0-signed-credential.json").read_text())
    del document["proof"]
    document["@context"] = [*document["@context"], EXTRA_CONTEXT]
    return {**document, **extras}


class TestAgainstPyld:
    def test_spec_vector(self) -> None:
        signed = json.loads((VECTORS / "obv3p0-signed-credential.json").read_text())
        assert canonize(signed) == pyld_normalize(signed)

    @DIFFERENTIAL
    @given(credentials())
    def test_generated_credentials(self, document: dict[str, Any]) -> None:
        assume(not has_self_loop(to_dataset(expand_safely(document))))
        try:
            ours = canonize(document)
        except CanonicalizationTooComplex:  # rdf-canonize refuses it too (tests/oracles)
            reject()
        assert ours == pyld_normalize(document)

    @DIFFERENTIAL
    @given(credentials(extras=False))
    def test_canonize_leaves_the_document_alone(self, document: dict[str, Any]) -> None:
        before = copy.deepcopy(document)
        first = canonize(document)
        assert document == before
        assert canonize(document) == first

    def test_symmetric_blank_nodes(self) -> None:
        twins = [{"exValue": "même"}, {"exValue": "même"}, {"exNode": {"exValue": "même"}}]
        document = with_extras(exNode=twins, exList=[{"exValue": 1}, {"exValue": 1}, "x", "x"])
        assert canonize(document) == pyld_normalize(document)

    def test_what_rdf_canonize_refuses_is_refused(self) -> None:
        """pyld has no work bound; rdf-canonize (and so every JS verifier) refuses these."""
        cycle = [{"@id": "_:a", "exRef": "_:b"}, {"@id": "_:b", "exRef": "_:a"}]
        with pytest.raises(CanonicalizationTooComplex):
            canonize(with_extras(exNode=cycle))
        with pytest.raises(CanonicalizationTooComplex):
            canonize(with_extras(exList=["même"] * 4))


class TestRdfc10:
    def test_control_characters_are_escaped_as_canonical_nquads(self) -> None:
        document = with_extras(exValue='a\bb\fc\x00d\x1fe\x7ff\tg\nh\ri"j\\k')
        expected = '"a\\bb\\fc\\u0000d\\u001Fe\\u007Ff\\tg\\nh\\ri\\"j\\\\k"'
        assert expected in canonize(document)

    @settings(max_examples=300, deadline=None)
    @given(datasets(), st.randoms())
    def test_output_ignores_labels_and_quad_order(
        self, quads: list[tuple[str, str, str, str]], rng: random.Random
    ) -> None:
        blanks = sorted({term for quad in quads for term in quad if term.startswith("_:")})
        renamed = dict(
            zip(blanks, rng.sample([f"_:r{i}" for i in range(40)], len(blanks)), strict=True)
        )
        shuffled = [tuple(renamed.get(term, term) for term in quad) for quad in quads]
        rng.shuffle(shuffled)
        try:
            expected = canonical_nquads(quads)
            assert canonical_nquads(shuffled) == expected  # type: ignore[arg-type]
        except CanonicalizationTooComplex:
            reject()
        assert all(
            not term.startswith("_:") or term.startswith("_:c14n")
            for line in expected.splitlines()
            for term in line.split(" ")
        )

    @settings(max_examples=300, deadline=None)
    @given(datasets())
    def test_datasets_against_pyld(self, quads: list[tuple[str, str, str, str]]) -> None:
        assume(not has_self_loop(quads))
        try:
            ours = canonical_nquads(quads)
        except CanonicalizationTooComplex:
            reject()
        assert ours == pyld_normalize_quads(quads)

    def test_identical_blank_nodes_below_the_bound(self) -> None:
        p, q = "<https://example.org/p>", "<https://example.org/q>"
        star = [("<https://example.org/s>", p, f"_:{name}", "") for name in "abcd"]
        star += [(f"_:{name}", q, '"même"', "") for name in "abcd"]
        assert canonical_nquads(star) == pyld_normalize_quads(star)
        assert canonical_nquads(star).count("_:c14n") == 8

    def test_a_poison_graph_is_refused_quickly(self) -> None:
        p = "<https://example.org/p>"
        quads = []
        for ring in range(8):
            nodes = [f"_:r{ring}n{index}" for index in range(4)]
            quads += [(nodes[i], p, nodes[(i + 1) % 4], "") for i in range(4)]
            quads += [(nodes[i], p, nodes[(i + 2) % 4], "") for i in range(4)]
        with pytest.raises(CanonicalizationTooComplex):
            canonical_nquads(quads)


class TestSafeMode:
    @pytest.mark.parametrize(
        "identifier",
        ["https://example.org/a b", "https://example.org/<x>", "urn:x{y}", "relative", "a b:c"],
    )
    def test_identifiers_must_be_writable_absolute_iris(self, identifier: str) -> None:
        document = with_extras(exNode={"@id": identifier, "exValue": "perdu"})
        with pytest.raises(SigningError):
            canonize(document)

    def test_reference_values_are_checked_too(self) -> None:
        with pytest.raises(SigningError):
            canonize(with_extras(exRef="https://example.org/a b"))

    def test_a_blank_node_property_is_an_error(self) -> None:
        document = with_extras()
        document["@context"] = [*document["@context"], {"secret": "_:secret"}]
        document["secret"] = "dropped by RDF"
        with pytest.raises(SigningError, match="blank node"):
            canonize(document)

    def test_a_bad_language_tag_is_an_error(self) -> None:
        document = with_extras(exValue={"@value": "texte", "@language": "fr FR"})
        with pytest.raises(SigningError):
            canonize(document)

    def test_a_relative_datatype_is_an_error(self) -> None:
        with pytest.raises(SigningError):
            canonize(with_extras(exValue={"@value": "1", "@type": "ex y:integer"}))


class TestContextCache:
    def test_each_loader_has_its_own_contexts(self) -> None:
        url = "https://example.org/context.jsonld"

        def loader_for(vocab: str) -> Any:
            context = {"@context": {"name": f"{vocab}name", "Thing": f"{vocab}Thing"}}
            return lambda requested, options=None: {
                "contextUrl": None,
                "documentUrl": requested,
                "document": context,
            }

        document = {"@context": url, "type": "Thing", "name": "x"}
        document["@type"] = document.pop("type")
        first = canonize(document, loader_for("https://one.example/"))
        second = canonize(document, loader_for("https://two.example/"))
        assert "https://one.example/name" in first
        assert "https://two.example/name" in second
        assert "one.example" not in second

    def test_unknown_context_is_still_refused_after_warm_up(self) -> None:
        canonize(with_extras())
        document = with_extras()
        document["@context"] = [*document["@context"], "https://example.org/unknown.json"]
        with pytest.raises(SigningError):
            canonize(document)

    def test_threads_agree_with_one_thread(self) -> None:
        documents = [with_extras(exValue=f"valeur {index}") for index in range(6)]
        expected = [pyld_normalize(document) for document in documents]
        results: dict[int, list[str]] = {}

        def work(worker: int) -> None:
            results[worker] = [canonize(document) for document in documents * 5]

        threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(result == expected * 5 for result in results.values())
        assert canonical.canonize is canonize
