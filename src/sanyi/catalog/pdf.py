"""The guide and the material checklist as PDF, for window counters and for residents.

Both render templates that include the same partials as the guide page, from the same
``GuidePage`` (线上线下标准同源). WeasyPrint embeds the subset of the Noto CJK fonts it
uses (the system package fonts-noto-cjk), so the file reads the same on any computer.
"""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sanyi.catalog.public import GuidePage
from sanyi.core.pdf import render_pdf


def guide_qr_data_uri(url: str) -> str:
    """A QR code (SVG data URI) of the online guide: paper goes out of date, the code
    leads to the version in force."""
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def _render(template: str, page: GuidePage, *, base_url: str) -> bytes:
    url = base_url + reverse("catalog:guide", args=[page.implementation_code])
    html = render_to_string(
        template,
        {
            "page": page,
            "base_url": base_url,
            "guide_url": url,
            "qr": guide_qr_data_uri(url),
            "printed_at": timezone.localtime(),
        },
    )
    return render_pdf(html, base_url=base_url)


def guide_pdf(page: GuidePage, *, base_url: str) -> bytes:
    """The full guide: summary, checklist, flowchart and every official element."""
    return _render("catalog/public/guide_pdf.html", page, base_url=base_url)


def checklist_pdf(page: GuidePage, *, base_url: str) -> bytes:
    """One page to tick off at home: each material with copies and original/copy."""
    return _render("catalog/public/checklist_pdf.html", page, base_url=base_url)


def handbook_pdf(version, *, base_url: str) -> bytes:
    """The 操作指南 of one version for staff: the guide's materials and steps with the staff
    handbook (审查要点, 常见问题, 办理要点), in the guide's PDF styles."""
    from sanyi.catalog.guide import guide_of

    html = render_to_string(
        "catalog/staff/handbook_pdf.html",
        {
            "version": version,
            "name": version.implementation_item.base_item.name,
            "guide": guide_of(version),
            "printed_at": timezone.localtime(),
        },
    )
    return render_pdf(html, base_url=base_url)
