"""badgeforge's RDFC-1.0 against the digitalbazaar stack's, document by document.

The reference is what every JS verifier of ``eddsa-rdfc-2022`` runs: ``jsonld.toRDF`` in
safe mode then ``rdf-canonize`` (the packages of ``tests/oracles/vc_js``, offline, with
badgeforge's bundled contexts). Both must give the same canonical N-Quads, or both refuse
(rdf-canonize's work bound); datasets with self-loops and blank graph names, where pyld
differs from the spec, are compared too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badgeforge.core.canonical import canonize
from badgeforge.core.errors import SigningError
from badgeforge.core.jsonld import CONTEXT_FILES, bundled_context
from badgeforge.core.rdfc import CanonicalizationTooComplex, canonical_nquads, nquad
from tests.core.canonical_strategies import EXTRA_CONTEXT, credentials, datasets
from tests.core.test_ob3 import credential, status
from tests.oracles.vc_js import ensure_installed

pytestmark = pytest.mark.validator

SCRIPT = Path(__file__).resolve().parent / "canonize_js.mjs"
Quads = list[tuple[str, str, str, str]]
BATCH = settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))


def js_canonize(documents: list[dict[str, Any]], quads: list[Quads]) -> dict[str, Any]:
    folder = ensure_installed()
    shutil.copy2(SCRIPT, folder / SCRIPT.name)
    request = {
        "contexts": {url: bundled_context(url) for url in CONTEXT_FILES},
        "documents": documents,
        "datasets": ["".join(nquad(*quad) for quad in dataset) for dataset in quads],
    }
    result = subprocess.run(
        ["node", SCRIPT.name],
        cwd=folder,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def ours(work: Any) -> dict[str, str]:
    try:
        return {"nquads": work()}
    except CanonicalizationTooComplex:
        return {"refused": "too complex"}
    except SigningError as error:
        return {"error": str(error)}


def same(mine: dict[str, str], theirs: dict[str, str]) -> bool:
    if "Maximum deep iterations" in theirs.get("error", ""):
        return "refused" in mine
    return mine.get("nquads") == theirs.get("nquads")


def extras(**values: Any) -> dict[str, Any]:
    document = credential(credential_status=status())
    document["@context"] = [*document["@context"], EXTRA_CONTEXT]
    return {**document, **values}


HAND_PICKED = [
    credential(credential_status=status()),
    extras(exValue='a\bb\fc\x00d\x1fe\x7ff\tg\nh\ri"j\\k\u2028'),
    extras(exValue={"@value": "مرحبا", "@language": "ar", "@direction": "rtl"}),
    extras(exNode=[{"@id": "_:a", "exRef": "_:a", "exValue": 1}, {"exRef": "_:a"}]),
    extras(exNode=[{"@id": "_:a", "exRef": "_:b"}, {"@id": "_:b", "exRef": "_:a"}]),
    extras(exList=["même"] * 4, exDouble=1.5, exValue=10**21),
    extras(exNode=[{"exValue": "x"}] * 3, exList=[{"exValue": 1}, {"exValue": 1}]),
]


def test_hand_picked_documents_agree() -> None:
    answer = js_canonize(HAND_PICKED, [])
    for document, theirs in zip(HAND_PICKED, answer["documents"], strict=True):
        mine = ours(lambda document=document: canonize(document))
        assert same(mine, theirs), (document, mine, theirs)


@BATCH
@given(st.lists(credentials(), min_size=25, max_size=25), st.lists(datasets(), min_size=40))
def test_generated_documents_and_datasets_agree(
    documents: list[dict[str, Any]], quads: list[Quads]
) -> None:
    answer = js_canonize(documents, quads)
    for document, theirs in zip(documents, answer["documents"], strict=True):
        mine = ours(lambda document=document: canonize(document))
        assert same(mine, theirs), (document, mine, theirs)
    for dataset, theirs in zip(quads, answer["datasets"], strict=True):
        mine = ours(lambda dataset=dataset: canonical_nquads(dataset))
        assert same(mine, theirs), (dataset, mine, theirs)
