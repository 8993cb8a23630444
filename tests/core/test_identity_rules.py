"""Single rules of recipient identity hashing and of the offline JSON-LD loader."""

import hashlib

import pytest

from badgeforge.core.errors import InvalidIdentity
from badgeforge.core.identity import hash_identity, identity_matches
from badgeforge.core.jsonld import offline_loader

EMAIL = "camille@example.org"


class TestIdentityMatches:
    @pytest.mark.parametrize("algorithm", ["sha512", "sha1", "md5"])
    def test_an_identity_hashed_with_another_algorithm_matches(self, algorithm: str) -> None:
        digest = hashlib.new(algorithm, (EMAIL + "sel").encode()).hexdigest()
        assert identity_matches(f"{algorithm}${digest}", EMAIL, "sel")
        assert not identity_matches(f"{algorithm}${digest}", EMAIL, "poivre")

    def test_no_salt_hashes_the_address_alone(self) -> None:
        digest = hashlib.sha256(EMAIL.encode()).hexdigest()
        assert identity_matches(f"sha256${digest}", EMAIL, None)
        assert identity_matches(f"sha256${digest}", EMAIL, "")

    def test_a_value_that_cannot_be_utf8_never_matches(self) -> None:
        assert not identity_matches(hash_identity(EMAIL, "sel"), "\ud800" + EMAIL, "sel")


class TestHashIdentity:
    def test_text_without_a_utf8_form_is_refused_with_its_reason(self) -> None:
        with pytest.raises(
            InvalidIdentity, match=r"^the identity or salt is not valid Unicode text$"
        ):
            hash_identity("\udc00@example.org", "sel")


class TestOfflineLoader:
    def test_answers_in_pylds_remote_document_shape(self) -> None:
        url = "https://w3id.org/openbadges/v2"
        answer = offline_loader(url)
        assert answer.keys() == {"contextUrl", "documentUrl", "document"}
        assert answer["documentUrl"] == url
        assert answer["contextUrl"] is None
        assert "@context" in answer["document"]
