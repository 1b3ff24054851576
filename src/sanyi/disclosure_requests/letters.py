"""The reply letter (政府信息公开申请答复书) as PDF, rendered with WeasyPrint.

The letter states what was asked, the outcome, the reply, what carries the information a
grant gives (the attached files by name and size, the published documents by title and
index number, paper delivery), the consultations whose time was not counted, the legal
basis and the applicant's remedies (administrative review within 60 days, lawsuit within 6 months).
WeasyPrint embeds the Noto CJK fonts it uses (system package fonts-noto-cjk).
"""

from __future__ import annotations

from django.template.loader import render_to_string

from sanyi.core.pdf import render_pdf
from sanyi.disclosure_requests.choices import (
    NoticeKind,
    Outcome,
    OutcomeGroup,
    StopKind,
    outcome_group,
)

TITLE = "政府信息公开申请答复书"


def government_name(unit) -> str:
    name = unit.name
    return name if name.endswith("政府") else f"{name}人民政府"


def review_body_of(request) -> str:
    """Where an administrative review goes (行政复议法, 2023 revision): for the district
    government itself, the government one level up; for its departments and subdistrict
    offices, the district government."""
    from sanyi.orgs.models import OrgKind, OrgUnit

    agency = request.agency
    if agency.kind == OrgKind.DISTRICT:
        return f"{government_name(agency)}的上一级人民政府"
    district = (
        OrgUnit.objects.filter(pk__in=agency.ancestor_ids, kind=OrgKind.DISTRICT)
        .order_by("-depth")
        .first()
    )
    if district is None:
        return "本机关的上一级人民政府"
    return government_name(district)


def outcome_text(outcome: str) -> str:
    """The outcome as the letter states it: the group, and the ground or reason."""
    group = outcome_group(outcome)
    label = Outcome(outcome).label
    if group in (OutcomeGroup.DISCLOSE, OutcomeGroup.PARTIAL):
        return label
    group_label = OutcomeGroup(group).label.split("）", 1)[-1]
    return f"{group_label}（{label}）"


def reply_letter_html(request) -> str:
    return render_to_string(
        "disclosure_requests/letters/reply.html",
        {
            "title": TITLE,
            "request": request,
            "applicant_name": request.addressee,
            "you": "您" if request.applicant.is_person else "贵单位",
            "outcome_label": outcome_text(request.outcome),
            "consultations": [s for s in request.stops.all() if s.kind == StopKind.CONSULTATION],
            "agency_consultations": [s for s in request.stops.all() if s.kind == StopKind.AGENCY],
            "files": list(request.reply_files.all()),
            "publications": list(
                request.reply_publications.select_related("publication").order_by("pk")
            ),
            "review_body": review_body_of(request),
        },
    )


def reply_letter_pdf(request) -> bytes:
    return render_pdf(reply_letter_html(request))


def notice_html(request, kind: str, issued_on) -> str:
    from sanyi.disclosure_requests import fees

    return render_to_string(
        "disclosure_requests/letters/notice.html",
        {
            "title": NoticeKind(kind).label,
            "kind": kind,
            "request": request,
            "you": "您" if request.applicant.is_person else "贵单位",
            "issued_on": issued_on,
            "fee_text": fees.describe(request.fee_method, request.fee_units)
            if kind == NoticeKind.FEE
            else "",
        },
    )


def notice_pdf(request, kind: str, issued_on) -> bytes:
    return render_pdf(notice_html(request, kind, issued_on))
