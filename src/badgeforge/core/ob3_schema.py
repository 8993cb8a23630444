"""The OB 3.0 JSON Schemas (bundled, draft 2019-09), to check credentials without a network.

``credentialSchema.id`` URLs differ from the schemas' own ``$id`` (SPEC pitfall 4), so the
bundled files are looked up by the URL credentials name. VC 1.1-model credentials
(``@context[0]`` = ``credentials/v1``) are checked against the VC 1.1 build of the schema.
"""

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft201909Validator

ACHIEVEMENT_CREDENTIAL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
ENDORSEMENT_CREDENTIAL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"
)
PROFILE = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json"
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
_FILES = {
    ACHIEVEMENT_CREDENTIAL: "ob_v3p0_achievementcredential_schema.json",
    ENDORSEMENT_CREDENTIAL: "ob_v3p0_endorsementcredential_schema.json",
    PROFILE: "ob_v3p0_profile_schema.json",
}
_VC1_ACHIEVEMENT_FILE = "ob_v3p0_achievementcredential_schema.vc11.json"


@cache
def _validator(file_name: str) -> Draft201909Validator:
    schema = json.loads(
        files("badgeforge.core").joinpath("schemas", file_name).read_text(encoding="utf-8")
    )
    return Draft201909Validator(schema)


def is_bundled(schema_url: str) -> bool:
    """Whether ``schema_url`` names a schema badgeforge carries."""
    return schema_url in _FILES


def schema_errors(document: Any, schema_url: str = ACHIEVEMENT_CREDENTIAL) -> list[str]:
    """Messages for every way ``document`` breaks the schema at ``schema_url`` (empty: valid)."""
    name = _FILES[schema_url]
    context = document.get("@context") if isinstance(document, dict) else None
    if (
        schema_url == ACHIEVEMENT_CREDENTIAL
        and isinstance(context, list)
        and context[:1] == [VC1_CONTEXT]
    ):
        name = _VC1_ACHIEVEMENT_FILE
    validator = _validator(name)
    messages = []
    for error in sorted(validator.iter_errors(document), key=lambda item: list(item.path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(document)"
        messages.append(f"{where}: {error.message[:300]}")
    return messages
