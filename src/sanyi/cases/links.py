"""Site-relative links to a case, for notifications, receipts and the API.

The pages live in the cases app's public and staff URL modules; a link is built from the
first URL name that exists, so notifications written before a page is wired still point
somewhere sensible (the public progress lookup).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

TRACK_PATH = "/cases/track/"
# How to look a case up, in the words of the lookup form itself (cases.web.forms.TrackForm):
# the receipt, the acceptance message and the lookup page all say this.
TRACK_HOW = (
    "凭办件编号（或8位短号），加上查询码或申请人证件号码、手机号的后4位，"
    "可以在“办件查询”页面查询办理进度。"
)


def _first(names: list[tuple[str, list]], fallback: str) -> str:
    for name, args in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return fallback


def public_track_link(case, *, code: str = "") -> str:
    """The public progress page of ``case`` (the receipt's QR code points here)."""
    base = _first([("cases:track", [])], TRACK_PATH)
    query = {"number": case.number}
    if code:
        query["code"] = code
    return f"{base}?{urlencode(query)}"


def applicant_case_link(case) -> str:
    return _first(
        [("cases:my_case", [case.pk]), ("cases:case_detail", [case.pk])],
        public_track_link(case),
    )


def staff_case_link(case) -> str:
    return _first(
        [("workbench:cases:work_case", [case.pk]), ("workbench:cases:case_detail", [case.pk])],
        public_track_link(case),
    )


def bundle_link(bundle) -> str:
    """The resident's tracking page of a bundle (一件事申请)."""
    return _first([("cases:bundle_detail", [bundle.number])], "/my/")
