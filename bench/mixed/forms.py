"""Reading the HTML forms of a page the way a browser fills them in (stdlib only).

The benchmark posts what the pages offer (hidden fields, the CSRF token, the selected
options, the checked boxes) rather than hand-built bodies, so a change to a form shows up
as a failed request, not as a silent difference from what residents send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    checked: bool = False
    disabled: bool = False
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # value, label, selected


@dataclass
class Form:
    action: str
    method: str
    attrs: dict[str, str]
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, label
    text: str = ""

    def values(self) -> dict[str, str]:
        """What the browser would send without touching anything (first button aside)."""
        data: dict[str, str] = {}
        for f in self.fields:
            if f.disabled or not f.name or f.kind == "file":
                continue
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data[f.name] = f.value or "on"
            elif f.kind == "select":
                chosen = [o for o in f.options if o[2]] or f.options[:1]
                if chosen:
                    data[f.name] = chosen[0][0]
            elif f.kind not in ("submit", "button", "image", "reset"):
                data[f.name] = f.value
        return data

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def names(self) -> list[str]:
        return [f.name for f in self.fields]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list | None = None
        self._textarea: Field | None = None
        self._button: list | None = None

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            self._form = Form(
                action=attrs.get("action", ""),
                method=attrs.get("method", "get").lower(),
                attrs=attrs,
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        disabled = "disabled" in attrs
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((attrs.get("name", ""), attrs.get("value", ""), ""))
                return
            form.fields.append(
                Field(
                    attrs.get("name", ""),
                    kind,
                    attrs.get("value", "on" if kind in ("checkbox", "radio") else ""),
                    "checked" in attrs,
                    disabled,
                )
            )
        elif tag == "select":
            self._select = Field(attrs.get("name", ""), "select", disabled=disabled)
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "", "selected" in attrs]
        elif tag == "textarea":
            self._textarea = Field(attrs.get("name", ""), "textarea", disabled=disabled)
            form.fields.append(self._textarea)
        elif tag == "button" and attrs.get("type", "submit").lower() == "submit":
            self._button = [attrs.get("name", ""), attrs.get("value", ""), ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, label, selected = self._option
            label = " ".join(label.split())
            self._select.options.append((label if value is None else value, label, selected))
            self._option = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button" and self._button is not None and self._form is not None:
            name, value, label = self._button
            self._form.buttons.append((name, value, " ".join(label.split())))
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[1] += data
        elif self._textarea is not None:
            self._textarea.value += data
        elif self._button is not None:
            self._button[2] += data
        if self._form is not None:
            self._form.text += data


def forms_of(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_posting_to(html: str, pattern: str) -> Form | None:
    """The first form whose action matches the regular expression ``pattern``."""
    regex = re.compile(pattern)
    return next((f for f in forms_of(html) if regex.search(f.action)), None)


def links(html: str, pattern: str) -> list[str]:
    """Every href matching ``pattern`` (a regular expression), in page order, once each."""
    seen: dict[str, None] = {}
    for href in re.findall(r'href="([^"]+)"', html):
        href = href.replace("&amp;", "&")
        if re.search(pattern, href):
            seen.setdefault(href, None)
    return list(seen)
