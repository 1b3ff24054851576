"""Public case pages: the progress lookup (办件进度查询) anyone may use, and the rule of which
items can be applied for online (used by the guide's "在线申请" button).

The lookup answers only to the case number (long or short) together with the receipt's
query code or the last four digits of the applicant's ID number or phone, is rate-limited
per address, and says the same thing for a wrong number and a wrong pair, so it cannot be
used to find out which numbers exist.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from sanyi.cases import selectors
from sanyi.cases.choices import CaseStatus
from sanyi.cases.links import TRACK_HOW
from sanyi.cases.web.forms import TrackForm
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.public import public_guide_version
from sanyi.core.ratelimit import hit, too_many

# An item may be applied for online when its guide offers at least online submission
# (网上收件); pre-check, acceptance and handling online all include receiving it.
ONLINE_APPLY_DEPTHS = frozenset({"submit", "precheck", "accept", "handle"})
ONLINE_APPLY_HINT = "这个事项暂不支持网上申请，请带齐材料到办事大厅办理。"
TRACK_MISMATCH = (
    "没有查到办件。请核对办件编号（或短号）和查询码（或证件号码、手机号后4位）；"
    "多次查询不到，请拨打12345咨询。"
)


def online_apply_allowed(version: ItemVersion) -> bool:
    return bool(ONLINE_APPLY_DEPTHS & set(version.online_depth or []))


def version_in_force(implementation_code: str) -> ItemVersion | None:
    try:
        return public_guide_version(implementation_code=implementation_code)
    except ItemVersion.DoesNotExist:
        return None


# What the public lookup says about each status, in plain words.
PUBLIC_STATUS = {
    CaseStatus.DRAFT: "尚未提交",
    CaseStatus.PRECHECK: "已提交，等待工作人员预审",
    CaseStatus.PRECHECK_RETURNED: "预审发现材料需要补正，请登录查看一次性告知",
    CaseStatus.AWAITING_ACCEPTANCE: "预审通过，等待受理",
    CaseStatus.CORRECTION_NOTICE: "需要补正材料，请按一次性告知书补齐",
    CaseStatus.NOT_ACCEPTED: "不予受理",
    CaseStatus.IN_PROGRESS: "办理中",
    CaseStatus.SUSPENDED: "暂停计时（例如等待补正、公示）",
    CaseStatus.CONCLUDED: "已办结",
    CaseStatus.DELIVERED: "已办结，结果已送达",
    CaseStatus.WITHDRAWN: "已撤回",
}


@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    """Progress lookup by case number (long or short) plus the query code or the last 4 of
    the ID number or phone."""
    form = TrackForm(request.POST or None, initial={"number": request.GET.get("number", "")})
    case = None
    not_found = False
    code = request.GET.get("code", "").strip()
    if request.method != "POST" and code and request.GET.get("number"):
        # The receipt's QR code carries the number and the query code printed next to it.
        if not hit(request, "case-track", default="10/10"):
            return too_many(request)
        case = selectors.case_track_by_code(request.GET["number"].strip(), code[:20])
        not_found = case is None
    if request.method == "POST":
        if not hit(request, "case-track", default="10/10"):
            return too_many(request)
        if form.is_valid():
            number, secret = form.cleaned_data["number"], form.cleaned_data["last4"]
            if form.is_query_code:
                case = selectors.case_track_by_code(number, secret)
            else:
                case = selectors.case_track(number, secret)
            not_found = case is None
    context = {
        "form": form,
        "case": case,
        "not_found": not_found,
        "mismatch": TRACK_MISMATCH,
        "track_how": TRACK_HOW,
    }
    if case is not None:
        delivery = getattr(case, "delivery", None) if case.concluded_at else None
        context.update(
            {
                "status_text": PUBLIC_STATUS.get(case.status, case.get_status_display()),
                "timeline": selectors.case_timeline(case, public_only=True),
                "ready_for_pickup": bool(
                    delivery and delivery.ready_at and not delivery.delivered_at
                ),
                "delivery": delivery,
            }
        )
    response = render(request, "cases/public/track.html", context)
    response["Cache-Control"] = "no-store"
    return response


def register_links() -> None:
    """Called from CasesConfig.ready(): where the case pages show up in the portal, the
    applicant's own area and the workbench."""
    from django.utils.translation import gettext_lazy as _

    from sanyi.applicants.portal import register_section
    from sanyi.core.registry import NavEntry, PortalLink, register_portal_link, register_tile
    from sanyi.orgs.models import Role

    register_section(_("我的办件"), "cases:mine", order=10)
    register_portal_link(PortalLink(_("办件查询"), "cases:track", order=25))
    register_tile(
        NavEntry(
            _("窗口受理"),
            "workbench:cases:counter",
            roles={Role.WINDOW_CLERK},
            description=_("现场受理、网上预审、打印受理回执、统一出件"),
            order=20,
        )
    )
