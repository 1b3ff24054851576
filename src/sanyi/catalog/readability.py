"""一看就懂 for guides: the readability score (``sanyi.search.readability``) of a guide's
prose, every free-text field a resident reads (``lint.prose_fields``); lint rule L022
warns below the threshold."""

from __future__ import annotations

from sanyi.search.readability import (
    AVERAGE_OK,
    JARGON_COST,
    LONGEST_OK,
    PLAIN_WORDS_PATH,
    STACK_COST,
    THRESHOLD,
    PlainWord,
    Readability,
    plain_words,
    plain_words_path,
    text_readability,
)

__all__ = [
    "AVERAGE_OK",
    "JARGON_COST",
    "LONGEST_OK",
    "PLAIN_WORDS_PATH",
    "STACK_COST",
    "THRESHOLD",
    "PlainWord",
    "Readability",
    "guide_readability",
    "plain_words",
    "plain_words_path",
    "text_readability",
]


def guide_readability(guide: dict) -> Readability:
    """The readability of a guide's prose (``lint.prose_fields``)."""
    from sanyi.catalog.lint import prose_fields

    return text_readability(text for _, text in prose_fields(guide))
