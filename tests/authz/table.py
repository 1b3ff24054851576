"""Who may do what: one row per endpoint and method, for the API and the workbench.

Every URL pattern under /api/v1/ (and every operation of the OpenAPI schema) and every
pattern under /workbench/ must have a row; ``test_matrix.py`` fails on a pattern without
one, so a new endpoint cannot ship without its expectation.

Role groups follow the role checks of the apps (orgs/permissions.py and each app's
selectors): e.g. cases are read by window clerks, approvers and supervisors in scope;
requests for information are read by disclosure officers and supervisors and handled by
officers only.
"""

from __future__ import annotations

from sanyi.search.models import Synonym
from tests.authz.engine import S, Spec
from tests.authz.world import ANONYMOUS, APPLICANT, ROLES, STAFF_ROLES

ANYONE = ROLES
STAFF = STAFF_ROLES
NOBODY: tuple[str, ...] = ()
SYS = ("system_admin",)
CAT = ("catalog_admin",)
# Catalogue working copies are also read by system admins (catalog.selectors._working_scope).
CAT_READ = ("catalog_admin", "system_admin")
DO = ("disclosure_officer",)
CLERK = ("window_clerk",)
APPR = ("approver",)
SUP = ("supervisor",)
# The dashboard: supervisors and approvers (analytics.dashboard.DASHBOARD_ROLES).
DASH = ("approver", "supervisor")
# Who reads what residents searched for (search.selectors.ANALYST_ROLES).
SEARCH_LOG = ("system_admin", "catalog_admin", "disclosure_officer", "supervisor")
# Bad ratings are followed up by approvers and supervisors (ratings.services.RECTIFY_ROLES).
FOLLOW_UP = ("approver", "supervisor")
CASE = ("window_clerk", "approver", "supervisor")
CASE_ACT = ("window_clerk", "approver")
OPEN = ("disclosure_officer", "supervisor")
GRID = ("grid_officer",)
PROACTIVE_READ = ("catalog_admin", "supervisor")
# Grid events: officers of the grid, and the handlers of the unit holding the event
# (grid.selectors.EVENT_HANDLER_ROLES).
EVENT_ACT = ("window_clerk", "approver", "supervisor")
EVENT = ("grid_officer", *EVENT_ACT)
LOOKUP = ("window_clerk", "approver", "disclosure_officer", "grid_officer")
_ = (ANONYMOUS, APPLICANT)
# A valid new eligibility rule, as the rule editor posts it.
RULE_POST = {
    "name": "年满60周岁",
    "mode": "simple",
    "field": "age",
    "operator": ">=",
    "value": "60",
    "reason": "须年满60周岁。",
    "tests-TOTAL_FORMS": "1",
    "tests-INITIAL_FORMS": "0",
    "tests-0-facts": "age=60",
    "tests-0-expected": "1",
}
# Supervisors whose denied write is answered 400: the endpoint reads its input before the
# service checks the role (supervisors hold some write rights, e.g. approving case
# extensions, so the rule is per action). Nothing changes; the matrix counts these apart.
SVC_SUP = ("supervisor",)
# Who reads what residents searched for (search.selectors.ANALYST_ROLES).
SEARCH_LOG = ("system_admin", "catalog_admin", "disclosure_officer", "supervisor")
# Demand analysis: catalogue admins and supervisors (analytics.demand.DEMAND_ROLES).
DEMAND = ("catalog_admin", "supervisor")


def grid_event_post(w, b, r):
    return {
        "grid": b["grid"].pk,
        "category": "other",
        "title": "矩阵上报",
        "description": "矩阵上报的情况",
        "place": "网格路1号",
    }


def grid_event_photo(w, b, r):
    return {"photo_pk": b["grid_event_photo"].pk}


# Help to apply: a wrong code is a 400 for an officer in scope (nothing is written).
ASSIST_CONSENT = {"method": "sms", "code": "000000"}


def assist_start_post(w, b, r):
    return {"applicant": b["grid_resident"].pk, "item": b["grid_assist"].item_id}


def board_ref(w, b, r):
    return {"ref": str(b.community.pk)}


def life_event(w, b, r):
    return {"pk": b["bundle"].life_event_id}


def code(w, b, r):
    return {"implementation_code": b["item"].implementation_code}


def draft_code(w, b, r):
    return {"implementation_code": b["draft"].implementation_item.implementation_code}


def center_pk(w, b, r):
    return {"pk": b.center.pk}


def booking_code(w, b, r):
    return {"code": b["booking"].code}


def booking_input(w, b, r):
    return {"slot": b["booking"].slot_id, "implementation_code": b["item"].implementation_code}


def phone_booking(w, b, r):
    """A phone booking (no profile) at the branch's centre: code and full mobile."""
    from sanyi.appointments.models import Booking

    src = b["booking"]
    booking, _ = Booking.objects.get_or_create(
        code=f"PHONE{b.label}",
        defaults={
            "slot": src.slot,
            "implementation_item": src.implementation_item,
            "item_name": src.item_name,
            "phone": "13900001111",
            "name": "王某",
        },
    )
    return {"code": booking.code, "phone": booking.phone}


def phone_change(w, b, r):
    """A change without the fresh SMS code: refused as invalid input (400) for anyone."""
    return {**phone_booking(w, b, r), "sms_code": "000000", "slot": b["booking"].slot_id}


def schedule_pk(w, b, r):
    return {"pk": b["booking"].slot.schedule_id}


def schedule_slot(w, b, r):
    return {"pk": b["booking"].slot.schedule_id, "slot_pk": b["booking"].slot_id}


def today_reason(w, b, r):
    from django.utils import timezone

    day = timezone.localtime(b["booking"].slot.starts_at).date()
    return {"reason": "矩阵检查", "day": day.isoformat()}


PATTERN_API = {
    "weekdays": "12345",
    "opens": "09:00",
    "closes": "11:00",
    "slot_minutes": 30,
    "capacity": 4,
}
PATTERN_POST = {
    "weekdays": ["1", "2", "3", "4", "5"],
    "opens": "09:00",
    "closes": "11:00",
    "slot_minutes": "30",
    "capacity": "4",
}


def own_message(w, b, r):
    if b is w.b:
        return {"pk": w.messages["B"].pk}
    return {"pk": w.messages.get(r, w.messages[APPLICANT]).pk}


def number(key):
    return lambda w, b, r: {"number": b[key].number}


def material(w, b, r):
    return {"material_id": b["case_material"].pk}


def notice(w, b, r):
    return {"notice_id": 1}


def unit(key):
    return lambda w, b, r: {"pk": getattr(b, key).pk}


def reply_file(w, b, r):
    return {"file_id": 1}


def appeal(w, b, r):
    return {"pk": b["appeal"].pk}


def synonym(w, b, r):
    return {"pk": Synonym.objects.order_by("pk").values_list("pk", flat=True).first()}


def calendar_year(w, b, r):
    return {"year": 2026}


def delivery(w, b, r):
    return {"pk": b["delivery"].pk}


API: list[Spec] = [
    # Platform: token, docs, schema. Anyone may ask; the token endpoint checks the password.
    S("api:schema", "get", ANYONE),
    S("api:docs", "get", ANYONE),
    S("api:auth-token", "post", ANYONE, note="400 without a password: the check is the password"),
    S("api:auth-token", "delete", STAFF),
    # Org tree and calendar: public facts.
    S("api:org-unit-list", "get", ANYONE),
    S("api:org-unit-detail", "get", ANYONE, kwargs=unit("community"), scoped=False),
    S("api:org-unit-service-centers", "get", ANYONE, kwargs=unit("sub"), scoped=False),
    S("api:service-center-list", "get", ANYONE),
    S("api:area-list", "get", ANYONE),
    S("api:calendar-days", "get", ANYONE, query={"year": 2026}),
    S("api:calendar-workday", "get", ANYONE, query={"date": "2026-10-10"}),
    S("api:calendar-deadline", "get", ANYONE, query={"start": "2026-09-21", "days": 20}),
    S("api:calendar-between", "get", ANYONE, query={"from": "2026-09-21", "to": "2026-10-26"}),
    # Public statistics (办件统计公开): sums of the daily facts, the same for everyone.
    S("api:statistics", "get", ANYONE),
    # Calendar administration: system admins only (an empty body is a 400 past the check).
    S("api:calendar-admin-notices", "get", SYS),
    S("api:calendar-admin-notices", "post", SYS),
    S("api:calendar-admin-notice-preview", "post", SYS),
    S("api:calendar-admin-notice", "get", SYS, kwargs=calendar_year, scoped=False),
    S("api:calendar-admin-notice", "put", SYS, kwargs=calendar_year, scoped=False),
    S("api:calendar-admin-changes", "get", SYS),
    S("api:calendar-admin-day-preview", "post", SYS),
    S("api:calendar-admin-days", "post", SYS),
    # Catalogue: published guides are public; drafts and writes are catalogue admins' in scope.
    S("api:catalog-item-list", "get", ANYONE),
    S("api:catalog-item-detail", "get", ANYONE, kwargs=code, scoped=False),
    S("api:catalog-item-versions", "get", ANYONE, kwargs=code, scoped=False),
    S(
        "api:catalog-item-eligibility",
        "post",
        ANYONE,
        kwargs=code,
        scoped=False,
        data={"applicant_kind": "person", "age": 69},
    ),
    S(
        "api:catalog-item-eligibility",
        "post",
        CLERK,
        kwargs=code,
        scoped=False,
        data=lambda w, b, r: {"applicant": w.applicant.pk},
        note="a chosen applicant's facts: window clerks only",
    ),
    S("api:catalog-item-diff", "get", ANYONE, kwargs=code, scoped=False, query={"old": 1}),
    S("api:catalog-item-new-draft", "post", CAT, kwargs=code),
    S("api:catalog-item-cancel", "post", CAT, kwargs=code),
    S("api:catalog-search", "get", ANYONE, query={"q": "许可"}),
    S("api:catalog-life-event-list", "get", ANYONE),
    S(
        "api:catalog-life-event-detail",
        "get",
        NOBODY,
        kwargs=lambda w, b, r: {"pk": 999999},
        scoped=False,
        note="no life event exists: 404 for everyone",
    ),
    S("api:catalog-reduction-report", "get", ANYONE),
    # Life-event maintenance: staff read it; catalogue admins pass the role check and the
    # service lets only a district catalogue admin save (an empty body is a 400 first).
    S("api:catalog-life-event-admin-list", "get", STAFF),
    S("api:catalog-life-event-admin-list", "post", CAT),
    S(
        "api:catalog-life-event-admin",
        "get",
        STAFF,
        kwargs=life_event,
        scoped=False,
    ),
    S(
        "api:catalog-life-event-admin",
        "put",
        CAT,
        kwargs=life_event,
        scoped=False,
    ),
    S("api:catalog-draft-create", "post", CAT),
    S("api:catalog-version", "get", ANYONE, obj="version", scoped=False),
    S(
        "api:catalog-version",
        "get",
        CAT_READ,
        obj="draft",
        note="a draft: in scope only",
    ),
    S("api:catalog-version", "patch", CAT, obj="draft"),
    S("api:catalog-version-submit", "post", CAT, obj="draft"),
    S("api:catalog-version-review", "post", CAT, obj="draft"),
    S("api:catalog-version-publish", "post", CAT, obj="draft"),
    S("api:catalog-version-lint", "get", CAT_READ, obj="draft"),
    # Cases: clerks, approvers and supervisors in scope read; supervisors do not act.
    S("api:case-list", "get", CASE, leak="case", shows_own=True),
    S("api:case-list", "post", CLERK, validates_first=("approver", "supervisor")),
    S(
        "api:case-bundle-apply",
        "post",
        CLERK,
        fmt="multipart",
        validates_first=("approver", "supervisor"),
    ),
    S("api:case-bundle", "get", CASE, kwargs=lambda w, b, r: {"number": b["bundle"].number}),
    S("api:case-overdue", "get", CASE, leak="case"),
    S("api:case-task-list", "get", CASE, query={"scope": "subtree"}, leak="task"),
    S("api:case-task-claim", "post", APPR, obj="task", note="the open step is an approver's"),
    S(
        "api:case-task-act",
        "post",
        APPR,
        obj="task",
        validates_first=("window_clerk", "supervisor"),
    ),
    S("api:case-detail", "get", CASE, obj="case"),
    S(
        "api:case-material-upload",
        "post",
        CASE_ACT,
        obj="case",
        kwargs=material,
        fmt="multipart",
        validates_first=SVC_SUP,
    ),
    S("api:case-submit", "post", CASE_ACT, obj="case", validates_first=SVC_SUP),
    S("api:case-precheck", "post", CASE_ACT, obj="precheck", validates_first=SVC_SUP),
    S("api:case-acceptance", "post", CASE_ACT, obj="awaiting", validates_first=SVC_SUP),
    S("api:case-clock-stops", "post", CASE_ACT, obj="case", validates_first=SVC_SUP),
    S("api:case-clock-restart", "post", CASE_ACT, obj="case", validates_first=SVC_SUP),
    S("api:case-extensions", "post", CASE_ACT, obj="case", validates_first=SVC_SUP),
    S("api:case-conclusion", "post", CASE_ACT, obj="case", validates_first=SVC_SUP),
    S("api:case-delivery", "post", CASE_ACT, obj="concluded", validates_first=SVC_SUP),
    S("api:case-visits", "post", CASE_ACT, obj="case", validates_first=SVC_SUP),
    S("api:case-timeline", "get", CASE, obj="case"),
    S("api:case-receipt", "get", CASE, obj="case"),
    S("api:case-wallet", "get", CASE, obj="case"),
    # The applicant's own wallet and consent (the /my/ session; staff have none).
    S("api:wallet", "get", (APPLICANT,), scoped=False),
    S(
        "api:wallet-consent",
        "post",
        (APPLICANT,),
        data=lambda w, b, r: {"consent": False},
        scoped=False,
    ),
    # Disclosure: public publications; management by officers (supervisors read) in scope.
    S("api:openness-publication-list", "get", ANYONE),
    S("api:openness-publication-detail", "get", ANYONE, obj="publication", scoped=False),
    # The community notice board is public; the subscription is the applicant's own.
    S("api:openness-board", "get", ANYONE, kwargs=board_ref, scoped=False),
    S("api:openness-board-subscription", "get", (APPLICANT,), kwargs=board_ref, scoped=False),
    S(
        "api:openness-board-subscription",
        "post",
        (APPLICANT,),
        kwargs=board_ref,
        data={"sms": False},
        scoped=False,
    ),
    S("api:openness-board-subscription", "delete", (APPLICANT,), kwargs=board_ref, scoped=False),
    S("api:openness-manage-entry-list", "get", OPEN, leak="entry", shows_own=True),
    S("api:openness-manage-entry-list", "post", DO),
    S("api:openness-manage-entry-detail", "get", OPEN, obj="entry"),
    S("api:openness-manage-entry-detail", "patch", DO, obj="entry"),
    S("api:openness-manage-negative-list", "get", OPEN, leak="negative", shows_own=True),
    S("api:openness-manage-negative-list", "post", DO),
    S("api:openness-manage-negative-detail", "get", OPEN, obj="negative"),
    S("api:openness-manage-negative-detail", "patch", DO, obj="negative"),
    S("api:openness-manage-publication-list", "get", OPEN, leak="pub_draft", shows_own=True),
    S("api:openness-manage-publication-list", "post", DO),
    S("api:openness-manage-publication-detail", "get", OPEN, obj="pub_draft"),
    S("api:openness-manage-publication-detail", "patch", DO, obj="pub_draft"),
    *(
        S(f"api:openness-manage-publication-{action}", "post", DO, obj=target)
        for action, target in (
            ("submit", "pub_draft"),
            ("review", "pub_draft"),
            ("publish", "pub_draft"),
            ("revoke", "publication"),
            ("validity", "publication"),
            ("interpretations", "publication"),
        )
    ),
    S("api:openness-manage-publication-attachments", "post", DO, obj="pub_draft", fmt="multipart"),
    # Requests for information: officers and supervisors read, officers act; tracking is
    # public and answers only to the number with its query code.
    S("api:disclosure-request-list", "get", OPEN, leak="request", shows_own=True),
    S("api:disclosure-request-detail", "get", OPEN, obj="request"),
    S(
        "api:disclosure-request-letter",
        "get",
        NOBODY,
        obj="request",
        note="no reply yet, so no letter: 404 for everyone",
    ),
    S(
        "api:disclosure-request-notice",
        "get",
        NOBODY,
        obj="request",
        kwargs=notice,
        note="the request has no notice: 404 for everyone; scope is checked before the notice",
    ),
    S(
        "api:disclosure-request-file",
        "get",
        NOBODY,
        obj="request",
        kwargs=reply_file,
        note="no reply yet, so no file: 404 for everyone; scope is checked before the file",
    ),
    S("api:disclosure-appeal-conclude", "post", DO, kwargs=appeal),
    S("api:disclosure-request-track", "post", ANYONE),
    S("api:disclosure-request-track-letter", "post", ANYONE),
    S("api:disclosure-request-track-notice", "post", ANYONE),
    *(
        S(f"api:disclosure-request-{action}", "post", DO, obj="request")
        for action in (
            "confirm",
            "correction-notice",
            "correction-received",
            "consultation-start",
            "consultation-end",
            "agency-consultation-start",
            "agency-consultation-end",
            "extend",
            "fee-notice",
            "fee-paid",
            "reply",
            "withdraw",
            "assign",
            "appeals",
        )
    ),
    # Annual reports: officers and supervisors read, officers create and issue.
    S("api:annual-report-list", "get", OPEN, leak="report", shows_own=True),
    S("api:annual-report-list", "post", DO, validates_first=SVC_SUP),
    S("api:annual-report-compute", "post", OPEN),
    S("api:annual-report-detail", "get", OPEN, obj="report"),
    S("api:annual-report-issue", "post", DO, obj="report"),
    # Applicants, e-licences, ratings, notifications.
    S("api:applicant-lookup", "get", LOOKUP, query=lambda w: {"id_number": w.applicant.id_number}),
    S("api:licence-verify", "get", ANYONE),
    S("api:licence-list", "get", CASE, leak="licence", shows_own=True),
    S("api:rating-list", "get", CASE, leak="rating", shows_own=True),
    S("api:rating-stats", "get", CASE),
    S(
        "api:rating-rectification-list",
        "get",
        ("approver", "supervisor"),
        leak="rectification",
        shows_own=True,
    ),
    S("api:rating-return-visit", "post", FOLLOW_UP, obj="rectification"),
    S("api:rating-rectification-complete", "post", FOLLOW_UP, obj="rectification"),
    S("api:rating-appeal", "post", FOLLOW_UP, obj="rectification"),
    S("api:rating-appeal-decide", "post", SUP, obj="rectification"),
    S("api:notify-message-list", "get", STAFF),
    S("api:notify-read-all", "post", STAFF),
    S("api:notify-delivery-list", "get", ("system_admin", "supervisor")),
    S("api:notify-delivery-requeue", "post", SYS, kwargs=delivery, scoped=False),
    S("api:notify-message-detail", "get", STAFF, kwargs=own_message),
    S("api:notify-message-read", "post", STAFF, kwargs=own_message),
    # Appointments: slots are public; bookings are the applicant's own (A's booking is the
    # matrix applicant's, B's someone else's); the counter is the centre's window clerks.
    S("api:appointment-slots", "get", ANYONE, kwargs=center_pk, scoped=False),
    S("api:appointment-bookings", "get", (APPLICANT,)),
    S("api:appointment-bookings", "post", (APPLICANT,), data=booking_input),
    S("api:appointment-booking", "get", (APPLICANT,), kwargs=booking_code),
    S(
        "api:appointment-booking-move",
        "post",
        (APPLICANT,),
        kwargs=booking_code,
        data=lambda w, b, r: {"slot": b["booking"].slot_id},
    ),
    S("api:appointment-booking-cancel", "post", (APPLICANT,), kwargs=booking_code),
    S("api:appointment-counter", "get", CLERK, leak="booking", shows_own=True),
    S("api:grid-tasks", "get", GRID, leak="grid_task", shows_own=True),
    S("api:grid-visit", "post", GRID, obj="grid_task", fmt="multipart"),
    S("api:grid-events", "get", EVENT, leak="grid_event", shows_own=True),
    S("api:grid-events", "post", GRID, data=grid_event_post),
    S("api:grid-event", "get", EVENT, obj="grid_event"),
    S("api:grid-event-action", "post", EVENT_ACT, obj="grid_event", data={"action": "accept"}),
    S("api:grid-assist", "get", GRID, leak="grid_assist", shows_own=True),
    S("api:grid-assist", "post", GRID, data=assist_start_post),
    S("api:grid-assist-residents", "get", GRID, leak="grid_resident", shows_own=True),
    S("api:grid-assist-items", "get", GRID),
    S("api:grid-assist-detail", "get", GRID, obj="grid_assist"),
    S("api:grid-assist-code", "post", GRID, obj="grid_assist"),
    S(
        "api:grid-assist-consent",
        "post",
        GRID,
        obj="grid_assist",
        fmt="multipart",
        data=ASSIST_CONSENT,
    ),
    S("api:grid-assist-submit", "post", GRID, obj="grid_assist", fmt="multipart"),
    S("api:grid-supervision", "get", SUP, leak="grid", shows_own=True),
    # Proactive offers: the resident's own (the /my/ session); rules for catalogue
    # administrators, counters also for supervisors (proactive.selectors.RULE_READERS).
    S("api:proactive-my-offers", "get", (APPLICANT,)),
    S("api:proactive-my-opt", "post", (APPLICANT,), data=lambda w, b, r: {"receive": False}),
    S("api:proactive-my-open", "post", (APPLICANT,), obj="proactive_offer"),
    S("api:proactive-my-apply", "post", (APPLICANT,), obj="proactive_offer"),
    S(
        "api:proactive-my-confirm",
        "post",
        (APPLICANT,),
        obj="proactive_offer",
        note="400 for an offer without a case: past the owner check",
    ),
    S("api:proactive-rule-list", "get", PROACTIVE_READ),
    S("api:proactive-rule-detail", "get", PROACTIVE_READ, obj="proactive_rule", scoped=False),
    S("api:analytics-demand-funnel", "get", DEMAND, leak="demand_item", shows_own=True),
    S("api:analytics-demand-queries", "get", DEMAND),
    S("api:analytics-demand-recommendations", "get", DEMAND),
    S("api:analytics-dashboard", "get", DASH),
    S("api:appointment-check-in", "post", CLERK, obj="booking"),
    # Schedules: the centre's system administrators (a new window group names a centre in
    # the body; another branch's centre is 404 to them).
    S("api:appointment-schedules", "get", SYS, leak="center", shows_own=True),
    S(
        "api:appointment-schedules",
        "post",
        SYS,
        data=lambda w, b, r: {**PATTERN_API, "center": b.center.pk, "name": "矩阵窗口"},
    ),
    S("api:appointment-schedule-slots", "get", SYS, kwargs=schedule_pk),
    S("api:appointment-schedule-pattern", "post", SYS, kwargs=schedule_pk, data=PATTERN_API),
    S(
        "api:appointment-schedule-publish",
        "post",
        SYS,
        kwargs=schedule_pk,
        data=lambda w, b, r: {
            "start": today_reason(w, b, r)["day"],
            "end": today_reason(w, b, r)["day"],
        },
    ),
    S("api:appointment-schedule-close", "post", SYS, kwargs=schedule_pk, data=today_reason),
    S("api:appointment-schedule-reopen", "post", SYS, kwargs=schedule_pk, data=today_reason),
    # Booking by mobile is public: the code is checked per mobile and per address, and a
    # change needs a fresh SMS code (without it: 400 for anyone).
    S("api:appointment-phone-code", "post", ANYONE, scoped=False, data={"phone": "13900001111"}),
    S(
        "api:appointment-phone-bookings",
        "post",
        ANYONE,
        scoped=False,
        data=lambda w, b, r: {
            "name": "王某",
            "phone": "13900001111",
            "sms_code": "000000",
            **booking_input(w, b, r),
        },
    ),
    S("api:appointment-phone-lookup", "post", ANYONE, scoped=False, data=phone_booking),
    S("api:appointment-phone-move", "post", ANYONE, scoped=False, data=phone_change),
    S("api:appointment-phone-cancel", "post", ANYONE, scoped=False, data=phone_change),
]


def history(object_type: str, getter):
    """URL arguments of the change-history page of one object of the branch."""
    return lambda w, b, r: {"object_type": object_type, "object_id": str(getter(b).pk)}


def case_number(key):
    return lambda w, b, r: {"number": b[key].number}


# Object types with a change-history page, the branch object for each, and who may read it.
HISTORY: dict[str, tuple] = {
    "orgs.orgunit": (lambda b: b.community, STAFF),
    "orgs.servicecenter": (lambda b: b.center, STAFF),
    "orgs.window": (lambda b: b.window, STAFF),
    "orgs.roleassignment": (lambda b: b["role_assignment"], SYS),
    "orgs.user": (lambda b: b.helpers["clerk"], SYS),
    "annual_reports.annualreport": (lambda b: b["report"], OPEN),
    "openness.publication": (lambda b: b["pub_draft"], OPEN),
    "openness.directoryentry": (lambda b: b["entry"], OPEN),
    "openness.negativelistentry": (lambda b: b["negative"], OPEN),
    "ratings.rating": (lambda b: b["rating"], CASE),
    "ratings.rectification": (lambda b: b["rectification"], ("approver", "supervisor")),
    "licences.elicence": (lambda b: b["licence"], CASE),
    "appointments.booking": (lambda b: b["booking"], CLERK),
}

W = "workbench:"
WB: list[Spec] = [
    S(W + "home", "get", STAFF),
    S(W + "phone_home", "get", STAFF),
    S(W + "account_security", "get", STAFF),
    S(W + "walkthrough_dismiss", "post", STAFF),
    S(W + "password_change", "get", STAFF),
    *(
        S(W + "object_history", "get", allow, kwargs=history(object_type, getter))
        for object_type, (getter, allow) in HISTORY.items()
    ),
    # Org tree: system admins, on units in their scope.
    S(W + "orgs_tree", "get", SYS, leak="unit", shows_own=True),
    S(W + "orgs_unit", "get", SYS, kwargs=unit("community")),
    S(W + "orgs_unit_create", "get", SYS, kwargs=lambda w, b, r: {"parent_pk": b.sub.pk}),
    S(W + "orgs_unit_edit", "get", SYS, kwargs=unit("community")),
    S(W + "orgs_unit_move", "get", SYS, kwargs=unit("community")),
    S(W + "orgs_unit_abolish", "get", SYS, kwargs=unit("community")),
    S(W + "orgs_unit_reactivate", "post", SYS, kwargs=unit("community")),
    S(W + "orgs_center_create", "get", SYS, kwargs=lambda w, b, r: {"unit_pk": b.sub.pk}),
    S(W + "orgs_center_edit", "get", SYS, kwargs=unit("center")),
    S(W + "orgs_window_create", "get", SYS, kwargs=lambda w, b, r: {"center_pk": b.center.pk}),
    S(W + "orgs_window_edit", "get", SYS, kwargs=unit("window")),
    S(W + "orgs_staff", "get", SYS),
    S(W + "orgs_staff_create", "get", SYS),
    S(W + "orgs_staff_detail", "get", SYS, kwargs=lambda w, b, r: {"pk": b.helpers["clerk"].pk}),
    S(
        W + "orgs_staff_deactivate",
        "post",
        SYS,
        kwargs=lambda w, b, r: {"pk": b.helpers["clerk"].pk},
    ),
    # A colleague's sign-in: the authenticator reset or a lockout lifted (in scope only).
    S(W + "orgs_staff_sign_in", "get", SYS, kwargs=lambda w, b, r: {"pk": b.helpers["clerk"].pk}),
    S(
        W + "orgs_staff_sign_in",
        "post",
        SYS,
        kwargs=lambda w, b, r: {"pk": b.helpers["clerk"].pk},
        fmt="multipart",
    ),
    S(W + "orgs_role_revoke", "post", SYS, obj="role_assignment"),
    S(W + "orgs_export", "get", SYS),
    S(W + "orgs_import", "get", SYS),
    S(
        W + "orgs_import_confirm",
        "post",
        NOBODY,
        kwargs=lambda w, b, r: {"token": "none"},
        scoped=False,
        note="no staged import exists: 403 for other roles, 404 for system admins",
    ),
    # Catalogue administration: catalogue admins; drafts only in scope.
    S(W + "catalog_items", "get", CAT, leak="draft", shows_own=True),
    S(W + "catalog_item_create", "get", CAT),
    S(W + "catalog_lint", "post", CAT),
    S(W + "catalog_reviews", "get", CAT),
    # Life events span units: every catalogue admin reads the editor; saving is the
    # district catalogue admin's (services.life_event_edit).
    S(W + "catalog_life_events", "get", CAT),
    S(W + "catalog_life_event_create", "get", CAT),
    S(
        W + "catalog_life_event",
        "get",
        CAT,
        kwargs=life_event,
        scoped=False,
    ),
    S(W + "catalog_quality", "get", CAT),
    S(W + "catalog_reduction", "get", CAT),
    S(W + "catalog_zero_results", "get", CAT),
    # Search: the synonym table (catalogue and system admins) and the searches that went
    # wrong (everyone who reads the search log). Synonyms belong to no org unit.
    S(W + "search:synonyms", "get", CAT_READ),
    S(W + "search:synonym_create", "get", CAT_READ),
    S(W + "search:synonym_edit", "get", CAT_READ, kwargs=synonym, scoped=False),
    S(W + "search:synonym_toggle", "post", CAT_READ, kwargs=synonym, scoped=False),
    S(W + "search:synonym_delete", "post", CAT_READ, kwargs=synonym, scoped=False),
    S(W + "search:demand", "get", SEARCH_LOG),
    # The working-day calendar: system admins load holiday notices (preview, then confirm).
    S(W + "calendar:years", "get", SYS),
    S(W + "calendar:load", "get", SYS),
    S(W + "calendar:load", "post", SYS, fmt="multipart"),
    S(W + "calendar:confirm", "post", SYS, fmt="multipart"),
    # ... and correct one day (preview, then confirm) or a loaded notice's details.
    S(W + "calendar:day", "get", SYS),
    S(W + "calendar:day", "post", SYS, fmt="multipart"),
    S(W + "calendar:day_confirm", "post", SYS, fmt="multipart"),
    S(W + "proactive:rules", "get", PROACTIVE_READ),
    S(W + "proactive:rule", "get", PROACTIVE_READ, obj="proactive_rule", scoped=False),
    S(W + "proactive:rule_create", "get", CAT),
    S(W + "proactive:rule_create", "post", CAT, note="an empty form is answered with its errors"),
    S(W + "proactive:preview", "get", CAT),
    S(W + "proactive:rule_edit", "get", CAT, obj="proactive_draft", scoped=False),
    S(W + "proactive:rule_edit", "post", CAT, obj="proactive_draft", scoped=False),
    S(W + "proactive:rule_publish", "post", CAT, obj="proactive_draft", scoped=False),
    S(W + "proactive:rule_retire", "post", CAT, obj="proactive_rule", scoped=False),
    S(W + "calendar:year", "get", SYS, kwargs=calendar_year, scoped=False),
    S(W + "calendar:year_edit", "get", SYS, kwargs=calendar_year, scoped=False),
    S(W + "calendar:year_edit", "post", SYS, kwargs=calendar_year, scoped=False, fmt="multipart"),
    S(W + "catalog_import", "get", CAT),
    S(W + "catalog_import_template", "get", CAT),
    S(
        W + "catalog_import_job",
        "get",
        NOBODY,
        kwargs=lambda w, b, r: {"job_id": "none"},
        scoped=False,
        note="no import job exists: 404 for everyone",
    ),
    S(
        W + "catalog_import_run",
        "post",
        NOBODY,
        kwargs=lambda w, b, r: {"job_id": "none"},
        scoped=False,
        note="no import job exists: 404 for everyone",
    ),
    S(W + "catalog_version", "get", CAT, obj="draft"),
    S(W + "catalog_version_handbook", "get", CAT, obj="draft"),
    S(W + "catalog_version_edit", "get", CAT, obj="draft"),
    S(W + "catalog_version_submit", "post", CAT, obj="draft"),
    S(W + "catalog_rules", "get", CAT, obj="draft"),
    S(W + "catalog_rules", "post", CAT, obj="draft", data=RULE_POST),
    S(W + "catalog_rule_edit", "get", CAT, obj="draft", kwargs=lambda w, b, r: {"position": 1}),
    S(
        W + "catalog_rule_delete",
        "post",
        CAT,
        obj="draft",
        kwargs=lambda w, b, r: {"position": 1},
    ),
    S(W + "catalog_version_discard", "post", CAT, obj="draft"),
    S(W + "catalog_version_review", "get", CAT, obj="draft"),
    S(W + "catalog_version_publish", "post", CAT, obj="draft"),
    S(
        W + "catalog_material_files",
        "post",
        CAT,
        obj="draft",
        kwargs=lambda w, b, r: {"position": 1},
    ),
    S(
        W + "catalog_material_file",
        "get",
        NOBODY,
        obj="draft",
        kwargs=lambda w, b, r: {"position": 1, "kind": "blank"},
        note="the material has no file: 404 for everyone",
    ),
    S(W + "catalog_item", "get", CAT, kwargs=draft_code),
    S(W + "catalog_diff", "get", CAT, kwargs=draft_code),
    S(W + "catalog_new_draft", "post", CAT, kwargs=code),
    # Requests for information.
    S(W + "disclosure_requests:list", "get", OPEN, leak="request", shows_own=True),
    S(W + "disclosure_requests:overdue", "get", OPEN),
    S(W + "disclosure_requests:register", "get", DO),
    S(W + "disclosure_requests:detail", "get", OPEN, obj="request"),
    S(
        W + "disclosure_requests:letter",
        "get",
        NOBODY,
        obj="request",
        note="no reply yet, so no letter: 404 for everyone",
    ),
    S(
        W + "disclosure_requests:notice",
        "get",
        NOBODY,
        obj="request",
        kwargs=notice,
        note="the request has no notice: 404 for everyone",
    ),
    S(
        W + "disclosure_requests:reply_file",
        "get",
        NOBODY,
        obj="request",
        kwargs=reply_file,
        note="no reply yet, so no file: 404 for everyone",
    ),
    S(
        W + "disclosure_requests:appeal_conclude",
        "post",
        DO,
        obj="request",
        kwargs=lambda w, b, r: {"appeal_id": b["appeal"].pk},
    ),
    S(
        W + "disclosure_requests:act",
        "post",
        DO,
        obj="request",
        kwargs=lambda w, b, r: {"action": "confirm"},
    ),
    # Annual reports.
    S(W + "annual_reports:list", "get", OPEN, leak="report", shows_own=True),
    S(W + "annual_reports:create", "post", DO, validates_first=SVC_SUP),
    S(W + "annual_reports:detail", "get", OPEN, obj="report"),
    S(W + "annual_reports:edit", "get", DO, obj="report"),
    S(W + "annual_reports:issue", "post", DO, obj="report"),
    S(W + "annual_reports:revise", "post", DO, obj="report"),
    S(W + "annual_reports:discard", "post", DO, obj="report"),
    S(
        W + "annual_reports:download",
        "get",
        OPEN,
        obj="report",
        kwargs=lambda w, b, r: {"fmt": "html"},
    ),
    # Disclosure publications, directory and negative list.
    S(W + "openness:home", "get", OPEN),
    S(W + "openness:publications", "get", OPEN, leak="pub_draft", shows_own=True),
    S(W + "openness:publication_create", "get", DO),
    S(W + "openness:reviews", "get", OPEN),
    S(W + "openness:publication", "get", OPEN, obj="pub_draft"),
    S(W + "openness:publication_edit", "get", DO, obj="pub_draft"),
    S(W + "openness:publication_submit", "post", DO, obj="pub_draft"),
    S(
        W + "openness:publication_review",
        "get",
        OPEN,
        obj="pub_draft",
        note="supervisors see the page; the review service refuses them",
    ),
    S(W + "openness:publication_publish", "post", DO, obj="pub_draft"),
    S(W + "openness:publication_revoke", "post", DO, obj="publication", validates_first=SVC_SUP),
    S(W + "openness:publication_validity", "post", DO, obj="publication", validates_first=SVC_SUP),
    S(W + "openness:publication_attachment", "post", DO, obj="pub_draft", validates_first=SVC_SUP),
    S(
        W + "openness:publication_file",
        "get",
        NOBODY,
        obj="pub_draft",
        kwargs=lambda w, b, r: {"attachment_id": 999999},
        note="no attachment: 404 for everyone",
    ),
    *(
        S(
            W + f"openness:publication_interpretation_{part}",
            "get",
            NOBODY,
            obj="pub_draft",
            kwargs=lambda w, b, r: {"interpretation_id": 999999},
            note="no such interpretation: 404 for everyone",
        )
        for part in ("video", "captions", "poster")
    ),
    S(
        W + "openness:publication_interpretation",
        "post",
        DO,
        obj="publication",
        validates_first=SVC_SUP,
    ),
    S(W + "openness:timeliness", "get", OPEN),
    # Posting to a board: the community's disclosure officers, and grid officers (to their
    # own grid only: the form lists only the units they may post to).
    S(W + "openness:board_post", "get", ("disclosure_officer", "grid_officer")),
    S(W + "openness:entries", "get", OPEN, leak="entry", shows_own=True),
    S(W + "openness:entry_create", "get", DO),
    S(W + "openness:entry_edit", "get", DO, obj="entry"),
    S(W + "openness:duplicates", "get", OPEN),
    S(W + "openness:directory_export", "get", OPEN),
    S(W + "openness:directory_import", "get", DO),
    S(
        W + "openness:directory_import_preview",
        "get",
        NOBODY,
        kwargs=lambda w, b, r: {"token": "none"},
        scoped=False,
        note="no staged import: 404 for everyone",
    ),
    S(
        W + "openness:directory_import_cancel",
        "post",
        NOBODY,
        kwargs=lambda w, b, r: {"token": "none"},
        scoped=False,
        note="no staged import: 404 for everyone",
    ),
    S(W + "openness:negative_list", "get", OPEN, leak="negative", shows_own=True),
    S(W + "openness:negative_create", "get", DO),
    S(W + "openness:negative_edit", "get", DO, obj="negative"),
    # Cases: the counter (window clerks) and case handling.
    S(W + "cases:counter", "get", CLERK),
    S(W + "cases:counter_precheck_queue", "get", CLERK, leak="precheck", shows_own=True),
    S(W + "cases:counter_precheck", "get", CLERK, kwargs=case_number("precheck")),
    S(W + "cases:counter_walk_in", "get", CLERK),
    S(W + "cases:counter_accept", "get", CLERK, kwargs=case_number("awaiting")),
    S(W + "cases:counter_item_search", "get", CLERK),
    S(W + "cases:counter_applicant_lookup", "get", CLERK),
    S(W + "cases:counter_cancel", "get", CLERK, kwargs=case_number("awaiting")),
    S(W + "cases:counter_bundle", "get", CLERK, kwargs=case_number("bundle")),
    S(W + "cases:counter_receipt", "get", CLERK, kwargs=case_number("case")),
    S(W + "cases:counter_receipt_pdf", "get", CLERK, kwargs=case_number("case")),
    S(
        W + "cases:counter_material_file",
        "get",
        CLERK,
        kwargs=lambda w, b, r: {"number": b["case"].number, "pk": b["case_material"].pk},
    ),
    S(W + "cases:counter_consent", "get", CLERK, kwargs=case_number("case")),
    S(
        W + "cases:counter_consent",
        "post",
        CLERK,
        kwargs=case_number("case"),
        data={"action": "grant", "scope": "all", "id_seen": "on"},
    ),
    S(W + "cases:counter_pickup", "get", CLERK, leak="concluded"),
    S(W + "cases:counter_hand_over", "post", CLERK, kwargs=case_number("concluded")),
    S(W + "cases:home", "get", CASE),
    S(W + "cases:work_mine", "get", CASE),
    S(W + "cases:work_unit", "get", CASE, leak="case"),
    S(W + "cases:work_subtree", "get", SUP, leak="case", shows_own=True),
    S(W + "cases:work_overdue", "get", CASE, leak="case"),
    S(W + "cases:work_visit_rates", "get", CASE),
    S(W + "cases:work_case", "get", CASE, obj="case"),
    S(W + "cases:work_case_show_id", "post", CASE_ACT, obj="case"),
    S(
        W + "cases:work_case_material",
        "get",
        CASE,
        obj="case",
        kwargs=lambda w, b, r: {"material_pk": b["case_material"].pk},
    ),
    S(
        W + "cases:work_case_document",
        "get",
        NOBODY,
        obj="case",
        kwargs=lambda w, b, r: {"document_pk": 999999},
        note="no document: 404 for everyone",
    ),
    S(
        W + "cases:work_case_action",
        "post",
        APPR,
        obj="case",
        kwargs=lambda w, b, r: {"action": "claim"},
        data=lambda w, b, r: {"task": b["task"].pk},
    ),
    # E-licences and ratings.
    S(W + "licences:list", "get", CASE, leak="licence", shows_own=True),
    S(W + "licences:detail", "get", CASE, obj="licence"),
    S(W + "licences:revoke", "post", APPR, obj="licence"),
    S(W + "ratings:home", "get", CASE),
    S(W + "ratings:list", "get", CASE, leak="rating", shows_own=True),
    S(W + "ratings:stats", "get", CASE),
    S(W + "ratings:rectification", "get", ("approver", "supervisor"), obj="rectification"),
    S(
        W + "ratings:rectification_action",
        "post",
        FOLLOW_UP,
        obj="rectification",
        kwargs=lambda w, b, r: {"action": "visit"},
    ),
    S(W + "ratings:pad", "get", CLERK, kwargs=case_number("delivered")),
    # Notifications: one's own inbox; deliveries and webhooks for system admins.
    S(W + "notify:inbox", "get", STAFF),
    S(W + "notify:inbox_read_all", "post", STAFF),
    S(W + "notify:message", "get", STAFF, kwargs=own_message),
    S(W + "notify:deliveries", "get", ("system_admin", "supervisor")),
    S(W + "notify:requeue", "post", SYS, kwargs=delivery, scoped=False),
    S(W + "notify:webhooks", "get", SYS),
    S(W + "notify:webhook_create", "get", SYS),
    S(
        W + "notify:webhook_edit",
        "get",
        SYS,
        kwargs=lambda w, b, r: {"pk": b["webhook"].pk},
        scoped=False,
    ),
    S(
        W + "notify:webhook_delete",
        "post",
        SYS,
        kwargs=lambda w, b, r: {"pk": b["webhook"].pk},
        scoped=False,
    ),
    # Appointments: the counter of the centre's window clerks, figures for clerks and
    # supervisors in scope.
    S(W + "appointments:counter", "get", CLERK, leak="booking", shows_own=True),
    S(W + "grid:today", "get", GRID, leak="grid_task", shows_own=True),
    S(W + "grid:task", "get", GRID, obj="grid_task"),
    S(W + "grid:task", "post", GRID, obj="grid_task"),
    S(W + "grid:send_code", "post", GRID, obj="grid_task"),
    S(W + "grid:reveal_id", "post", GRID, obj="grid_task"),
    S(W + "grid:events", "get", EVENT, leak="grid_event"),
    S(W + "grid:event_new", "get", GRID),
    S(W + "grid:event_new", "post", GRID, data=grid_event_post),
    S(W + "grid:event", "get", EVENT, obj="grid_event"),
    S(W + "grid:event", "post", EVENT_ACT, obj="grid_event", data={"action": "accept"}),
    S(W + "grid:event_photo", "get", EVENT, obj="grid_event", kwargs=grid_event_photo),
    S(W + "grid:assist_start", "get", GRID, leak="grid_resident", shows_own=True),
    S(W + "grid:assist_start", "post", GRID, data=assist_start_post),
    S(W + "grid:assist_consent", "get", GRID, obj="grid_assist"),
    S(W + "grid:assist_consent", "post", GRID, obj="grid_assist", data=ASSIST_CONSENT),
    S(W + "grid:assist_send_code", "post", GRID, obj="grid_assist"),
    S(W + "grid:assist_materials", "get", GRID, obj="grid_assist"),
    S(W + "grid:assist_submit", "post", GRID, obj="grid_assist"),
    S(W + "grid:households", "get", GRID, leak="household", shows_own=True),
    S(W + "grid:household", "get", GRID, obj="household"),
    S(W + "grid:household", "post", GRID, obj="household"),
    S(W + "grid:supervision", "get", SUP, leak="grid", shows_own=True),
    S(W + "grid:supervision_export", "get", SUP),
    S(W + "demand:demand", "get", DEMAND, leak="demand_item", shows_own=True),
    S(W + "demand:advice", "get", DEMAND),
    S(W + "analytics:dashboard", "get", DASH),
    S(W + "analytics:print", "get", DASH),
    S(W + "analytics:export", "get", DASH),
    S(W + "analytics:cases", "get", DASH, query={"measure": "received"}),
    S(W + "grid:rules", "get", SYS),
    S(W + "grid:rules", "post", SYS),
    S(W + "grid:rules_confirm", "post", SYS),
    S(W + "grid:rules_export", "get", SYS),
    S(W + "appointments:check_in", "post", CLERK, obj="booking"),
    # Schedules are run by the centre's system administrators. The list shows only
    # their centres; a new window group names a centre from the form's choices (another
    # branch's centre is not among them: 400), so the form itself is unscoped.
    S(W + "appointments:schedules", "get", SYS, leak="center", shows_own=True),
    S(
        W + "appointments:schedules",
        "post",
        SYS,
        scoped=False,
        data=lambda w, b, r: {**PATTERN_POST, "center": b.center.pk, "name": "矩阵窗口"},
    ),
    S(W + "appointments:schedule", "get", SYS, kwargs=schedule_pk),
    S(W + "appointments:schedule_update", "post", SYS, kwargs=schedule_pk, data=PATTERN_POST),
    S(
        W + "appointments:schedule_publish",
        "post",
        SYS,
        kwargs=schedule_pk,
        data=lambda w, b, r: {
            "start": today_reason(w, b, r)["day"],
            "end": today_reason(w, b, r)["day"],
        },
    ),
    S(W + "appointments:day_close", "post", SYS, kwargs=schedule_pk, data=today_reason),
    S(W + "appointments:day_reopen", "post", SYS, kwargs=schedule_pk, data=today_reason),
    S(W + "appointments:slot_close", "post", SYS, kwargs=schedule_slot, data=today_reason),
    S(W + "appointments:slot_reopen", "post", SYS, kwargs=schedule_slot, data=today_reason),
    S(
        W + "appointments:figures",
        "get",
        ("window_clerk", "supervisor"),
        leak="center",
        shows_own=True,
    ),
]
