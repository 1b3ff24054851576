"""Cleaning rich text (publication bodies, interpretation texts) on the server.

Whatever the editor, an API client or a paste from Word sends, what is stored keeps only
structure: paragraphs, headings, lists, tables, emphasis, links and images. Styling
(style and class attributes, ``mso-`` properties, fonts, spans, Word's conditional
comments and ``<o:p>`` tags) is dropped. Links must pass ``core.links``; images must be
one of our own files (a publication's attachment or an interpretation picture, by
relative address) or a small PNG or JPEG inlined as a ``data:`` URI whose bytes really
are a PNG or JPEG (docs/adr/0017-rich-text-editor.md).
"""

from __future__ import annotations

import base64
import binascii
import html
import re

import nh3

from sanyi.core.links import is_safe_link

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4",
    "ul", "ol", "li", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "blockquote", "a", "img", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
# Our own files: a publication's attachment and an interpretation's picture.
OWN_IMAGE = re.compile(r"^/open/p/\d+/(files/\d+/|interpretations/\d+/picture)$")
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg);base64,([A-Za-z0-9+/=\s]+)$")
DATA_IMAGE_MAX_BYTES = 1024 * 1024
_IMAGE_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}

# Word: <![if !supportLists]>·<![endif]> markers, conditional comments, <o:p> tags.
_WORD_MARKER = re.compile(r"<!\[if !supportLists\]>(.*?)<!\[endif\]>", re.S | re.I)
_WORD_CONDITIONAL = re.compile(r"<!--\[if[^\]]*\]>.*?<!\[endif\]-->", re.S | re.I)
_WORD_LIST_PARAGRAPH = re.compile(
    r"<p\b[^>]*mso-list:[^>]*>(?P<marker>(?:(?!</p>).)*?)\x00(?P<body>.*?)</p>", re.S | re.I
)
_H1 = re.compile(r"<(/?)h1\b", re.I)
_ORDERED_MARKER = re.compile(r"^\s*[\(（]?[0-9一二三四五六七八九十a-zA-Z]+[\.、\)）]")
_TAGS = re.compile(r"<[^>]+>")
_IMG = re.compile(r"<img\b[^>]*>")


def _image_ok(src: str) -> bool:
    if OWN_IMAGE.match(src):
        return True
    match = DATA_IMAGE.match(src)
    if not match:
        return False
    try:
        data = base64.b64decode(re.sub(r"\s", "", match.group(2)), validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(data) <= DATA_IMAGE_MAX_BYTES and data.startswith(_IMAGE_MAGIC[match.group(1)])


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if is_safe_link(value) else None
    if tag == "img" and attribute == "src":
        return value if _image_ok(value) else None
    if attribute in {"width", "height", "colspan", "rowspan", "start"}:
        return value if value.isdigit() and len(value) <= 4 else None
    if attribute == "scope":
        return value if value in {"row", "col", "rowgroup", "colgroup"} else None
    return value


def _word_lists(value: str) -> str:
    """Word writes list items as paragraphs styled ``mso-list`` with the bullet or number
    inside ``<![if !supportLists]>``; turn runs of them into ``<ul>``/``<ol>``."""
    if "mso-list" not in value:
        return value
    marked = _WORD_MARKER.sub(lambda m: _TAGS.sub("", m.group(1)) + "\x00", value)
    out: list[str] = []
    position = 0
    open_tag = ""
    for match in _WORD_LIST_PARAGRAPH.finditer(marked):
        between = marked[position : match.start()]
        if open_tag and between.strip():
            out.append(f"</{open_tag}>")
            open_tag = ""
        out.append(between)
        marker = html.unescape(match.group("marker")).replace("\xa0", " ")
        kind = "ol" if _ORDERED_MARKER.match(marker) else "ul"
        if open_tag != kind:
            if open_tag:
                out.append(f"</{open_tag}>")
            out.append(f"<{kind}>")
            open_tag = kind
        out.append(f"<li>{match.group('body')}</li>")
        position = match.end()
    if open_tag:
        out.append(f"</{open_tag}>")
    out.append(marked[position:])
    return "".join(out).replace("\x00", "")


def sanitize_html(value: str) -> str:
    """Rich text reduced to structure (see the module): no scripts, styles or handlers."""
    value = _WORD_CONDITIONAL.sub("", value or "")
    value = _H1.sub(r"<\1h2", _word_lists(value))
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "title", "xml"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "data"},
        strip_comments=True,
    ).strip()
    return _IMG.sub(_image_tag, cleaned)


def _image_tag(match: re.Match) -> str:
    """An image whose source was refused is dropped; one without a text alternative gets
    an empty one (decorative), so screen readers skip it rather than read the address."""
    tag = match.group(0)
    if " src=" not in tag:
        return ""
    return tag if " alt=" in tag else tag.replace("<img", '<img alt=""', 1)
