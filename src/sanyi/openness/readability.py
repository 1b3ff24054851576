"""一看就懂 for publications: the readability score (``sanyi.search.readability``, the same
score, threshold and causes as the catalogue's guides) of a publication's body and of the
text of its interpretations. Staff see it on the record and review pages; it is a
warning, never a block (a regulation's wording is not the officer's to change)."""

from __future__ import annotations

import html
import re

from django.utils.html import strip_tags

from sanyi.openness.models import Publication
from sanyi.search.readability import THRESHOLD, Readability, text_readability

__all__ = ["THRESHOLD", "body_paragraphs", "publication_readability"]

# Block ends become line breaks, so that paragraphs, list items and table cells read as
# sentences of their own even without a full stop.
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|tr|td|th|div|blockquote)>|<br\s*/?>", re.IGNORECASE)


def body_paragraphs(body_html: str) -> str:
    """The plain text of a rich-text body, one block a line."""
    return html.unescape(strip_tags(BLOCK_END.sub("\n", body_html or ""))).strip()


def publication_readability(pub: Publication) -> Readability:
    """The readability of what a resident reads of ``pub``: its body and the text of its
    interpretations (their pictures and videos are not scored)."""
    texts = [body_paragraphs(pub.body)]
    texts += [body_paragraphs(i.text) for i in pub.interpretations.all()]
    return text_readability(texts)
