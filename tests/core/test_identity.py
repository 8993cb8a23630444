import pytest

from badgeforge.core.errors import InvalidIdentity
from badgeforge.core.identity import hash_identity, identity_matches, normalise_email


class TestHashIdentity:
    def test_spec_vector_with_salt(self) -> None:
        # OB 2.0 / OB 3.0 IdentityHash example (shared/SPEC.md §1.4).
        assert hash_identity("a@example.com", "Kosher") == (
            "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
        )

    def test_spec_vector_without_salt(self) -> None:
        assert hash_identity("mayze", "") == (
            "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6"
        )

    def test_md5_is_available_for_old_badges(self) -> None:
        assert hash_identity("a@example.com", "").startswith("sha256$")
        assert hash_identity("a@example.com", "", "md5") == "md5$b418773a2c51fb9777a1648346fa7394"

    def test_unknown_algorithm_is_refused_with_a_core_error(self) -> None:
        with pytest.raises(InvalidIdentity, match="unsupported"):
            hash_identity("a@example.com", "", "crc32")

    def test_text_without_utf8_form_is_refused_with_a_core_error(self) -> None:
        with pytest.raises(InvalidIdentity, match="Unicode"):
            hash_identity("a\ud800@example.com", "salt")


class TestIdentityMatches:
    def test_matches_exact_and_lower_case(self) -> None:
        identity = hash_identity("a@example.com", "Kosher")
        assert identity_matches(identity, "a@example.com", "Kosher")
        assert identity_matches(identity, "A@Example.COM", "Kosher")

    def test_upper_case_hex_matches(self) -> None:
        identity = hash_identity("a@example.com", "Kosher")
        assert identity_matches(
            identity.upper().replace("SHA256", "sha256"), "a@example.com", "Kosher"
        )

    def test_wrong_salt_or_email_does_not_match(self) -> None:
        identity = hash_identity("a@example.com", "Kosher")
        assert not identity_matches(identity, "a@example.com", "kosher")
        assert not identity_matches(identity, "b@example.com", "Kosher")
        assert not identity_matches("not-a-hash", "a@example.com", "Kosher")


def test_identity_without_utf8_form_matches_nothing() -> None:
    assert not identity_matches(hash_identity("a@example.com", "s"), "a\udc80@example.com", "s")


def test_normalise_email_strips_and_lowercases() -> None:
    assert normalise_email("  Camille.Martin@Example.ORG ") == "camille.martin@example.org"
