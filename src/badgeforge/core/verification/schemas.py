"""OB 3.0 JSON Schema checks on the verification hot path.

A compiled Rust validator (``jsonschema_rs``, draft 2019-09) answers "valid?" in
microseconds; only an invalid credential goes through ``core.ob3_schema`` (``jsonschema``)
to get readable messages. Both load the same bundled schema files.
"""

import json
from functools import cache
from importlib.resources import files
from typing import Any

import jsonschema_rs

from badgeforge.core import ob3_schema

_VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
_FILES = {
    ob3_schema.ACHIEVEMENT_CREDENTIAL: "ob_v3p0_achievementcredential_schema.json",
    ob3_schema.ENDORSEMENT_CREDENTIAL: "ob_v3p0_endorsementcredential_schema.json",
    ob3_schema.PROFILE: "ob_v3p0_profile_schema.json",
}


@cache
def _validator(name: str) -> Any:
    text = files("badgeforge.core").joinpath("schemas", name).read_text(encoding="utf-8")
    return jsonschema_rs.Draft201909Validator(json.loads(text))


def _file(document: Any, schema_url: str) -> str:
    context = document.get("@context") if isinstance(document, dict) else None
    legacy = isinstance(context, list) and context[:1] == [_VC1_CONTEXT]
    if schema_url == ob3_schema.ACHIEVEMENT_CREDENTIAL and legacy:
        return "ob_v3p0_achievementcredential_schema.vc11.json"
    return _FILES[schema_url]


def schema_errors(document: Any, schema_url: str) -> list[str]:
    """Messages for every way ``document`` breaks a bundled schema (empty: valid)."""
    try:
        if _validator(_file(document, schema_url)).is_valid(document):
            return []
    except (ValueError, OverflowError):  # a value the Rust validator cannot represent
        pass
    return ob3_schema.schema_errors(document, schema_url)
