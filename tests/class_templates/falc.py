"""Measurable easy-to-read (FALC) rules: short sentences, one idea each, no abbreviations."""

import re
from dataclasses import dataclass

_ACRONYM = re.compile(r"\b[A-ZÀ-Ý]{2,}\b")
_SHORTENED = re.compile(r"\betc\b|\bex\.|\bcf\.|\bp\. ?ex\b|\bn°", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MARKUP = re.compile(r"^\s*(?:[-*]|\d+\.)\s+|\*\*|__|#+\s*")


@dataclass(frozen=True)
class Measure:
    """Word counts of the sentences of a text, and what breaks the rules."""

    words: tuple[int, ...]
    faults: tuple[str, ...]

    @property
    def average(self) -> float:
        return sum(self.words) / len(self.words)


def sentences(text: str) -> list[str]:
    """The sentences of a Markdown text: each line (list item, heading) and each . ! ? end."""
    found: list[str] = []
    for line in text.splitlines():
        plain = _MARKUP.sub("", line).strip()
        found.extend(part.strip() for part in _SENTENCE_END.split(plain) if part.strip())
    return found


def words(sentence: str) -> list[str]:
    """The words of a sentence (punctuation alone is not a word)."""
    return [token for token in sentence.split() if re.search(r"\w", token)]


def measure(text: str) -> Measure:
    """Measure ``text`` against the rules; ``faults`` names each broken one."""
    faults: list[str] = []
    counts: list[int] = []
    for sentence in sentences(text):
        counts.append(len(words(sentence)))
        if sentence.count(",") > 2:
            faults.append(f"more than two commas (several ideas): {sentence!r}")
        for mark in ";()[]":
            if mark in sentence:
                faults.append(f"{mark!r} in {sentence!r}")
        if _ACRONYM.search(sentence) or _SHORTENED.search(sentence):
            faults.append(f"an abbreviation in {sentence!r}")
    return Measure(tuple(counts), tuple(faults))
