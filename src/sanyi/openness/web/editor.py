"""The Content Security Policy of pages that carry the rich-text editor (ADR 0017).

The editor sets ``style`` attributes on its own toolbar, popups and table handles. The
site-wide policy allows no inline style at all; these pages alone also allow inline style
*attributes* (``style-src-attr``). Style elements, scripts and every other source stay as
strict as elsewhere: a style attribute can neither run script nor select other elements,
and what officers type is cleaned of style attributes on the server anyway.
"""

from __future__ import annotations

from csp.decorators import csp_update

EDITOR_CSP = {"style-src-attr": ["'unsafe-inline'"]}
editor_csp = csp_update(EDITOR_CSP)
