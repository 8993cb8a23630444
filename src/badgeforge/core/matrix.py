"""The co-designed matrix of a badge class in the one text every wallet shows: its criteria.

Open Badges have no fields for a badge's audience, expected evidence or expected
endorsements, but every wallet and verifier shows the criteria narrative. So the published
narrative is the criteria followed by those parts under plain headings, in the badge's
language.
"""

from badgeforge.core.records import BadgeClassRecord, Translation

_HEADINGS = {
    "fr": ("Pour qui ?", "Preuves possibles", "Qui peut recommander ?"),
    "en": ("Who is it for?", "Possible evidence", "Who can endorse it?"),
}


def _headings(language: str | None) -> tuple[str, str, str]:
    primary = (language or "fr").split("-")[0].lower()
    return _HEADINGS.get(primary, _HEADINGS["en"])


def criteria_narrative(source: BadgeClassRecord | Translation, language: str | None) -> str | None:
    """The criteria narrative with the audience, evidence and endorsement expectations."""
    audience, evidence, endorsements = _headings(language)
    parts = [source.criteria_narrative]
    for heading, text in (
        (audience, source.audience),
        (evidence, source.evidence_expectations),
        (endorsements, source.endorsement_expectations),
    ):
        if text and text.strip():
            parts.append(f"### {heading}\n\n{text.strip()}")
    joined = "\n\n".join(part.strip() for part in parts if part and part.strip())
    return joined or None
