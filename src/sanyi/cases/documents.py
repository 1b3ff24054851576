"""The receipt (受理回执) and the decision letter (结果文书) as PDF.

WeasyPrint with the Noto CJK fonts, like the guide PDFs (sanyi.catalog.pdf), so the text
is real, searchable text. The receipt carries the case number, the masked applicant, the
item, the acceptance and promised dates, the query code and a QR code (segno, SVG) of the
public progress page; it can be printed again at any time because the query code is
derived from the number (sanyi.cases.numbering).
"""

from __future__ import annotations

import datetime as dt

import segno
from django.conf import settings
from django.template.loader import render_to_string

from sanyi.cases.choices import AcceptanceDecision, Decision, DeliveryMethod, MaterialStatus
from sanyi.cases.links import TRACK_HOW, public_track_link
from sanyi.cases.numbering import query_code_for
from sanyi.core.pdf import render_pdf


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def _pdf(html: str, base_url: str) -> bytes:
    return render_pdf(html, base_url=base_url or None)


def _site(base_url: str) -> str:
    return (base_url or getattr(settings, "SANYI_PUBLIC_URL", "") or "").rstrip("/")


def receipt_pdf(case, *, base_url: str = "") -> bytes:
    """The acceptance receipt of an accepted case."""
    return _pdf(receipt_html(case, base_url=base_url), base_url)


def receipt_track_url(case, *, base_url: str = "") -> str:
    """What the receipt's QR code holds: the public progress page with number and code."""
    return _site(base_url) + public_track_link(case, code=query_code_for(case.number))


def receipt_html(case, *, base_url: str = "") -> str:
    if case.accepted_on is None:
        raise ValueError("only an accepted case has a receipt")
    code = query_code_for(case.number)
    url = receipt_track_url(case, base_url=base_url)
    deferred = [
        {"name": m.name, "due": _date(m.follow_up_due_on)}
        for m in case.materials.filter(status=MaterialStatus.DEFICIENT).order_by("position")
    ]
    context = {
        "case": case,
        "query_code": code,
        "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
        "track_url": url,
        "track_how": TRACK_HOW,
        "applicant_name": case.applicant.display_name,
        "applicant_id": case.applicant.masked_id,
        "agent_name": case.agent.display_name if case.agent_id else "",
        "item_name": case.implementation_item.base_item.name,
        "variant": case.variant.name if case.variant_id else "",
        "center_name": case.center.name if case.center_id else case.unit.name,
        "decision": AcceptanceDecision(case.acceptance_decision).label
        if case.acceptance_decision
        else "受理",
        "accepted_on_text": _date(case.accepted_on),
        "promised_text": _date(case.promised_due_on),
        "statutory_text": _date(case.statutory_due_on) if case.statutory_due_on else "",
        "delivery": DeliveryMethod(case.delivery_method).label if case.delivery_method else "",
        "deferred": deferred,
    }
    return render_to_string("cases/documents/receipt.html", context)


def result_pdf(case, *, licence=None, base_url: str = "") -> bytes:
    """The decision letter (准予/不予准予决定书) of a concluded case."""
    approved = case.decision == Decision.APPROVE
    item_name = case.implementation_item.base_item.name
    validity = ""
    if licence is not None:
        validity = f"{_date(licence.valid_from)}至" + (
            _date(licence.valid_until) if licence.valid_until else "长期"
        )
    context = {
        "case": case,
        "title": f"{item_name}{'准予' if approved else '不予准予'}决定书",
        "approved": approved,
        "applicant_name": case.applicant.name,  # the letter goes to the applicant
        "item_name": item_name,
        "reason": case.decision_reason,
        "basis": case.decision_basis or "有关法律法规",
        "licence": licence,
        "licence_validity": validity,
        "unit_name": case.implementation_item.implementing_unit.name,
        "accepted_on_text": _date(case.accepted_on),
        "concluded_on_text": _date(case.concluded_on),
    }
    return _pdf(render_to_string("cases/documents/result.html", context), base_url)
