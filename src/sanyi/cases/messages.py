"""What the applicant's messages about a case are called (in-app, SMS and e-mail alike).

Every subject names the item and the case by its short number, then what happened:
"最低生活保障申请（编号 AB12CD34）已受理". The SMS and the e-mail carry the subject
(sanyi.notify.channels), so whoever reads one knows which application it is about even
with several running. The services pass the event; a subject for an event not listed here
keeps the words the service gave, after the title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sanyi.cases.models import Case

TITLE_ITEM_MAX = 150

# What happened, as the end of a subject, per notification event.
APPLICANT_SUBJECTS = {
    "case.precheck_passed": "已通过预审",
    "case.correction_needed": "需要补正材料",
    "case.accepted": "已受理",
    "case.not_accepted": "不予受理",
    "case.clock_stopped": "暂停计时",
    "case.clock_restarted": "恢复计时",
    "case.extended": "办理期限已延长",
    "case.due_changed": "办结期限已调整",
    "case.concluded": "已办结",
    "case.delivered": "办理结果已送达",
    "case.withdrawn": "已撤回",
}


def case_title(case: Case) -> str:
    """The item and the case, as every message names them: "最低生活保障申请（编号 AB12CD34）"."""
    name = case.implementation_item.base_item.name
    if len(name) > TITLE_ITEM_MAX:  # a subject holds 200 characters
        name = name[: TITLE_ITEM_MAX - 1] + "…"
    return f"{name}申请（编号 {case.short_number}）"


def applicant_subject(case: Case, event: str, given: str = "") -> str:
    """The subject of the applicant's message ``event`` about ``case``."""
    phrase = APPLICANT_SUBJECTS.get(event)
    if phrase:
        return f"{case_title(case)}{phrase}"
    return f"{case_title(case)}：{given}" if given else case_title(case)
