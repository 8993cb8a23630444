"""The design workflow of a badge class: draft → in review → published → archived.

One table says which action leads from which states to which state; anything else is
refused with a message saying what is possible instead.
"""

import enum
from dataclasses import dataclass

from badgeforge.badge_classes.models import BadgeClassState
from badgeforge.problems import Conflict

DRAFT, IN_REVIEW = BadgeClassState.DRAFT, BadgeClassState.IN_REVIEW
PUBLISHED, ARCHIVED = BadgeClassState.PUBLISHED, BadgeClassState.ARCHIVED


class Action(enum.StrEnum):
    """What a co-designer or an issuer admin can do to a badge class's design."""

    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    ARCHIVE = "archive"
    RESTORE = "restore"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[BadgeClassState]
    target: BadgeClassState
    refusal: str


TRANSITIONS: dict[Action, Transition] = {
    Action.SUBMIT: Transition(
        frozenset({DRAFT}), IN_REVIEW, "Only a draft can be submitted for review."
    ),
    Action.RETURN: Transition(
        frozenset({IN_REVIEW}), DRAFT, "Only a badge class in review can go back to draft."
    ),
    Action.PUBLISH: Transition(
        frozenset({DRAFT, IN_REVIEW}),
        PUBLISHED,
        "Only a draft or a badge class in review can be published.",
    ),
    Action.ARCHIVE: Transition(
        frozenset({PUBLISHED}),
        ARCHIVED,
        "Only a published badge class without a pending draft can be archived.",
    ),
    Action.RESTORE: Transition(
        frozenset({ARCHIVED}), PUBLISHED, "Only an archived badge class can be restored."
    ),
}


def next_state(state: BadgeClassState, action: Action) -> BadgeClassState:
    """The state ``action`` leads to from ``state``, or Conflict (409)."""
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        raise Conflict(f"{transition.refusal} This badge class is {state.value}.")
    return transition.target


def editable(state: BadgeClassState) -> None:
    """Refuse edits where the workflow forbids them (a published class gets a new draft)."""
    if state is IN_REVIEW:
        raise Conflict("This badge class is in review: send it back to draft before editing it.")
    if state is ARCHIVED:
        raise Conflict("This badge class is archived: restore it before editing it.")
